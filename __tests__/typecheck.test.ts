import { TYPECHECK_NAME, typecheckResult } from "./typecheck-run";

/**
 * `npm run typecheck` (strict `tsc --noEmit` over the whole project, tests included) as part of
 * `npm test`: the app command and the npm scripts only transpile, so type errors are caught here
 * (and in the editor). jest's global set-up starts it in the background before the suites run
 * (see typecheck-run.ts), so it overlaps the set-up and the other suites; this test waits for it.
 */
test(TYPECHECK_NAME, async () => {
  const r = await typecheckResult();
  expect(r.output.trim()).toBe("");
  expect(r.status).toBe(0);
});
