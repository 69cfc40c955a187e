/*
 * Default configuration: the committed environment files and their synth are safe as shipped (backends, log retention, zone logging, no account IDs).
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { Json, ofType, repoEnvironments, repoProjectSynth, tmpDir } from "./helpers";
import { PRODUCTION_MIN_LOG_RETENTION_DAYS } from "../environments/schema";

/**
 * Issue "safe by default": what the default configuration synthesizes. Production state is not
 * local, production logs are kept a year or more, the public zone logs its queries, and nothing
 * in the synthesized JSON names an account.
 */

const MAIN = path.join(__dirname, "..", "dist", "main.js");
const out = repoProjectSynth();
const envs = repoEnvironments();
const production = new Set(envs.filter((e) => e.production).map((e) => e.name));
/** The production environments' stacks plus `global` (its zone and images serve production). */
const productionStacks = out.stacks.filter((s) => s === "global" || production.has(s.replace(/-[a-z]+$/, "")));

describe("backends in the default configuration", () => {
  const backendOf = (stack: string) => {
    const t = out.stack(stack).terraform as Json;
    return t.cloud ? { cloud: t.cloud } : t.backend;
  };

  test("dev and qa are local, staging and global on S3 with native locking, prod on Terraform Cloud with one workspace per stack", () => {
    for (const s of out.stacks.filter((x) => /^(dev|qa)-/.test(x))) expect(Object.keys(backendOf(s))).toEqual(["local"]);
    for (const s of [...out.stacks.filter((x) => x.startsWith("staging-")), "global"]) {
      expect(backendOf(s).s3).toEqual({ bucket: "harbor-terraform-state", region: "us-east-1", key: `harbor/${s}.tfstate`, encrypt: true, use_lockfile: true });
    }
    const prod = out.stacks.filter((x) => x.startsWith("prod-"));
    expect(prod.length).toBeGreaterThanOrEqual(5);
    for (const s of prod) expect(backendOf(s).cloud).toEqual({ organization: "harbor", workspaces: { name: `harbor-${s}` } });
    expect(new Set(prod.map((s) => backendOf(s).cloud.workspaces.name)).size).toBe(prod.length);
  });

  test("no production stack keeps its state locally", () => {
    for (const s of productionStacks) expect(backendOf(s).local).toBeUndefined();
  });

  test("the synth needs no credentials: it runs with every AWS and Terraform Cloud credential source removed", () => {
    const home = tmpDir("nocreds");
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: home, AWS_CONFIG_FILE: path.join(home, "none"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, "none"), AWS_EC2_METADATA_DISABLED: "true" };
    const outdir = path.join(home, "cdktf.out");
    const r = spawnSync(process.execPath, [MAIN, "--outdir", outdir], { encoding: "utf8", env });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const stacks = Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks);
    const kinds = new Set(stacks.map((s) => {
      const t = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8")).terraform;
      return t.cloud ? "cloud" : Object.keys(t.backend)[0];
    }));
    expect([...kinds].sort()).toEqual(["cloud", "local", "s3"]);
  });
});

describe("log retention in production", () => {
  test("every production log group keeps at least 365 days (WAF, flow logs, containers, databases, DNS queries)", () => {
    let groups = 0;
    for (const s of productionStacks) {
      for (const g of ofType(out.stack(s), "aws_cloudwatch_log_group")) {
        groups++;
        expect([s, g.name, g.retention_in_days >= PRODUCTION_MIN_LOG_RETENTION_DAYS]).toEqual([s, g.name, true]);
      }
    }
    // The WAF ACLs' (2), the ECS fleet's and services', the databases', the DNS query logs.
    expect(groups).toBeGreaterThanOrEqual(6);
    expect(ofType(out.stack("prod-edge"), "aws_cloudwatch_log_group").filter((g) => /^aws-waf-logs-/.test(g.name))).toHaveLength(2);
  });

  test("every production log bucket (ALB and CloudFront access logs, flow logs) expires objects after 365 days or more", () => {
    const lifecycles = productionStacks.flatMap((s) => ofType(out.stack(s), "aws_s3_bucket_lifecycle_configuration").map((l) => [s, l] as const));
    // ALB and CloudFront logs (prod-edge), flow logs (prod-network, destination s3).
    expect(lifecycles.map(([s]) => s).sort()).toEqual(["prod-edge", "prod-edge", "prod-network"]);
    for (const [, l] of lifecycles) {
      for (const rule of l.rule as Json[]) {
        expect(rule.expiration).toHaveLength(1);
        expect(rule.expiration[0].days).toBeGreaterThanOrEqual(PRODUCTION_MIN_LOG_RETENTION_DAYS);
      }
    }
  });

  test("non-production keeps what it configures", () => {
    const dev = envs.find((e) => e.name === "dev")!;
    const flow = ofType(out.stack("dev-network"), "aws_cloudwatch_log_group").find((g) => g.name === "/aws/vpc-flow-logs/harbor-dev")!;
    expect(flow.retention_in_days).toBe(dev.flowLogs.retentionDays);
    expect(flow.retention_in_days).toBeLessThan(PRODUCTION_MIN_LOG_RETENTION_DAYS);
  });
});

describe("DNS query logging of the public zone", () => {
  const g = out.stack("global");
  const usEast1 = (g.provider.aws as Json[]).find((p) => p.alias)!;

  test("the zone has a query-logging configuration to a KMS-encrypted log group in us-east-1, kept 365 days", () => {
    expect(usEast1.region).toBe("us-east-1");
    const provider = `aws.${usEast1.alias}`;
    const [ql] = ofType(g, "aws_route53_query_log");
    expect(ofType(g, "aws_route53_query_log")).toHaveLength(1);
    expect(ql.zone_id).toMatch(/^\$\{aws_route53_zone\.dns_zone_\w+\.zone_id\}$/);
    const [groupKey, group] = Object.entries(g.resource.aws_cloudwatch_log_group as Record<string, Json>).find(([, x]) => x.name === "/aws/route53/harbor.example.com")!;
    expect(ql.cloudwatch_log_group_arn).toBe(`\${aws_cloudwatch_log_group.${groupKey}.arn}`);
    expect(group).toMatchObject({ provider, retention_in_days: 365 });
    const [keyKey, key] = Object.entries(g.resource.aws_kms_key as Record<string, Json>).find(([, k]) => k.provider === provider)!;
    expect(group.kms_key_id).toBe(`\${aws_kms_key.${keyKey}.arn}`);
    expect(key.enable_key_rotation).toBe(true);
    expect(JSON.stringify(JSON.parse(key.policy).Statement)).toContain("logs.us-east-1.amazonaws.com");
  });

  test("the log resource policy lets only Route 53 write, only into that group, only for this zone of this account", () => {
    const [policy] = ofType(g, "aws_cloudwatch_log_resource_policy");
    expect(policy.provider).toBe(`aws.${usEast1.alias}`);
    const [st] = JSON.parse(policy.policy_document).Statement;
    expect(st).toMatchObject({ Effect: "Allow", Principal: { Service: "route53.amazonaws.com" }, Action: ["logs:CreateLogStream", "logs:PutLogEvents"] });
    expect(st.Resource).toMatch(/^\$\{aws_cloudwatch_log_group\.dns-query-logs_log-group_\w+\.arn\}:\*$/);
    expect(st.Condition.StringEquals["aws:SourceAccount"]).toBe("${data.aws_caller_identity.account.account_id}");
    expect(st.Condition.ArnLike["aws:SourceArn"]).toMatch(/:route53:::hostedzone\/\$\{aws_route53_zone\.dns_zone_\w+\.zone_id\}$/);
    // The query log waits for the policy (Route 53 checks it when the configuration is created).
    expect(ofType(g, "aws_route53_query_log")[0].depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_resource_policy\./)]);
  });
});

describe("nothing account-specific in the synthesized default configuration", () => {
  test("no stack contains a literal account id (any 12-digit number); account ARNs come from the deploying account", () => {
    expect(out.stacks.length).toBeGreaterThan(20);
    for (const s of out.stacks) {
      const text = fs.readFileSync(path.join(out.outdir, "stacks", s, "cdk.tf.json"), "utf8");
      expect([s, text.match(/(?<![0-9A-Za-z])\d{12}(?![0-9A-Za-z])/g)]).toEqual([s, null]);
    }
  });

  test("the example secret and the EKS admin resolve in the deploying account", () => {
    const [td] = ofType(out.stack("dev-apps"), "aws_ecs_task_definition").filter((t) => t.family === "harbor-dev-bravo");
    const [c] = JSON.parse(td.container_definitions);
    expect(c.secrets[0].valueFrom).toMatch(/^arn:aws:ssm:us-east-1:\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]*caller_identity[\w-]*\}:parameter\/harbor\/bravo\/api-key$/);
    const [entry] = ofType(out.stack("staging-platform"), "aws_eks_access_entry");
    expect(entry.principal_arn).toMatch(/^arn:aws:iam::\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]*caller_identity[\w-]*\}:role\/platform-admin$/);
  });
});
