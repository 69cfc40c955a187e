import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";

/**
 * `npm run typecheck` for typecheck.test.ts. jest's global set-up starts it in the background
 * (startTypecheck) when the run includes that test, so the type-check (the longest single process
 * after Terraform's validate) runs while the set-up still builds dist/ and synthesizes on one core;
 * the test then only waits for its result (typecheckResult). Run alone, the test runs it itself.
 */
const ROOT = path.resolve(__dirname, "..");
export const TYPECHECK_TEST = path.join(ROOT, "__tests__", "typecheck.test.ts");
export const TYPECHECK_NAME = "npm run typecheck passes (strict tsc --noEmit)";

export interface TypecheckResult {
  readonly status: number | null;
  /** stdout and stderr of `npm run --silent typecheck`. */
  readonly output: string;
}

/** Starts `npm run --silent typecheck` detached; its output and exit status land in a new directory. */
export function startTypecheck(): { dir: string; pid: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-typecheck-"));
  // The status file appears (renamed into place) only once the output is complete.
  const script = 'npm run --silent typecheck >"$1/output" 2>&1; echo $? >"$1/status.tmp"; mv "$1/status.tmp" "$1/status"';
  const child = spawn("sh", ["-c", script, "sh", dir], { cwd: ROOT, detached: true, stdio: "ignore" });
  child.unref();
  return { dir, pid: child.pid! };
}

/** The result of the background type-check in `dir`, once it has finished. */
export async function waitForTypecheck(dir: string): Promise<TypecheckResult> {
  const status = path.join(dir, "status");
  while (!fs.existsSync(status)) await new Promise((r) => setTimeout(r, 100));
  return { status: Number(fs.readFileSync(status, "utf8").trim()), output: fs.readFileSync(path.join(dir, "output"), "utf8") };
}

/** The background type-check's result when global set-up started one (HARBOR_TYPECHECK_DIR), else a fresh run. */
export async function typecheckResult(): Promise<TypecheckResult> {
  const dir = process.env.HARBOR_TYPECHECK_DIR;
  if (dir && fs.existsSync(dir)) return waitForTypecheck(dir);
  const r = spawnSync("npm", ["run", "--silent", "typecheck"], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Whether a jest run with this configuration runs typecheck.test.ts (its path and name patterns). */
export function runIncludesTypecheck(config: { testPathPattern?: string; testNamePattern?: string }): boolean {
  const pathOk = !config.testPathPattern || new RegExp(config.testPathPattern, "i").test(TYPECHECK_TEST);
  const nameOk = !config.testNamePattern || new RegExp(config.testNamePattern, "i").test(TYPECHECK_NAME);
  return pathOk && nameOk;
}
