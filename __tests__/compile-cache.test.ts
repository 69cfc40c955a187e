/*
 * The app's V8 code cache (app/compile-cache.ts): a second run loads from it, an edited file never
 * runs from an old entry, and a module sees Node's own require/__filename/require.main.
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { tmpDir } from "./helpers";

const CACHE_JS = path.resolve(__dirname, "..", "dist", "app", "compile-cache.js");

describe("compile cache", () => {
  const work = tmpDir("compile-cache");
  const cacheDir = path.join(work, "cache");
  const mod = path.join(work, "mod.js");
  const runner = path.join(work, "run.js");
  fs.writeFileSync(
    runner,
    `const stats = require(${JSON.stringify(CACHE_JS)}).installCompileCache(process.argv[2]);
     const m = require(${JSON.stringify(mod)});
     console.log(JSON.stringify({ value: m.value, file: m.file, resolved: m.resolved, main: m.main, hits: stats.hits, misses: stats.misses }));`,
  );
  const run = (env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [runner, cacheDir], { encoding: "utf8", env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as { value: number; file: string; resolved: string; main: boolean; hits: number; misses: number };
  };
  const write = (value: number) =>
    fs.writeFileSync(mod, `exports.value = ${value}; exports.file = __filename; exports.resolved = require.resolve("./run.js"); exports.main = require.main === module;`);

  test("the first run compiles and records; the second runs from the cache, with the same result", () => {
    write(1);
    const first = run();
    expect(first).toEqual({ value: 1, file: mod, resolved: runner, main: false, hits: 0, misses: 1 });
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
    expect(run()).toEqual({ ...first, hits: 1, misses: 0 });
  });

  test("an edited file (same length, new content) runs as edited, never from the old entry", () => {
    write(2);
    expect(run()).toMatchObject({ value: 2, hits: 0, misses: 1 });
    expect(run()).toMatchObject({ value: 2, hits: 1, misses: 0 });
  });

  test("a corrupt entry is rejected by V8 and the file compiles as usual", () => {
    for (const f of fs.readdirSync(cacheDir)) fs.writeFileSync(path.join(cacheDir, f), "not a code cache");
    expect(run()).toMatchObject({ value: 2, hits: 0, misses: 1 });
  });

  test("HARBOR_COMPILE_CACHE=0 turns it off", () => {
    expect(run({ HARBOR_COMPILE_CACHE: "0" })).toMatchObject({ value: 2, hits: 0, misses: 0 });
  });
});
