/**
 * cdktf's TerraformStack.toTerraform resolves every element's JSON, merges the pieces, and then
 * resolves the merged document once more as a whole. The second pass only matters for tokens in
 * stack-level overrides (`stack.addOverride`); without any it walks a tree that holds no token,
 * which costs about an eighth of a large fleet's synth. This skips that pass when the stack has no
 * overrides (the output is byte-identical: `npm run bench` and the CLI tests compare it).
 *
 * It replaces the export of cdktf's private `_tokens` module, which cdktf reads at each call. If a
 * cdktf upgrade moves that module, the require throws and the app stops here, loudly.
 */
import { TerraformStack } from "cdktf";

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
