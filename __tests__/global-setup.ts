import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../app/app";
import { loadProject } from "../app/project";
import { ConfigError } from "../environments/load";
import { runIncludesTypecheck, startTypecheck } from "./typecheck-run";
import { synthFixtureProject } from "./helpers";

/**
 * Starts `npm run typecheck` in the background when the run includes typecheck.test.ts (the
 * set-up below runs on one core; the type-check takes the other), then brings dist/ up to date
 * through the same transpile-only fast path as `npm run synth` (scripts/run.js), for the tests
 * that run the compiled commands; and synthesizes the project once, as `npm run synth` does, for
 * every test file that reads it (helpers.repoProjectSynth), and the fixture project the module
 * tests read (helpers.fixtureProjectSynth). Test workers find the synths through
 * HARBOR_PROJECT_SYNTH and HARBOR_FIXTURE_SYNTH and the type-check through HARBOR_TYPECHECK_DIR.
 */
export default function globalSetup(config: { testPathPattern?: string; testNamePattern?: string }): void {
  if (runIncludesTypecheck(config)) {
    const { dir, pid } = startTypecheck();
    process.env.HARBOR_TYPECHECK_DIR = dir;
    process.env.HARBOR_TYPECHECK_PID = String(pid);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("../scripts/run.js") as { build: () => unknown }).build();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-project-"));
  try {
    buildApp(loadProject(), outdir).app.synth();
    process.env.HARBOR_PROJECT_SYNTH = outdir;
  } catch (e) {
    // An invalid example configuration fails the default-configuration tests (repoProjectSynth
    // throws the same error there), not the set-up of every test file.
    if (!(e instanceof ConfigError)) throw e;
  }
  const fixtureOutdir = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-fixture-"));
  synthFixtureProject(fixtureOutdir);
  process.env.HARBOR_FIXTURE_SYNTH = fixtureOutdir;
}
