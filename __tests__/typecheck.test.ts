import * as path from "path";
import { spawnSync } from "child_process";

/**
 * `npm run typecheck` (strict `tsc --noEmit` over the whole project, tests included) as part of
 * `npm test`: the app command and the npm scripts only transpile, so type errors are caught here
 * (and in the editor). It runs as a test so that it overlaps the other suites instead of delaying
 * them (the sequencer starts it right after the Terraform checks).
 */
const ROOT = path.resolve(__dirname, "..");

test("npm run typecheck passes (strict tsc --noEmit)", () => {
  const r = spawnSync("npm", ["run", "--silent", "typecheck"], { cwd: ROOT, encoding: "utf8" });
  expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
  expect(r.status).toBe(0);
});
