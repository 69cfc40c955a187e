import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../app/app";
import { loadProject } from "../app/project";

/**
 * Brings dist/ up to date through the same transpile-only fast path as `npm run synth`
 * (scripts/run.js), for the tests that run the compiled commands; and synthesizes the project
 * once, as `npm run synth` does, for every test file that reads it (helpers.repoProjectSynth);
 * test workers find it through HARBOR_PROJECT_SYNTH.
 */
export default function globalSetup(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("../scripts/run.js") as { build: () => unknown }).build();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-project-"));
  buildApp(loadProject(), outdir).app.synth();
  process.env.HARBOR_PROJECT_SYNTH = outdir;
}
