/*
 * Default configuration: the compiled synth command (dist/main.js) on environments/, with bad service directories given with --services.
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { tmpDir, runMain, treeHash } from "./helpers";
import { MALFORMED } from "./fixtures/services/malformed";

/** Bad service descriptors through the real command (jest's global set-up brings dist/ up to date first). */


/** Fourteen of the malformed descriptors (the loader tests cover all of them; each CLI run costs about a second). */
const CLI_CASES = [
  "not YAML",
  "a Compose schema violation (replicas not an integer)",
  "an unknown x- key",
  "a bad route path",
  "x-scaling min > max",
  "memory below what the CPU needs",
  "duplicate routes",
  "a secret given as a literal file",
  "an unsupported Compose field (privileged)",
  "a published host port",
  "an override for an unknown environment",
  "the latest tag",
  "a call to an unknown service",
  "a call to a port the callee does not expose",
];
const cases = MALFORMED.filter(([name]) => CLI_CASES.includes(name));

describe("bad service descriptors on the command line", () => {
  test("cover fourteen kinds of mistake", () => expect(cases).toHaveLength(14));

  const work = tmpDir("compose-cli");
  const outdir = path.join(work, "cdktf.out");

  beforeAll(() => {
    // A previous good output (only one environment, to keep it quick).
    const r = runMain(["--outdir", outdir, "--env", "dev"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test.each(cases)("%s: exit 1, one line naming file and field, previous output untouched", (_what, files, expected) => {
    const before = treeHash(outdir);
    const dir = path.join(tmpDir("compose-cli-case"), "services");
    fs.mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const r = runMain(["--outdir", outdir, "--env", "dev", "--services", dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Invalid configuration \(\d+ problems?\); nothing was written:\n/);
    const lines = r.stderr.trimEnd().split("\n").slice(1);
    expect(lines.join("\n")).toMatch(new RegExp(expected.source, "m"));
    for (const line of lines) expect(line).toMatch(/^services\/[a-z]+\.ya?ml: \S* ?.* \(got .*\)$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(treeHash(outdir)).toBe(before);
    expect(fs.readdirSync(work).filter((n) => n.includes(".tmp-") || n.includes(".old-"))).toEqual([]);
  });

  test("--services needs a directory", () => {
    const r = runMain(["--services"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --services needs a value/);
  });
});
