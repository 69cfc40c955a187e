#!/usr/bin/env node
// @ts-check
"use strict";
/**
 * The transpile-only fast path: every command of the project (the cdktf.json app command,
 * `npm run synth`, `check:terraform`, `bench`, `sandbox`, `review`) runs through this file.
 *
 *   node scripts/run.js                    bring dist/ up to date with the sources, nothing else
 *   node scripts/run.js main.ts [args...]  the same, then run dist/main.js with args in this process
 *                                          (exactly as `node dist/main.js args...` would)
 *
 * dist/ is keyed by content: dist/.transpile-state.json records, for every source file, the hash
 * of the source and the hash of the JavaScript written for it. A file whose source or output hash
 * differs (an edited config value, a branch switch, an output overwritten by a plain `tsc`, a
 * deleted output) is transpiled again with TypeScript's own `transpileModule` and the compiler
 * options of tsconfig.json; a JavaScript file in dist/ whose source is gone is deleted. Nothing
 * depends on timestamps, so dist/ cannot be stale. When nothing changed, TypeScript is not even
 * loaded: the check reads and hashes the sources and outputs (a few milliseconds).
 *
 * No type-checking happens here (cdktf's own templates make the same trade with ts-node's
 * transpile-only mode): type errors are reported by `npm run typecheck` (strict `tsc --noEmit`),
 * which `npm test` runs, and by the editor. Syntax errors are reported here, one line each, and
 * nothing runs.
 *
 * This file is plain JavaScript because it must run before anything is compiled.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
/** Directories never searched for sources (jest transpiles the tests itself). */
const SKIP_DIRS = new Set(["node_modules", "dist", "cdktf.out", "__tests__", ".git"]);

/** @typedef {{ include: string[]; compilerOptions: Record<string, unknown> }} TsConfig */

/** @returns {TsConfig} */
function readTsConfig() {
  const text = fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8");
  const json = JSON.parse(text);
  return { include: json.include ?? [], compilerOptions: json.compilerOptions ?? {} };
}

/**
 * The source files named by tsconfig.json's `include`: plain file names and `dir/**\/*.ts`
 * patterns (the only forms it uses), minus declaration files and tests.
 * @param {readonly string[]} include
 * @returns {string[]} paths relative to ROOT, with forward slashes, sorted
 */
function listSources(include) {
  /** @type {Set<string>} */
  const out = new Set();
  /** @param {string} rel */
  const walk = (rel) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(child);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.add(child);
    }
  };
  for (const pattern of include) {
    const recursive = /^([^*]+)\/\*\*\/\*\.ts$/.exec(pattern);
    if (recursive) {
      if (!SKIP_DIRS.has(recursive[1].split("/")[0])) walk(recursive[1]);
    } else if (!pattern.includes("*")) {
      if (fs.existsSync(path.join(ROOT, pattern))) out.add(pattern);
    } else {
      throw new Error(`scripts/run.js: tsconfig.json include pattern ${JSON.stringify(pattern)} is not supported (use a file name or dir/**/*.ts)`);
    }
  }
  return [...out].sort();
}

/** @param {string | Buffer} data */
const hash = (data) => crypto.createHash("sha1").update(data).digest("hex");

/** @param {string} file */
function readOrUndefined(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** @param {string} file @param {string} data */
function writeAtomically(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Every .js file below dir, relative to ROOT. @param {string} dir @returns {string[]} */
function listJs(dir) {
  /** @type {string[]} */
  const out = [];
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listJs(p));
    else if (e.name.endsWith(".js")) out.push(p);
  }
  return out;
}

class TranspileError extends Error {}

/**
 * Brings dist/ up to date: transpiles every source whose source or output hash is not the
 * recorded one, deletes JavaScript files without a source. Throws TranspileError on a syntax error.
 * @returns {{ transpiled: string[]; removed: string[]; outDir: string }}
 */
function build() {
  const config = readTsConfig();
  const rootDir = path.resolve(ROOT, String(config.compilerOptions.rootDir ?? "."));
  const outDir = path.resolve(ROOT, String(config.compilerOptions.outDir ?? "dist"));
  const stateFile = path.join(outDir, ".transpile-state.json");
  const tsVersion = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json", { paths: [ROOT] }), "utf8")).version;
  // Anything that changes the emitted code for the same source invalidates every output.
  const key = hash(JSON.stringify([tsVersion, config.compilerOptions, fs.readFileSync(__filename, "utf8")]));
  /** @type {{ key?: string; files?: Record<string, [string, string]> }} */
  let state = {};
  try {
    state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
  } catch {
    state = {};
  }
  /** @type {Record<string, [string, string]>} */
  const recorded = state.key === key && state.files ? state.files : {};
  /** @type {Record<string, [string, string]>} */
  const files = {};
  /** @type {{ rel: string; text: string; srcHash: string; outFile: string }[]} */
  const stale = [];
  const sources = listSources(config.include);
  /** @param {string} rel */
  const outFileOf = (rel) => path.join(outDir, path.relative(rootDir, path.join(ROOT, rel)).replace(/\.ts$/, ".js"));
  for (const rel of sources) {
    const text = fs.readFileSync(path.join(ROOT, rel), "utf8");
    const srcHash = hash(text);
    const outFile = outFileOf(rel);
    const out = readOrUndefined(outFile);
    const before = recorded[rel];
    if (out !== undefined && before && before[0] === srcHash && before[1] === hash(out)) files[rel] = before;
    else stale.push({ rel, text, srcHash, outFile });
  }

  if (stale.length) {
    /** @type {typeof import("typescript")} */
    const ts = require(require.resolve("typescript", { paths: [ROOT] }));
    const converted = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT, "tsconfig.json");
    if (converted.errors.length) throw new TranspileError(ts.formatDiagnostics(converted.errors, formatHost(ts)));
    // Per-file emit: the options about the project as a whole (where files live, build info) do not
    // change a file's JavaScript, and transpileModule would report them as errors.
    const { rootDir: _r, outDir: _o, tsBuildInfoFile: _t, incremental: _i, composite: _c, ...perFile } = converted.options;
    const compilerOptions = { ...perFile, noEmit: false, declaration: false, sourceMap: false };
    /** @type {string[]} */
    const problems = [];
    for (const s of stale) {
      const r = ts.transpileModule(s.text, { compilerOptions, fileName: s.rel, reportDiagnostics: true });
      const errors = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length) {
        for (const d of errors) {
          const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
          problems.push(`${s.rel}${where ? `:${where.line + 1}:${where.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
        }
        continue;
      }
      writeAtomically(s.outFile, r.outputText);
      files[s.rel] = [s.srcHash, hash(r.outputText)];
    }
    if (problems.length) {
      writeState(stateFile, key, files);
      throw new TranspileError(`Syntax error${problems.length === 1 ? "" : "s"}; nothing was run:\n${problems.join("\n")}`);
    }
  }

  // A JavaScript file whose source is gone must not stay loadable.
  const expected = new Set(sources.map(outFileOf));
  /** @type {string[]} */
  const removed = [];
  for (const js of listJs(outDir)) {
    if (!expected.has(js)) {
      fs.rmSync(js, { force: true });
      removed.push(path.relative(ROOT, js));
    }
  }
  if (stale.length || removed.length || Object.keys(recorded).length !== sources.length) writeState(stateFile, key, files);
  return { transpiled: stale.map((s) => s.rel), removed, outDir };
}

/** @param {string} stateFile @param {string} key @param {Record<string, [string, string]>} files */
function writeState(stateFile, key, files) {
  writeAtomically(stateFile, `${JSON.stringify({ key, files }, null, 1)}\n`);
}

/** @param {typeof import("typescript")} ts @returns {import("typescript").FormatDiagnosticsHost} */
function formatHost(ts) {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => ts.sys.newLine };
}

function cli() {
  const [entry, ...args] = process.argv.slice(2);
  let outDir;
  try {
    ({ outDir } = build());
  } catch (e) {
    if (!(e instanceof TranspileError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
    return;
  }
  if (entry === undefined) return;
  if (!entry.endsWith(".ts")) {
    process.stderr.write(`error: usage: node scripts/run.js [<file>.ts [args...]] (got ${entry})\n`);
    process.exitCode = 1;
    return;
  }
  const target = path.join(outDir, path.relative(ROOT, path.resolve(ROOT, entry)).replace(/\.ts$/, ".js"));
  if (!fs.existsSync(target)) {
    process.stderr.write(`error: ${entry} is not one of the project's sources (tsconfig.json include)\n`);
    process.exitCode = 1;
    return;
  }
  // As if started as `node dist/<entry>.js args...`: process.argv and require.main are the target's.
  process.argv = [process.argv[0], target, ...args];
  require("module").runMain();
}

module.exports = { build, TranspileError };

if (require.main === module) cli();
