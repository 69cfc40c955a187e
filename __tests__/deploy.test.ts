import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { deploy, refusedByPreventDestroy, selectDeployStacks, stackEnvironment, summaryTable, terraformErrors } from "../scripts/deploy-lib";

const DEPS = {
  global: [],
  "dev-network": [],
  "dev-data": ["dev-network"],
  "dev-edge": ["dev-network", "global"],
  "dev-apps": ["dev-edge", "dev-data"],
  "staging-network": [],
  "staging-platform": ["staging-network", "global"],
  "qa-network": [],
  "qa-apps": ["qa-network", "staging-platform"],
};

/**
 * A stand-in `terraform` that records each call (stack directory and arguments) and answers like
 * Terraform: `plan` prints a plan line and exits 2 (changes), `apply` exits 0. A stack whose
 * directory holds FAIL_PLAN / FAIL_APPLY / REFUSE fails there (REFUSE: prevent_destroy's error).
 */
function fakeTerraform(dir: string): string {
  const bin = path.join(dir, "terraform");
  fs.writeFileSync(
    bin,
    `#!/usr/bin/env bash
echo "$(basename "$PWD") $*" >> "${dir}/calls.log"
case "$1" in
  init) echo "Terraform has been successfully initialized!"; exit 0 ;;
  plan)
    if [[ -f FAIL_PLAN ]]; then printf '\\nError: Invalid reference\\n\\n  on cdk.tf.json line 1:\\n  with aws_subnet.bad,\\n  A reference is wrong.\\n'; exit 1; fi
    if [[ " $* " == *" -destroy "* && -f REFUSE ]]; then printf '╷\\n│ Error: Instance cannot be destroyed\\n│\\n│   on cdk.tf.json line 9:\\n│  with aws_db_instance.orders,\\n│ Resource aws_db_instance.orders has lifecycle.prevent_destroy set.\\n╵\\n'; exit 1; fi
    touch tfplan; echo "Plan: 3 to add, 1 to change, 0 to destroy."; exit 2 ;;
  apply)
    [[ -f tfplan && "$*" == *" tfplan" ]] || { echo "Error: no saved plan"; exit 1; }
    if [[ -f FAIL_APPLY ]]; then printf '\\nError: creating EC2 Subnet: InvalidVpcID.NotFound\\n\\n  with aws_subnet.private["us-east-1a"],\\n  on cdk.tf.json line 3:\\n'; exit 1; fi
    echo "Apply complete!"; exit 0 ;;
esac
exit 1
`,
  );
  fs.chmodSync(bin, 0o755);
  return bin;
}

function outdirWith(deps: Record<string, string[]>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-deploy-test-"));
  const stacks = Object.fromEntries(
    Object.entries(deps).map(([s, d]) => {
      fs.mkdirSync(path.join(dir, "stacks", s), { recursive: true });
      return [s, { name: s, workingDirectory: `stacks/${s}`, synthesizedStackPath: `stacks/${s}/cdk.tf.json`, dependencies: d }];
    }),
  );
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks }));
  return dir;
}

const calls = (dir: string) => fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
const quiet = () => undefined;

describe("scripts/deploy: selection", () => {
  test("an environment's stacks come with the stacks they read, in dependency order", () => {
    expect(selectDeployStacks(DEPS, { envs: ["dev"], mode: "apply" })).toEqual(["dev-network", "global", "dev-data", "dev-edge", "dev-apps"]);
    // qa is an EKS guest: staging's network and cluster come first.
    expect(selectDeployStacks(DEPS, { envs: ["qa"], mode: "apply" })).toEqual(["global", "qa-network", "staging-network", "staging-platform", "qa-apps"]);
  });

  test("--no-deps keeps only the named stacks; --stack names stacks", () => {
    expect(selectDeployStacks(DEPS, { envs: ["qa"], mode: "apply", withDependencies: false })).toEqual(["qa-network", "qa-apps"]);
    expect(selectDeployStacks(DEPS, { stacks: ["dev-data"], mode: "plan" })).toEqual(["dev-network", "dev-data"]);
  });

  test("destroy runs in reverse order and takes the stacks that read the selected ones", () => {
    expect(selectDeployStacks(DEPS, { stacks: ["dev-network"], mode: "destroy" })).toEqual(["dev-apps", "dev-edge", "dev-data", "dev-network"]);
    const all = selectDeployStacks(DEPS, { mode: "destroy" });
    for (const [s, ds] of Object.entries(DEPS)) for (const d of ds) expect(all.indexOf(s)).toBeLessThan(all.indexOf(d));
  });

  test("unknown environments and stacks are named with what exists", () => {
    expect(() => selectDeployStacks(DEPS, { envs: ["dve"], mode: "apply" })).toThrow("unknown environment dve; known: dev, global, qa, staging");
    expect(() => selectDeployStacks(DEPS, { stacks: ["dev-netwrk"], mode: "apply" })).toThrow("unknown stack dev-netwrk; known:");
  });

  test("stack names split into environment and layer at the last dash", () => {
    expect(stackEnvironment("sandbox-demo-network")).toBe("sandbox-demo");
    expect(stackEnvironment("global")).toBe("global");
  });
});

describe("scripts/deploy: Terraform errors", () => {
  test("each error's message and the address Terraform names", () => {
    const out = "╷\n│ Error: creating RDS DB Subnet Group (harbor-dev-app): InvalidSubnetID.NotFound: subnet-1-typo\n│\n│   with aws_db_subnet_group.app_subnets_30FC058C,\n│   on cdk.tf.json line 120, in resource \"aws_db_subnet_group\" \"app_subnets_30FC058C\":\n│  120:       }\n╵\n";
    expect(terraformErrors(out)).toEqual([{ address: "aws_db_subnet_group.app_subnets_30FC058C", message: "creating RDS DB Subnet Group (harbor-dev-app): InvalidSubnetID.NotFound: subnet-1-typo" }]);
    // Terraform 1.11's own words (plan -destroy -no-color), which name the resource only in the text.
    const refusal = "Plan: 0 to add, 0 to change, 1 to destroy.\n\nError: Instance cannot be destroyed\n\n  on main.tf.json line 1, in resource.terraform_data:\n   1: {}\n\nResource terraform_data.x has lifecycle.prevent_destroy set, but the plan\ncalls for this resource to be destroyed.\n";
    const errors = terraformErrors(refusal);
    expect(errors).toEqual([{ address: "terraform_data.x", message: "Instance cannot be destroyed: Resource terraform_data.x has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed." }]);
    expect(refusedByPreventDestroy(errors)).toBe(true);
    expect(refusedByPreventDestroy([{ message: "Instance cannot be destroyed" }, { message: "creating X" }])).toBe(false);
  });
});

describe("scripts/deploy: runs Terraform", () => {
  test("plans to a saved plan and applies exactly it, each stack after the stacks it reads", async () => {
    const dir = outdirWith(DEPS);
    const result = await deploy({ outdir: dir, mode: "apply", envs: ["dev"], terraform: fakeTerraform(dir), progress: quiet, parallel: 2 });
    expect(result.ok).toBe(true);
    expect(result.results.map((r) => [r.stack, r.status, r.add, r.change])).toEqual([
      ["dev-network", "applied", 3, 1],
      ["global", "applied", 3, 1],
      ["dev-data", "applied", 3, 1],
      ["dev-edge", "applied", 3, 1],
      ["dev-apps", "applied", 3, 1],
    ]);
    const log = calls(dir);
    const at = (s: string, verb: string) => log.findIndex((l) => l.startsWith(`${s} ${verb}`));
    for (const [s, ds] of Object.entries(DEPS)) for (const d of ds) if (at(s, "plan") >= 0) expect(at(d, "apply")).toBeLessThan(at(s, "plan"));
    expect(log.filter((l) => l.includes(" apply "))).toEqual(expect.arrayContaining(["dev-apps apply -input=false -no-color tfplan"]));
    expect(log.find((l) => l.startsWith("dev-apps plan"))).toContain("-out=tfplan");
  });

  test("--plan-only applies nothing", async () => {
    const dir = outdirWith(DEPS);
    const result = await deploy({ outdir: dir, mode: "plan", envs: ["dev"], terraform: fakeTerraform(dir), progress: quiet });
    expect(result.results.every((r) => r.status === "planned")).toBe(true);
    expect(calls(dir).filter((l) => / apply /.test(l))).toEqual([]);
  });

  test("a failed stack names the address and skips the stacks that read it", async () => {
    const dir = outdirWith(DEPS);
    fs.writeFileSync(path.join(dir, "stacks", "dev-data", "FAIL_APPLY"), "");
    const result = await deploy({ outdir: dir, mode: "apply", envs: ["dev"], terraform: fakeTerraform(dir), progress: quiet });
    expect(result.ok).toBe(false);
    const byStack = Object.fromEntries(result.results.map((r) => [r.stack, r]));
    expect(byStack["dev-data"].errors).toEqual([{ address: 'aws_subnet.private["us-east-1a"]', message: "creating EC2 Subnet: InvalidVpcID.NotFound" }]);
    expect(byStack["dev-apps"]).toMatchObject({ status: "skipped", reason: "not applied: dev-data did not apply" });
    expect(byStack["dev-edge"].status).toBe("applied");
    expect(summaryTable(result, "apply dev")).toContain('| dev-data | failed | 3 | 1 | 0 |');
  });

  test("destroy: a prevent_destroy refusal is reported as refused and the stacks it reads are kept", async () => {
    const dir = outdirWith(DEPS);
    fs.writeFileSync(path.join(dir, "stacks", "dev-data", "REFUSE"), "");
    const result = await deploy({ outdir: dir, mode: "destroy", envs: ["dev"], terraform: fakeTerraform(dir), progress: quiet });
    const byStack = Object.fromEntries(result.results.map((r) => [r.stack, r]));
    expect(byStack["dev-data"]).toMatchObject({ status: "refused", errors: [{ address: "aws_db_instance.orders" }] });
    expect(byStack["dev-network"]).toMatchObject({ status: "skipped", reason: "kept: dev-data (which reads it) was not destroyed" });
    expect(byStack["dev-apps"].status).toBe("destroyed");
    expect(calls(dir).find((l) => l.startsWith("dev-apps plan"))).toContain("-destroy");
  });

  test("the CLI (compiled by npm test) applies with --env and rejects bad arguments with one message", () => {
    const cli = path.join(__dirname, "..", "dist", "scripts", "deploy.js");
    const dir = outdirWith(DEPS);
    const env = { ...process.env, TERRAFORM_BIN: fakeTerraform(dir) };
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env });
    const ok = run("--outdir", dir, "--env", "dev", "--no-deps", "--summary", path.join(dir, "summary.md"));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("apply: 4 stacks in dependency order: dev-network, dev-data, dev-edge, dev-apps");
    expect(fs.readFileSync(path.join(dir, "summary.md"), "utf8")).toContain("| dev-apps | applied | 3 | 1 | 0 |");
    expect(run("--outdir", dir, "--env", "nope").stderr).toBe("scripts/deploy: unknown environment nope; known: dev, global, qa, staging\n");
    expect(run("--outdir", dir, "--destroy", "--plan-only").status).toBe(2);
    expect(run("--outdir", dir, "--parallel", "0").stderr).toBe("scripts/deploy: --parallel must be a whole number >= 1, got 0\n");
    expect(run("--outdir", path.join(dir, "missing")).stderr).toContain("manifest.json not found: run `npm run synth` first");
  });
});
