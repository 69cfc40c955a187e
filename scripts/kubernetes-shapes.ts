import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * The shapes of Kubernetes API objects, read from the type declarations the `kubernetes-models`
 * package generates from the Kubernetes OpenAPI schema (one interface per definition, one file per
 * interface). Used to turn a synthesized `kubernetes_*` resource (Terraform's snake_case blocks)
 * into its API object field by field: a Terraform field with no API field of that name is a wrong
 * field, reported as such, never dropped.
 */
export type Shape =
  | { readonly kind: "object"; readonly name: string; readonly props: ReadonlyMap<string, { readonly required: boolean; readonly shape: () => Shape }> }
  | { readonly kind: "array"; readonly item: () => Shape }
  | { readonly kind: "map"; readonly value: () => Shape }
  | { readonly kind: "string" | "number" | "boolean" | "intOrString" | "any" }
  | { readonly kind: "enum"; readonly values: readonly string[] };

/** Where the generated declarations live. */
export function modelsRoot(from = __dirname): string {
  return path.dirname(require.resolve("kubernetes-models/package.json", { paths: [from] }));
}

interface ParsedFile {
  readonly source: ts.SourceFile;
  /** Imported name -> module specifier. */
  readonly imports: Map<string, string>;
  /** Exported alias -> local name (`export type { IX as IIoK8s... }`). */
  readonly aliases: Map<string, string>;
  readonly declarations: Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
}

export class ShapeReader {
  private readonly files = new Map<string, ParsedFile>();
  private readonly shapes = new Map<string, Shape>();
  private readonly modelsDir: string;
  private readonly nodeModules: string;

  constructor(modelsDir = modelsRoot()) {
    this.modelsDir = modelsDir;
    this.nodeModules = path.dirname(modelsDir);
  }

  /** The shape of a top-level API kind, e.g. ("apps/v1", "Deployment"). */
  kind(apiVersion: string, kind: string): Shape | undefined {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const file = path.join(this.modelsDir, group === "" ? version : path.join(group, version), `${kind}.d.ts`);
    if (!fs.existsSync(file)) return undefined;
    return this.named(file, `I${kind}`);
  }

  private parse(file: string): ParsedFile {
    const hit = this.files.get(file);
    if (hit) return hit;
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2020, false);
    const imports = new Map<string, string>();
    const aliases = new Map<string, string>();
    const declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
    for (const st of source.statements) {
      if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
        for (const el of st.importClause.namedBindings.elements) imports.set(el.name.text, (st.moduleSpecifier as ts.StringLiteral).text);
      } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) aliases.set(el.name.text, (el.propertyName ?? el.name).text);
      } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        declarations.set(st.name.text, st);
      }
    }
    const parsed = { source, imports, aliases, declarations };
    this.files.set(file, parsed);
    return parsed;
  }

  private resolveModule(from: string, spec: string): string {
    const base = spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : path.join(this.nodeModules, spec);
    return base.replace(/\.js$/, "") + ".d.ts";
  }

  /** The shape of a declaration named `name` as seen from `file` (imported, aliased or local). */
  private named(file: string, name: string): Shape {
    const key = `${file}#${name}`;
    const hit = this.shapes.get(key);
    if (hit) return hit;
    const f = this.parse(file);
    if (!f.declarations.has(name) && !f.aliases.has(name) && f.imports.has(name)) {
      const shape = this.named(this.resolveModule(file, f.imports.get(name)!), name);
      this.shapes.set(key, shape);
      return shape;
    }
    const local = f.declarations.has(name) ? name : f.aliases.get(name) ?? name;
    const decl = f.declarations.get(local);
    if (!decl) return { kind: "any" };
    if (ts.isTypeAliasDeclaration(decl)) {
      const shape = this.typeShape(file, decl.type);
      this.shapes.set(key, shape);
      return shape;
    }
    const props = new Map<string, { required: boolean; shape: () => Shape }>();
    const shape: Shape = { kind: "object", name: local.replace(/^I/, ""), props };
    this.shapes.set(key, shape);
    for (const m of decl.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const prop = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(f.source);
      const typeNode = m.type;
      let memo: Shape | undefined;
      props.set(prop, { required: !m.questionToken, shape: () => (memo ??= this.typeShape(file, typeNode)) });
    }
    if (decl.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText(f.source) === "TypeMeta"))) {
      for (const p of ["apiVersion", "kind"]) if (!props.has(p)) props.set(p, { required: true, shape: () => ({ kind: "string" }) });
    }
    return shape;
  }

  private typeShape(file: string, node: ts.TypeNode): Shape {
    const f = this.parse(file);
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { kind: "string" };
      case ts.SyntaxKind.NumberKeyword:
        return { kind: "number" };
      case ts.SyntaxKind.BooleanKeyword:
        return { kind: "boolean" };
      default:
        break;
    }
    if (ts.isArrayTypeNode(node)) return { kind: "array", item: () => this.typeShape(file, node.elementType) };
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(f.source);
      if (name === "Array" && node.typeArguments?.length === 1) {
        const t = node.typeArguments[0];
        return { kind: "array", item: () => this.typeShape(file, t) };
      }
      return this.named(file, name);
    }
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index) return { kind: "map", value: () => this.typeShape(file, index.type) };
      return { kind: "any" };
    }
    if (ts.isUnionTypeNode(node)) {
      const literals = node.types.filter((t): t is ts.LiteralTypeNode => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
      if (literals.length === node.types.length) return { kind: "enum", values: literals.map((l) => (l.literal as ts.StringLiteral).text) };
      const kinds = new Set(node.types.map((t) => t.kind));
      if (kinds.has(ts.SyntaxKind.StringKeyword) && kinds.has(ts.SyntaxKind.NumberKeyword)) return { kind: "intOrString" };
      return { kind: "any" };
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { kind: "enum", values: [node.literal.text] };
    return { kind: "any" };
  }
}
