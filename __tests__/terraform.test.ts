import * as os from "os";
import * as path from "path";
import { findTerraform, runTerraformChecks, selectStacks, DEFAULT_PLUGIN_DIR } from "../scripts/terraform-check";
import { repoProjectSynth } from "./helpers";

/**
 * The closest thing to `cdktf plan` in CI: real Terraform and the real AWS provider validate every
 * AWS-only stack of the project exactly as `npm run synth` builds it (environments, sandboxes,
 * services), then plan and apply it against a mocked API.
 * Without Terraform this skips, except under CI, where it fails.
 *
 * To keep the suite within its time budget, edge stacks are validated and planned but not applied:
 * a mocked apply of their two WAF web ACLs costs about 15 s of CPU per stack (the ACL schema is
 * huge). `npm run check:terraform` plans and applies every stack, edge included.
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

  test("init + validate + mocked plan of every AWS-only stack, and mocked apply of every one but the edge stacks", () => {
    const edges = out.stacks.filter((s) => s.endsWith("-edge"));
    const result = runTerraformChecks({ outdir: out.outdir, workdir: path.join(os.tmpdir(), "harbor-tf-check", "jest"), pluginDir, planOnly: edges });
    if (!result.ok) throw new Error(`terraform ${result.failedStep} failed:\n${result.log}`);
    expect(result.log).toMatch(/Success! The configuration is valid\./);
    expect(result.log).toMatch(/run "plan"\.\.\. pass/);
    expect(result.log).toMatch(/run "apply"\.\.\. pass/);
  });
});
