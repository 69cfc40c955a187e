import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../app/app";
import { loadProject } from "../app/project";
import { projectRoot } from "../lib/project-root";
import { alarmsMarkdown } from "./docs-alarms";
import { environmentFields, environmentFieldsMarkdown } from "./docs-fields";

/**
 * `npm run docs`: regenerates the generated references in docs/reference/:
 *   environment-fields.md  from the schema's JSDoc and defaults (scripts/docs-fields.ts)
 *   alarms.md              from a synthesis of the default configuration (scripts/docs-alarms.ts)
 *
 *   npm run docs                     write both
 *   npm run docs -- --check          write nothing; exit 1 naming each file that is stale
 *   --from DIR                       read this synthesized output instead of synthesizing afresh
 *   --out DIR                        the reference directory (default docs/reference)
 *
 * A `@default` in the schema's JSDoc that contradicts the schema's `.default()` is an error
 * (`file: field: message (got value)`, exit 1): the page would document a default the code does
 * not have.
 */

export const REFERENCE_DIR = path.join("docs", "reference");

export interface GeneratedDoc {
  /** File name inside the reference directory. */
  readonly file: string;
  readonly content: string;
}

/** Both generated pages; `synthDir` is a synthesized output of the default configuration. */
export function generatedDocs(synthDir: string): GeneratedDoc[] {
  const fields = environmentFields();
  if (fields.mismatches.length) {
    throw new Error(
      fields.mismatches
        .map((m) => `${m.file}: ${m.path}: the JSDoc @default says "${m.documented}", but the schema's default is ${JSON.stringify(m.actual)}: make them agree (got ${JSON.stringify(m.documented)})`)
        .join("\n"),
    );
  }
  return [
    { file: "environment-fields.md", content: environmentFieldsMarkdown(fields) },
    { file: "alarms.md", content: alarmsMarkdown(synthDir) },
  ];
}

/** Files of `outDir` whose content differs from what `docs` would write (missing ones too). */
export function staleDocs(docs: readonly GeneratedDoc[], outDir: string): string[] {
  return docs.filter((d) => {
    const file = path.join(outDir, d.file);
    return !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== d.content;
  }).map((d) => path.join(outDir, d.file));
}

interface Args {
  readonly check: boolean;
  readonly from?: string;
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Args {
  let check = false;
  let from: string | undefined;
  let out = path.join(projectRoot(), REFERENCE_DIR);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") check = true;
    else if ((a === "--from" || a === "--out") && argv[i + 1] !== undefined) {
      const v = path.resolve(argv[++i]);
      if (a === "--from") from = v;
      else out = v;
    } else throw new Error(`docs: unknown or incomplete argument ${JSON.stringify(a)}; usage: npm run docs [-- --check] [--from DIR] [--out DIR]`);
  }
  return { check, from, out };
}

/** The command: its exit code (0 current or written, 1 stale or failed, 2 bad arguments). */
export function main(argv: readonly string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  let synthDir = args.from;
  let scratch: string | undefined;
  try {
    if (!synthDir) {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-docs-"));
      buildApp(loadProject(), scratch).app.synth();
      synthDir = scratch;
    }
    const docs = generatedDocs(synthDir);
    const rel = (f: string) => path.relative(process.cwd(), f) || f;
    if (args.check) {
      const stale = staleDocs(docs, args.out);
      for (const f of stale) console.error(`${rel(f)}: stale: run npm run docs and commit the result`);
      if (!stale.length) console.log(`docs: ${docs.map((d) => rel(path.join(args.out, d.file))).join(", ")} are current`);
      return stale.length ? 1 : 0;
    }
    fs.mkdirSync(args.out, { recursive: true });
    for (const d of docs) {
      fs.writeFileSync(path.join(args.out, d.file), d.content);
      console.log(`docs: wrote ${rel(path.join(args.out, d.file))}`);
    }
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
