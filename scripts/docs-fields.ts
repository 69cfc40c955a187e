import * as path from "path";
import * as ts from "typescript";
import { environmentSchema } from "../environments/schema";
import { globalSchema } from "../environments/global-schema";

/**
 * The environment-field reference (docs/reference/environment-fields.md), generated from the one
 * place the fields are documented: the JSDoc comments on the zod schema keys in
 * environments/schema*.ts, environments/features/*.ts and environments/global-schema.ts. The
 * TypeScript compiler reads the input types (`EnvironmentInput`, `GlobalInput`), which carry each
 * key's JSDoc; the runtime zod schema gives each key's `.default()`. A field documented with
 * `@default` shows that text (a bare constant name such as `DEFAULT_EKS_VERSION` is resolved to
 * its value); otherwise the schema's own default, "required" or "not set".
 */

/** The project root: scripts/ (jest) or dist/scripts/ (npm run docs) is one level below it. */
const ROOT = path.resolve(__dirname, "..");
const SOURCE_ROOT = path.basename(ROOT) === "dist" ? path.dirname(ROOT) : ROOT;

export interface FieldRow {
  /** `vpc.cidr`, `databases[].name`, `platform[kind=ecs].instanceTypes`. */
  readonly path: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
}

/** A `@default` that contradicts the schema's `.default()`. */
export interface DefaultMismatch {
  readonly file: string;
  readonly path: string;
  readonly documented: string;
  readonly actual: unknown;
}

interface Walk {
  readonly checker: ts.TypeChecker;
  readonly rows: FieldRow[];
  readonly mismatches: DefaultMismatch[];
}

// zod internals, read only through their `_def` (zod 3).
interface ZodLike {
  readonly _def: { readonly typeName?: string; readonly [k: string]: unknown };
}

/** The node a zod wrapper type wraps, by type name (zod 3's `_def` fields). */
const WRAPPED: Readonly<Record<string, (d: ZodLike["_def"]) => ZodLike>> = {
  ZodDefault: (d) => d.innerType as ZodLike,
  ZodOptional: (d) => d.innerType as ZodLike,
  ZodNullable: (d) => d.innerType as ZodLike,
  ZodReadonly: (d) => d.innerType as ZodLike,
  ZodEffects: (d) => d.schema as ZodLike,
  ZodBranded: (d) => d.type as ZodLike,
  ZodPipeline: (d) => d.in as ZodLike,
  ZodLazy: (d) => (d.getter as () => ZodLike)(),
};

/** Peels optional/default/effects wrappers off a zod node, keeping the outermost default. */
function unwrap(node: ZodLike | undefined): { node: ZodLike | undefined; hasDefault: boolean; dflt?: unknown } {
  let hasDefault = false;
  let dflt: unknown;
  for (let n = node; n; ) {
    const d = n._def;
    const inner = d.typeName ? WRAPPED[d.typeName] : undefined;
    if (!inner) return { node: n, hasDefault, dflt };
    if (d.typeName === "ZodDefault" && !hasDefault) {
      hasDefault = true;
      dflt = (d.defaultValue as () => unknown)();
    }
    n = inner(d);
  }
  return { node: undefined, hasDefault, dflt };
}

function shapeOf(node: ZodLike | undefined): Record<string, ZodLike> {
  const u = unwrap(node).node;
  return u?._def.typeName === "ZodObject" ? (u._def.shape as () => Record<string, ZodLike>)() : {};
}

function unionOptions(node: ZodLike | undefined): ZodLike[] {
  const u = unwrap(node).node;
  const t = u?._def.typeName;
  return t === "ZodUnion" || t === "ZodDiscriminatedUnion" ? [...(u!._def.options as ZodLike[])] : [];
}

function isObjectType(checker: ts.TypeChecker, t: ts.Type): boolean {
  return !!(t.flags & ts.TypeFlags.Object) && !checker.isArrayType(t) && !checker.isTupleType(t) && t.getProperties().length > 0 && t.getCallSignatures().length === 0;
}

/** Properties in declaration order (the order the schema file lists them). */
function properties(t: ts.Type): ts.Symbol[] {
  const key = (s: ts.Symbol) => {
    const d = s.declarations?.[0];
    return d ? [d.getSourceFile().fileName, d.getStart()] as const : ["", 0] as const;
  };
  return [...t.getProperties()].sort((a, b) => {
    const [fa, pa] = key(a);
    const [fb, pb] = key(b);
    return fa === fb ? pa - pb : fa < fb ? -1 : 1;
  });
}

/** The property every object member of a union has with a distinct string literal type, if any. */
function discriminator(checker: ts.TypeChecker, members: readonly ts.Type[]): string | undefined {
  if (members.length < 2) return undefined;
  const names = members[0].getProperties().map((p) => p.name);
  return names.find((n) => {
    const values = members.map((m) => {
      const p = m.getProperty(n);
      const t = p && checker.getTypeOfSymbol(p);
      return t && t.isStringLiteral() ? t.value : undefined;
    });
    return values.every((v) => v !== undefined) && new Set(values).size === values.length;
  });
}

function literalOf(checker: ts.TypeChecker, t: ts.Type, prop: string): string {
  return (checker.getTypeOfSymbol(t.getProperty(prop)!) as ts.StringLiteralType).value;
}

/** The zod option of a union that a TypeScript union member came from. */
function optionFor(checker: ts.TypeChecker, options: ZodLike[], member: ts.Type, disc: string | undefined): ZodLike | undefined {
  const keys = member.getProperties().map((p) => p.name).sort().join(",");
  return options.find((o) => {
    const shape = shapeOf(o);
    if (disc) {
      const lit = unwrap(shape[disc]).node;
      return lit?._def.typeName === "ZodLiteral" && lit._def.value === literalOf(checker, member, disc);
    }
    return Object.keys(shape).sort().join(",") === keys;
  });
}

function typeText(w: Walk, t: ts.Type): string {
  const { checker } = w;
  if (t.isUnion() && t.types.some((m) => isObjectType(checker, m))) {
    const objects = t.types.filter((m) => isObjectType(checker, m));
    const disc = discriminator(checker, objects);
    const parts = t.types.map((m) => (!isObjectType(checker, m) ? checker.typeToString(m) : disc ? `{ ${disc}: "${literalOf(checker, m, disc)}", … }` : "object"));
    return [...new Set(parts)].join(" | ");
  }
  if (checker.isArrayType(t) && isObjectType(checker, checker.getTypeArguments(t as ts.TypeReference)[0])) return "object[]";
  if (isObjectType(checker, t)) return "object";
  return checker.typeToString(t, undefined, ts.TypeFormatFlags.NoTruncation);
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** A bare constant name in `@default` (e.g. DEFAULT_EKS_VERSION): its value, read from the declaring module. */
function resolveConstant(name: string, declaringFile: string): string | undefined {
  const rel = path.relative(SOURCE_ROOT, declaringFile).replace(/\.ts$/, "");
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const value = (require(path.join(ROOT, rel)) as Record<string, unknown>)[name];
    return value === undefined ? undefined : `\`${JSON.stringify(value)}\` (${name})`;
  } catch {
    return undefined;
  }
}

function defaultText(w: Walk, prop: ts.Symbol, fieldPath: string, hasDefault: boolean, dflt: unknown): string {
  const tag = prop.getJsDocTags(w.checker).find((t) => t.name === "default");
  const file = prop.declarations?.[0]?.getSourceFile().fileName ?? "";
  if (tag) {
    const text = oneLine(ts.displayPartsToString(tag.text));
    if (hasDefault && (typeof dflt === "number" || typeof dflt === "string" || typeof dflt === "boolean") && !text.includes(String(dflt))) {
      w.mismatches.push({ file: path.relative(SOURCE_ROOT, file), path: fieldPath, documented: text, actual: dflt });
    }
    if (/^[A-Z][A-Z0-9_]+$/.test(text)) return resolveConstant(text, file) ?? text;
    return text;
  }
  if (hasDefault) return JSON.stringify(dflt) === "{}" ? "its fields' defaults" : `\`${JSON.stringify(dflt)}\``;
  return prop.flags & ts.SymbolFlags.Optional ? "not set" : "required";
}

function walk(w: Walk, t: ts.Type, zod: ZodLike | undefined, prefix: string): void {
  const { checker } = w;
  const shape = shapeOf(zod);
  for (const prop of properties(t)) {
    const fieldPath = `${prefix}${prop.name}`;
    const child = shape[prop.name];
    const { hasDefault, dflt } = unwrap(child);
    const pt = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
    w.rows.push({
      path: fieldPath,
      type: typeText(w, pt),
      default: defaultText(w, prop, fieldPath, hasDefault, dflt),
      description: oneLine(ts.displayPartsToString(prop.getDocumentationComment(checker))),
    });
    descend(w, pt, child, fieldPath);
  }
}

function descend(w: Walk, t: ts.Type, zod: ZodLike | undefined, fieldPath: string): void {
  const { checker } = w;
  if (t.isUnion()) {
    const objects = t.types.filter((m) => isObjectType(checker, m));
    const disc = discriminator(checker, objects);
    const options = unionOptions(zod);
    for (const m of objects) {
      const qualifier = disc ? `[${disc}=${literalOf(checker, m, disc)}]` : "";
      walk(w, m, optionFor(checker, options, m, disc), `${fieldPath}${qualifier}.`);
    }
  } else if (checker.isArrayType(t)) {
    const el = checker.getTypeArguments(t as ts.TypeReference)[0];
    const z = unwrap(zod).node;
    if (isObjectType(checker, el)) walk(w, el, z?._def.typeName === "ZodArray" ? (z._def.type as ZodLike) : undefined, `${fieldPath}[].`);
  } else if (isObjectType(checker, t)) {
    walk(w, t, zod, `${fieldPath}.`);
  }
}

/** Every field of an environment file and of the global config, in schema order. */
type EnvironmentFields = { environment: FieldRow[]; global: FieldRow[]; mismatches: DefaultMismatch[] };
let fieldsRead: EnvironmentFields | undefined;

/**
 * The field rows of the environment and global schemas, read once per process: building the
 * TypeScript program is most of the cost, and the sources do not change while a process runs.
 */
export function environmentFields(): EnvironmentFields {
  fieldsRead ??= readEnvironmentFields();
  return fieldsRead;
}

function readEnvironmentFields(): EnvironmentFields {
  const configFile = ts.readConfigFile(path.join(SOURCE_ROOT, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, SOURCE_ROOT);
  const files = { environment: path.join(SOURCE_ROOT, "environments", "schema.ts"), global: path.join(SOURCE_ROOT, "environments", "global-schema.ts") };
  const program = ts.createProgram({ rootNames: Object.values(files), options: { ...options, incremental: false, noEmit: true } });
  const checker = program.getTypeChecker();
  const inputType = (file: string, name: string) => {
    const sf = program.getSourceFile(file);
    const sym = sf && checker.getSymbolAtLocation(sf)?.exports?.get(name as ts.__String);
    if (!sym) throw new Error(`${path.relative(SOURCE_ROOT, file)}: no exported type ${name}`);
    return checker.getDeclaredTypeOfSymbol(sym);
  };
  const mismatches: DefaultMismatch[] = [];
  const run = (t: ts.Type, zod: unknown) => {
    const w: Walk = { checker, rows: [], mismatches };
    walk(w, t, zod as ZodLike, "");
    return w.rows;
  };
  return {
    environment: run(inputType(files.environment, "EnvironmentInput"), environmentSchema),
    global: run(inputType(files.global, "GlobalInput"), globalSchema),
    mismatches,
  };
}

const cell = (s: string) => s.replace(/\|/g, "\\|");
const code = (s: string) => `\`${cell(s)}\``;

function tables(rows: readonly FieldRow[], level: string): string[] {
  const out: string[] = [];
  const top = (r: FieldRow) => r.path.split(/[.[]/)[0];
  const scalars = rows.filter((r) => r.path === top(r) && !rows.some((o) => o.path !== r.path && top(o) === r.path));
  const header = ["| field | type | default | description |", "|---|---|---|---|"];
  const line = (r: FieldRow) => `| ${code(r.path)} | ${code(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`;
  if (scalars.length) out.push(`${level} Top level`, "", ...header, ...scalars.map(line), "");
  const groups = [...new Set(rows.filter((r) => !scalars.includes(r)).map(top))];
  for (const g of groups) out.push(`${level} \`${g}\``, "", ...header, ...rows.filter((r) => top(r) === g).map(line), "");
  return out;
}

/** The whole reference page. */
export function environmentFieldsMarkdown(fields = environmentFields()): string {
  return [
    "<!-- Generated by `npm run docs` (scripts/docs-fields.ts): edit the JSDoc on the schema keys, then run `npm run docs`. -->",
    "# Environment fields",
    "",
    "Every field an environment file (`environments/<env>.ts`, `defineEnvironment({...})`) and the",
    "global config (`environments/global.ts`) may set, generated from the JSDoc comments on the zod",
    "schema keys (`environments/schema*.ts`, `environments/features/*.ts`, `environments/global-schema.ts`)",
    "and the schema's defaults. A path `a[].b` is a field of each list entry; `a[kind=x].b` applies",
    "when `a.kind` is `x`. Rules that span fields (and the messages they give) are described in",
    "[Environments and backends](../environments-and-backends.md).",
    "",
    "## Environment files",
    "",
    ...tables(fields.environment, "###"),
    "## `environments/global.ts`",
    "",
    ...tables(fields.global, "###"),
  ].join("\n").replace(/\n+$/, "\n");
}
