import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../stacks/app";
import { loadProject } from "../stacks/project";

/**
 * Synthesizes the project once, as `npm run synth` does, for every test file that reads it
 * (helpers.repoProjectSynth); test workers find it through HARBOR_PROJECT_SYNTH.
 */
export default function globalSetup(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-project-"));
  buildApp(loadProject(), outdir).app.synth();
  process.env.HARBOR_PROJECT_SYNTH = outdir;
}
