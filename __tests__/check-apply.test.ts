/*
 * Default configuration: check:apply over the project as `npm run synth` builds it (helpers.repoProjectSynth).
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { EMULATED_SERVICES, evaluateRun, localizeState, prepareScratch, stateCounts } from "../scripts/check-apply-lib";
import { EMULATOR_GAPS, gapTableMarkdown, standInGaps } from "../scripts/emulator-gaps";
import { Json, repoProjectSynth, tmpDir } from "./helpers";

const ENDPOINT = "http://127.0.0.1:4566";
const stackJson = (outdir: string, s: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8")) as Json;

describe("check:apply scratch copy", () => {
  const project = repoProjectSynth().outdir;
  const before = fs.readFileSync(path.join(project, "stacks", "dev-edge", "cdk.tf.json"), "utf8");
  const scratch = prepareScratch({ outdir: project, dir: tmpDir("scratch"), endpoint: ENDPOINT, pluginDir: "/opt/tf-plugins" });

  test("holds every AWS-only stack (kubernetes/helm stacks are named as not applied) and never touches cdktf.out", () => {
    const stacks = scratch.stacks.map((s) => s.stack);
    expect(stacks).toEqual(expect.arrayContaining(["global", "dev-network", "qa-edge", "staging-platform", "prod-data", "sandbox-demo-apps"]));
    for (const s of scratch.notAwsOnly) expect(s.missing.some((p) => p === "kubernetes" || p === "helm")).toBe(true);
    expect(stacks.length + scratch.notAwsOnly.length).toBe(Object.keys(JSON.parse(fs.readFileSync(path.join(project, "manifest.json"), "utf8")).stacks).length);
    expect(fs.readFileSync(path.join(project, "stacks", "dev-edge", "cdk.tf.json"), "utf8")).toBe(before);
    expect(fs.existsSync(path.join(project, "stacks", "dev-edge", "emulator_override.tf.json"))).toBe(false);
    const manifest = JSON.parse(fs.readFileSync(path.join(scratch.outdir, "manifest.json"), "utf8"));
    for (const e of Object.values(manifest.stacks) as Json[]) for (const d of e.dependencies) expect(stacks).toContain(d);
  });

  test("every aws provider block, aliases included, points every service at the emulator", () => {
    const edge = stackJson(scratch.outdir, "dev-edge");
    const override = JSON.parse(fs.readFileSync(path.join(scratch.outdir, "stacks", "dev-edge", "emulator_override.tf.json"), "utf8"));
    expect(override.provider.aws.map((p: Json) => p.alias ?? "(default)")).toEqual(edge.provider.aws.map((p: Json) => p.alias ?? "(default)"));
    expect(override.provider.aws.length).toBeGreaterThan(1);
    for (const p of override.provider.aws) {
      expect(p).toMatchObject({ access_key: "test", skip_credentials_validation: true, skip_metadata_api_check: true, s3_use_path_style: true });
      expect(Object.keys(p.endpoints[0]).sort()).toEqual([...EMULATED_SERVICES].sort());
      for (const url of Object.values(p.endpoints[0])) expect(url).toBe(ENDPOINT);
    }
  });

  test("state is local in the scratch directory and every remote-state read reads the producer's file", () => {
    const apps = stackJson(scratch.outdir, "dev-apps");
    expect(apps.terraform.backend).toEqual({ local: { path: "../../../state/dev-apps.tfstate" } });
    expect(apps.data.terraform_remote_state["cross-stack-reference-input-dev-edge"]).toEqual({ backend: "local", config: { path: "../../../state/dev-edge.tfstate" } });
  });

  test("s3 and cloud backends (and their readers) become local state too", () => {
    const s3: Json = {
      terraform: { backend: { s3: { bucket: "b", key: "harbor/staging-edge.tfstate", use_lockfile: true } } },
      data: { terraform_remote_state: { "cross-stack-reference-input-staging-network": { backend: "s3", config: { bucket: "b", key: "harbor/staging-network.tfstate" }, workspace: "${terraform.workspace}" } } },
    };
    localizeState("staging-edge", s3);
    expect(s3.terraform.backend).toEqual({ local: { path: "../../../state/staging-edge.tfstate" } });
    expect(s3.data.terraform_remote_state["cross-stack-reference-input-staging-network"]).toEqual({ backend: "local", config: { path: "../../../state/staging-network.tfstate" } });
    const cloud: Json = { terraform: { cloud: { organization: "acme", workspaces: { name: "harbor-prod-data" } } } };
    localizeState("prod-data", cloud);
    expect(cloud.terraform).toEqual({ backend: { local: { path: "../../../state/prod-data.tfstate" } } });
  });

  test("exactly the gap table's resources are stood in, and references to them are rewritten", () => {
    const edge = stackJson(scratch.outdir, "dev-edge");
    expect(edge.resource.aws_cloudfront_function).toBeUndefined();
    const standins = Object.keys(edge.resource.terraform_data).filter((n) => n.startsWith("standin__aws_cloudfront_function__"));
    expect(standins).toHaveLength(1);
    const text = JSON.stringify(edge);
    expect(text).not.toMatch(/aws_cloudfront_function\./);
    expect(text).toContain(`terraform_data.${standins[0]}.output.arn`);
    // A bridge-mode ECS service is a gap; an awsvpc one would not be.
    const svc = { name: "x", network_configuration: { subnets: ["s"] } };
    expect(standInGaps({ resource: { aws_ecs_service: { a: svc } } }, { account: "1", region: "r" }).standIns).toEqual([]);
    const counted = scratch.stacks.flatMap((s) => s.standIns.map((g) => g.gap.type));
    for (const t of new Set(counted)) expect(EMULATOR_GAPS.map((g) => g.type)).toContain(t);
    // global: only the zone's query-logging config (moto matches the log group only as `<arn>:*`).
    expect(scratch.stacks.find((s) => s.stack === "global")!.standIns.map((g) => g.gap.type)).toEqual(["aws_route53_query_log"]);
  });

  test("schedules sharing an action name across groups: all but the first of each name are stood in", () => {
    const schedules = scratch.stacks.flatMap((s) => s.standIns.filter((g) => g.gap.type === "aws_autoscaling_schedule").map((g) => `${s.stack} ${g.address}`));
    const all = scratch.stacks.flatMap((s) => Object.keys(stackJson(project, s.stack).resource?.aws_autoscaling_schedule ?? {}).map((n) => `${s.stack} ${n}`));
    const names = new Set(scratch.stacks.flatMap((s) => Object.values(stackJson(project, s.stack).resource?.aws_autoscaling_schedule ?? {}).map((r) => (r as Json).scheduled_action_name)));
    expect(schedules.length).toBe(all.length - names.size);
    const dev = stackJson(scratch.outdir, "dev-network").resource.aws_autoscaling_schedule as Record<string, Json>;
    expect(Object.values(dev).map((r) => r.scheduled_action_name).sort()).toEqual(["park", "unpark"]);
  });

  test("DB instances are stood in only when several share the emulator (moto gives them one DbiResourceId)", () => {
    const dbs = scratch.stacks.flatMap((s) => s.standIns.filter((g) => g.gap.type === "aws_db_instance"));
    const all = scratch.stacks.reduce((n, s) => n + Object.keys(stackJson(project, s.stack).resource?.aws_db_instance ?? {}).length, 0);
    expect(dbs.length).toBe(all);
    const alone = prepareScratch({ outdir: project, dir: tmpDir("alone"), endpoint: ENDPOINT, pluginDir: "/opt/tf-plugins", envs: ["dev-data"] });
    expect(alone.stacks.map((s) => s.stack)).toEqual(["dev-data", "dev-network"]);
    expect(alone.stacks.find((s) => s.stack === "dev-data")!.standIns).toEqual([]);
    expect(stackJson(alone.outdir, "dev-data").resource.aws_db_instance).toBeDefined();
  });

  test("prevent_destroy resources are known per stack (their refused destroy is expected)", () => {
    expect(scratch.stacks.find((s) => s.stack === "prod-data")!.protectedAddresses.length).toBeGreaterThan(0);
    expect(scratch.stacks.find((s) => s.stack === "dev-data")!.protectedAddresses).toEqual([]);
  });

  test("--break-reference corrupts one exported private subnet id of a network stack", () => {
    const broken = prepareScratch({ outdir: project, dir: tmpDir("broken"), endpoint: ENDPOINT, pluginDir: "/opt/tf-plugins", envs: ["dev"], breakReference: true });
    expect(broken.broken).toMatch(/^dev-network: output\.cross-stack-output-aws_subnetnetwork_private-us-east-1a_\w+id$/);
    const key = broken.broken!.split("output.")[1];
    expect(stackJson(broken.outdir, "dev-network").output[key].value).toMatch(/\.id\}-typo$/);
    expect(broken.stacks.map((s) => s.stack).sort()).toEqual(["dev-apps", "dev-data", "dev-edge", "dev-network", "dev-observability", "dev-platform", "global"]);
  });

  test("state counts separate what the emulator created from stand-ins", () => {
    const file = path.join(tmpDir("state"), "s.tfstate");
    fs.writeFileSync(file, JSON.stringify({ resources: [
      { mode: "managed", type: "aws_vpc", name: "v", instances: [{}] },
      { mode: "managed", type: "terraform_data", name: "standin__aws_cloudfront_function__f", instances: [{}] },
      { mode: "data", type: "aws_partition", name: "p", instances: [{}] },
    ] }));
    expect(stateCounts(file)).toEqual({ created: 1, stoodIn: 1 });
  });

  test("the apply-check page's gap table is the code's", () => {
    const page = fs.readFileSync(path.join(__dirname, "..", "docs", "apply-check.md"), "utf8");
    expect(page).toContain(gapTableMarkdown());
  });
});

describe("check:apply verdict", () => {
  const result = (stack: string, status: string, extra: Record<string, unknown> = {}) => ({ stack, status, add: 1, change: 0, destroy: 0, seconds: 1, errors: [], log: "", ...extra });
  const run = (results: unknown[]) => ({ ok: false, order: [], seconds: 1, results }) as never;
  const scratch = { stacks: [
    { stack: "prod-network", standIns: [], protectedAddresses: ["aws_s3_bucket.flow"] },
    { stack: "prod-data", standIns: [], protectedAddresses: ["aws_db_instance.orders"] },
    { stack: "prod-apps", standIns: [], protectedAddresses: [] },
  ] };
  const counts = new Map([["prod-network", { created: 5, stoodIn: 1 }], ["prod-data", { created: 2, stoodIn: 0 }], ["prod-apps", { created: 3, stoodIn: 2 }]]);
  const applied = run([result("prod-network", "applied"), result("prod-data", "applied"), result("prod-apps", "applied")]);

  test("a prevent_destroy refusal on the protected resources, and the stacks it keeps, are expected", () => {
    const destroyed = run([
      result("prod-apps", "destroyed"),
      result("prod-data", "refused", { errors: [{ message: "Instance cannot be destroyed: Resource aws_db_instance.orders has lifecycle.prevent_destroy set, but the plan" }] }),
      result("prod-network", "skipped", { reason: "kept: prod-data (which reads it) was not destroyed" }),
    ]);
    const v = evaluateRun(scratch, applied, destroyed, counts);
    expect(v.failures).toEqual([]);
    expect(v.expected).toEqual(["prod-data: destroy refused by prevent_destroy on aws_db_instance.orders (expected: stateful resources are protected)"]);
    expect(v.table).toContain("| prod-network | applied | 5 | 1 | kept: read by prod-data (expected) |");
    expect(v.table).toContain("| **total (3 stacks)** | | 10 | 3 | |");
  });

  test("a refusal of anything unprotected, a failed apply or a failed destroy is a failure naming stack and address", () => {
    const destroyed = run([
      result("prod-apps", "failed", { errors: [{ address: "aws_lb.alb", message: "deleting ELBv2 Load Balancer: ResourceInUse" }] }),
      result("prod-data", "refused", { errors: [{ address: "aws_kms_key.other", message: "Instance cannot be destroyed" }] }),
      result("prod-network", "skipped", { reason: "kept: prod-data (which reads it) was not destroyed" }),
    ]);
    const failedApply = run([result("prod-network", "applied"), result("prod-data", "failed", { errors: [{ address: "aws_db_subnet_group.app", message: "InvalidSubnetID.NotFound" }] }), result("prod-apps", "skipped", { reason: "not applied: prod-data did not apply" })]);
    const v = evaluateRun(scratch, failedApply, destroyed, counts);
    expect(v.failures).toEqual([
      "prod-data: destroy refused for unprotected resources: aws_kms_key.other: Instance cannot be destroyed",
      "prod-data: apply failed: aws_db_subnet_group.app: InvalidSubnetID.NotFound",
      "prod-apps: destroy failed: aws_lb.alb: deleting ELBv2 Load Balancer: ResourceInUse",
      "prod-apps: apply skipped (not applied: prod-data did not apply)",
    ]);
    expect(v.table).toContain("| prod-network | applied | 5 | 1 | kept: read by prod-data |");
  });
});
