/*
 * Default configuration: `terraform validate` (and friends) over the project as `npm run synth` builds it (helpers.repoProjectSynth).
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { findTerraform, runTerraformChecks, selectStacks, DEFAULT_PLUGIN_DIR } from "../scripts/terraform-check";
import { repoProjectSynth, tmpDir } from "./helpers";

/**
 * The closest thing to `cdktf plan` in the suite: real Terraform and the real AWS provider
 * validate every AWS-only stack of the project exactly as `npm run synth` builds it (environments,
 * sandboxes, services), in one init and one validate over one generated root module. The validate
 * also checks the generated mocked test file (mocks, remote-state overrides).
 * Without Terraform this skips, except under CI, where it fails.
 *
 * The mocked plan + apply of every stack (edge included) costs about a minute more, so it runs in
 * `npm run check:terraform`, which `.ci/run` runs right after `npm test` over the same synth.
 */
const terraform = findTerraform();
const pluginDir = process.env.TF_PLUGIN_DIR ?? DEFAULT_PLUGIN_DIR;

describe("real Terraform checks", () => {
  if (!terraform) {
    test("terraform is available", () => {
      if (process.env.CI) throw new Error("terraform not found, and CI is set: the Terraform checks are required in CI");
      console.warn("terraform not found: Terraform checks skipped");
    });
    return;
  }

  const out = repoProjectSynth();

  test("every stack is either checkable or reported as not checkable", () => {
    const selection = selectStacks(out.outdir, pluginDir);
    expect([...selection.checkable, ...selection.notCheckable.map((s) => s.stack)].sort()).toEqual(out.stacks);
    expect(selection.checkable).toEqual(expect.arrayContaining(["global", "dev-network", "dev-edge", "dev-platform", "dev-apps", "prod-data", "staging-platform", "sandbox-demo-network"]));
    expect(selection.notCheckable.map((s) => s.stack)).toEqual(["qa-addons", "qa-apps", "staging-addons", "staging-apps"]);
  });

  test("init + validate of every AWS-only stack (and of the mocked plan + apply that check:terraform runs)", () => {
    const workdir = tmpDir("tf-check");
    const result = runTerraformChecks({ outdir: out.outdir, workdir, pluginDir, steps: "validate" });
    if (!result.ok) throw new Error(`terraform ${result.failedStep} failed:\n${result.log}`);
    expect(result.log).toMatch(/Success! The configuration is valid\./);
    expect(result.log).not.toMatch(/\$ terraform test/);
    // The generated test applies every checkable stack: nothing is left plan-only or untargeted.
    const testFile = fs.readFileSync(path.join(workdir, "tests", "mocked.tftest.hcl"), "utf8");
    expect(testFile).toContain('run "apply" {\n  command = apply\n}');
    expect(testFile).not.toContain('run "plan"');
    const root = JSON.parse(fs.readFileSync(path.join(workdir, "main.tf.json"), "utf8")) as { module: Record<string, unknown> };
    expect(Object.keys(root.module).sort()).toEqual(result.selection.checkable);
    fs.rmSync(workdir, { recursive: true, force: true });
  });
});
