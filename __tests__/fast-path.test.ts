/*
 * Default configuration: the transpile-only commands run on the repository's own environments/ (and report its files' errors).
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { readSynthDir, repoProjectSynth, tmpDir } from "./helpers";

/**
 * The transpile-only fast path (scripts/run.js) behind the cdktf.json app command and the npm
 * scripts: dist/ is keyed by content, so it can never be stale.
 *
 * Runs in a copy of the project (its sources, configuration and dist/ as jest's global set-up left
 * it, node_modules linked), so editing a config file there cannot disturb other tests.
 */
const ROOT = path.resolve(__dirname, "..");
const APP_COMMAND = (JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string }).app;
const COPIED = ["package.json", "tsconfig.json", "cdktf.json", "main.ts", "lib", "app", "environments", "stacks", "modules", "scripts", "services", "dist"];

function copyProject(): string {
  const dir = path.join(tmpDir("fast-path"), "project");
  fs.mkdirSync(dir);
  for (const name of COPIED) fs.cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** The app command exactly as cdktf.json has it, run by a shell in `dir` (as `cdktf synth` does, but writing cdktf.out). */
function appCommand(dir: string) {
  return spawnSync("sh", ["-c", APP_COMMAND], { cwd: dir, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: "" } });
}

function edit(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, "utf8");
  expect(text).toContain(from);
  fs.writeFileSync(file, text.replace(from, to));
}

describe("the transpile-only app command", () => {
  const dir = copyProject();
  const out = path.join(dir, "cdktf.out");
  const devNetwork = () => JSON.stringify(readSynthDir(out).stack("dev-network"));

  test("cdktf.json runs the fast path, with no type-check in it", () => {
    expect(APP_COMMAND).toBe("node scripts/run.js main.ts");
  });

  test("an edited config value shows up in cdktf.out at the next run (no stale dist/)", () => {
    // Before the edit: the project as synthesized (from the same sources and dist/) by the global set-up.
    expect(JSON.stringify(repoProjectSynth().stack("dev-network"))).toContain('"retention_in_days":14');

    edit(path.join(dir, "environments", "dev.ts"), "retentionDays: 14", "retentionDays: 30");
    const r = appCommand(dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(devNetwork()).toContain('"retention_in_days":30');
    expect(devNetwork()).not.toContain('"retention_in_days":14');
  });

  test("an output overwritten behind its back (another branch's tsc build) is replaced", () => {
    const js = path.join(dir, "dist", "environments", "dev.js");
    fs.writeFileSync(js, fs.readFileSync(js, "utf8").replace("retentionDays: 30", "retentionDays: 90"));
    expect(spawnSync(process.execPath, ["scripts/run.js"], { cwd: dir }).status).toBe(0);
    expect(fs.readFileSync(js, "utf8")).toContain("retentionDays: 30");
    expect(fs.readFileSync(js, "utf8")).not.toContain("retentionDays: 90");
  });

  test("the JavaScript of a deleted source is removed from dist/", () => {
    fs.writeFileSync(path.join(dir, "modules", "extra.ts"), "export const extra = 1;\n");
    expect(spawnSync(process.execPath, ["scripts/run.js"], { cwd: dir }).status).toBe(0);
    expect(fs.existsSync(path.join(dir, "dist", "modules", "extra.js"))).toBe(true);
    fs.rmSync(path.join(dir, "modules", "extra.ts"));
    expect(spawnSync(process.execPath, ["scripts/run.js"], { cwd: dir }).status).toBe(0);
    expect(fs.existsSync(path.join(dir, "dist", "modules", "extra.js"))).toBe(false);
  });

  test("a syntax error: one line naming file, line and column, exit 1, nothing run, cdktf.out untouched", () => {
    const before = devNetwork();
    edit(path.join(dir, "environments", "dev.ts"), 'name: "dev",', 'name: "dev",,');
    const r = appCommand(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Syntax error; nothing was run:\nenvironments\/dev\.ts:\d+:\d+: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(devNetwork()).toBe(before);
  });
});
