/**
 * cdktf's TerraformStack.toTerraform resolves every element's JSON, merges the pieces, and then
 * resolves the merged document once more as a whole. The second pass only matters for tokens in
 * stack-level overrides (`stack.addOverride`); without any it walks a tree that holds no token,
 * which costs about an eighth of a large fleet's synth. This skips that pass when the stack has no
 * overrides (the output is byte-identical: __tests__/synth-shortcuts.test.ts compares it with
 * cdktf as it ships).
 *
 * It replaces the export of cdktf's private `_tokens` module, which cdktf reads at each call. If a
 * cdktf upgrade moves that module, the require throws and the app stops here, loudly.
 */
import { Aspects, TerraformElement, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";

type Resolve = (scope: unknown, obj: unknown, preparing?: boolean) => unknown;

let installed = false;

/** True for the document TerraformStack.toTerraform builds: `{ "//": { metadata, outputs }, ... }`. */
function isStackDocument(obj: unknown): boolean {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return false;
  const meta = (obj as Record<string, unknown>)["//"];
  return !!meta && typeof meta === "object" && "metadata" in meta && "outputs" in meta;
}

export function skipRedundantStackResolve(): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tokens = require("cdktf/lib/_tokens") as { resolve: Resolve };
  const original = tokens.resolve;
  tokens.resolve = (scope, obj, preparing = false) => {
    if (!preparing && scope instanceof TerraformStack && isStackDocument(obj)) {
      const overrides = (scope as unknown as { rawOverrides?: Record<string, unknown> }).rawOverrides;
      if (overrides && Object.keys(overrides).length === 0) return obj;
    }
    return original(scope, obj, preparing);
  };
}

/** Marks what a prepared element's `toTerraform` hands back for the synthesis pass to use as is. */
const PREPARED = Symbol("harbor.preparedResolution");

interface Element {
  toTerraform(): unknown;
}

/** The stack's own Terraform elements, not those of nested stacks (cdktf's own traversal). */
function stackElements(node: IConstruct, into: Element[] = []): Element[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node as unknown as Element);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) stackElements(child, into);
  return into;
}

/**
 * `App.synth` resolves every element twice: once in `prepareStack` (a "preparing" pass, run for
 * its side effects: it creates the outputs and remote-state data sources of cross-stack
 * references) and once more in `toTerraform`, which gives the same answer, because a reference
 * resolves to the identifier the preparing pass recorded. This keeps the preparing pass's answer
 * and hands it to the synthesis pass, once: the element's next `toTerraform` returns it and the
 * one after that builds afresh (cdktf passes every `toTerraform` result to `resolve`, which knows
 * the marker; code that calls an element's `toTerraform` itself between the passes would see it).
 * Elements created by other stacks' preparing passes (cross-stack
 * outputs, remote state) were never prepared and resolve as before. A stack under an Aspect (which
 * could change elements between the passes) keeps cdktf's own two passes. The output is
 * byte-identical: __tests__/synth-shortcuts.test.ts compares it with cdktf as it ships.
 */
export function reusePreparedResolution(): void {
  const proto = TerraformStack.prototype as unknown as { prepareStack(this: TerraformStack): void; __harborPrepared?: boolean };
  if (proto.__harborPrepared) return;
  proto.__harborPrepared = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tokens = require("cdktf/lib/_tokens") as { resolve: Resolve };
  const original = proto.prepareStack;
  proto.prepareStack = function (this: TerraformStack) {
    if (underAspects(this)) return original.call(this);
    this.ensureBackendExists();
    for (const e of stackElements(this)) {
      const resolved = tokens.resolve(this, e.toTerraform(), true);
      Object.defineProperty(e, "toTerraform", {
        configurable: true,
        writable: true,
        value: function (this: Element) {
          delete (this as Partial<Element>).toTerraform;
          return { [PREPARED]: resolved };
        },
      });
    }
  };
  const resolve = tokens.resolve;
  tokens.resolve = (scope, obj, preparing = false) => {
    if (!preparing && obj && typeof obj === "object" && PREPARED in obj) return (obj as Record<symbol, unknown>)[PREPARED];
    return resolve(scope, obj, preparing);
  };
}

function underAspects(stack: TerraformStack): boolean {
  for (let c: IConstruct | undefined = stack; c; c = c.node.scope) if (Aspects.of(c).all.length) return true;
  return stack.node.findAll().some((c) => Aspects.of(c).all.length > 0);
}

/** Both shortcuts above (what buildApp installs), for code that builds a cdktf App itself. */
export function installSynthShortcuts(): void {
  skipRedundantStackResolve();
  reusePreparedResolution();
}
