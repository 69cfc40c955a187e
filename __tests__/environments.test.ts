/*
 * Default configuration: the committed environment files themselves (environments/*.ts) validate, with the defaults they rely on.
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import { ConfigError, validateConfig, validateEnvironments, formatProblems } from "../environments/load";
import { environments } from "../environments";
import { envInput, sources, rejectionLines } from "./helpers";
import { EnvironmentInput, PRODUCTION_MIN_LOG_RETENTION_DAYS } from "../environments/schema";

const problemsOf = (inputs: unknown[]) => rejectionLines(...inputs);

describe("default configuration: the repository's environments", () => {
  test("all four validate, with defaults resolved", () => {
    const envs = validateEnvironments(environments);
    expect(envs.map((e) => e.name)).toEqual(["dev", "qa", "staging", "prod"]);
    for (const env of envs) {
      expect(env.azs).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
      expect(env.vpc.privatePrefixLength).toBe(19);
      expect(env.vpc.publicPrefixLength).toBe(22);
    }
    expect(envs.find((e) => e.name === "prod")!.nat.strategy).toBe("perAz");
    expect(envs.find((e) => e.name === "dev")!.nat.strategy).toBe("single");
  });

  test("the default configuration shows every backend: dev and qa local, staging on S3, prod on Terraform Cloud", () => {
    const byName = Object.fromEntries(validateEnvironments(environments).map((e) => [e.name, e.backend]));
    expect(byName.dev).toEqual({ kind: "local" });
    expect(byName.qa).toEqual({ kind: "local" });
    expect(byName.staging).toMatchObject({ kind: "s3", bucket: "harbor-terraform-state", region: "us-east-1" });
    expect(byName.prod).toMatchObject({ kind: "cloud", organization: "harbor" });
  });

  test("every production log setting keeps a year or more", () => {
    for (const env of validateEnvironments(environments).filter((e) => e.production)) {
      expect(env.flowLogs.retentionDays).toBeGreaterThanOrEqual(PRODUCTION_MIN_LOG_RETENTION_DAYS);
      expect(env.observability.logRetentionDays).toBeGreaterThanOrEqual(PRODUCTION_MIN_LOG_RETENTION_DAYS);
      expect(env.edge.logRetentionDays).toBeGreaterThanOrEqual(PRODUCTION_MIN_LOG_RETENTION_DAYS);
    }
  });
});

describe("production: state never local, logs kept a year", () => {
  const prod = (o: Partial<EnvironmentInput> = {}) => envInput({ production: true, ...o });

  test("GIVEN production with no backend (local by default) THEN backend.kind is rejected with both alternatives", () => {
    const lines = rejectionLines(envInput({ production: true, backend: undefined }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^environments\/e0\.ts: backend\.kind: must not be "local" \(the default\) when production is true: .*\{ kind: "s3", bucket, region \}.*\{ kind: "cloud", organization \}/);
  });

  test("GIVEN production with backend local THEN rejected; GIVEN non-production THEN local is fine", () => {
    expect(rejectionLines(prod({ backend: { kind: "local" } })).join("\n")).toMatch(/e0\.ts: backend\.kind: must not be "local" .*\(got "local"\)/);
    expect(() => validateEnvironments([{ file: "x", input: envInput({ backend: { kind: "local" } }) }])).not.toThrow();
  });

  test("GIVEN production with S3 or Terraform Cloud THEN accepted", () => {
    expect(() => validateEnvironments([{ file: "x", input: prod({ backend: { kind: "s3", bucket: "b-state", region: "us-east-1" } }) }])).not.toThrow();
    expect(() => validateEnvironments([{ file: "x", input: prod({ backend: { kind: "cloud", organization: "acme" } }) }])).not.toThrow();
  });

  test("GIVEN production without retention settings THEN every log kind defaults to 365 days; non-production keeps its defaults", () => {
    const [p] = validateEnvironments([{ file: "x", input: prod() }]);
    expect([p.flowLogs.retentionDays, p.observability.logRetentionDays, p.edge.logRetentionDays]).toEqual([365, 365, 365]);
    const [d] = validateEnvironments([{ file: "x", input: envInput() }]);
    expect([d.flowLogs.retentionDays, d.observability.logRetentionDays, d.edge.logRetentionDays]).toEqual([30, 30, 90]);
  });

  test.each([
    ["flow logs", { flowLogs: { retentionDays: 90 } }, /flowLogs\.retentionDays: must be at least 365 days when production is true .*\(got 90\)/],
    ["layer log groups", { observability: { logRetentionDays: 180 } }, /observability\.logRetentionDays: must be at least 365 days when production is true .*\(got 180\)/],
    ["edge logs (WAF, ALB, CloudFront)", { edge: { logRetentionDays: 90 } }, /edge\.logRetentionDays: must be at least 365 days when production is true .*\(got 90\)/],
  ] as [string, Partial<EnvironmentInput>, RegExp][])("GIVEN production keeping %s less than a year THEN rejected", (_what, o, expected) => {
    const lines = rejectionLines(prod(o));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    // The same value is fine outside production ("non-production as configured").
    expect(() => validateEnvironments([{ file: "x", input: envInput(o) }])).not.toThrow();
  });
});

describe("invalid configuration is rejected with file, field, value and what is allowed", () => {
  const cases: [string, unknown[], RegExp][] = [
    ["malformed VPC CIDR", [envInput({ vpc: { cidr: "10.0.0.0/33" } })], /e0\.ts: vpc\.cidr: must be an IPv4 CIDR block .*\(got "10\.0\.0\.0\/33"\)/],
    ["VPC CIDR with host bits", [envInput({ vpc: { cidr: "10.0.0.1/16" } })], /vpc\.cidr: has host bits set/],
    ["VPC larger than /16", [envInput({ vpc: { cidr: "10.0.0.0/8" } })], /vpc\.cidr: VPC CIDR prefix must be between \/16 and \/28/],
    ["VPC too small for its subnets", [envInput({ vpc: { cidr: "10.0.0.0/28" } })], /vpc\.cidr: is too small for its subnets/],
    ["overlapping VPCs", [envInput({ name: "one" }), envInput({ name: "two", vpc: { cidr: "10.50.128.0/17" } })], /e1\.ts: vpc\.cidr: overlaps one's VPC 10\.50\.0\.0\/16/],
    ["1 AZ", [envInput({ azs: ["us-east-1a"] })], /azs: must list 2 to 6 Availability Zones \(got \["us-east-1a"\]\)/],
    ["7 AZs", [envInput({ azs: ["a", "b", "c", "d", "e", "f", "g"].map((l) => `us-east-1${l}`) })], /azs: must list 2 to 6 Availability Zones/],
    ["AZ of another region", [envInput({ azs: ["us-east-1a", "us-west-2b"] })], /azs\.1: must be an AZ of region us-east-1 .*\(got "us-west-2b"\)/],
    ["AZ letter past f", [envInput({ azs: ["us-east-1a", "us-east-1g"] })], /azs\.1: must be an AZ of region us-east-1 .*\(got "us-east-1g"\)/],
    ["region name without a zone letter", [envInput({ azs: ["us-east-1", "us-east-1b"] })], /azs\.0: must be an AZ of region us-east-1 .*\(got "us-east-1"\)/],
    ["two zone letters", [envInput({ azs: ["us-east-1ab", "us-east-1b"] })], /azs\.0: must be an AZ of region us-east-1 .*\(got "us-east-1ab"\)/],
    ["duplicate AZ", [envInput({ azs: ["us-east-1a", "us-east-1a"] })], /azs\.1: is listed twice/],
    ["unknown NAT strategy", [envInput({ nat: { strategy: "multi" as never } })], /nat\.strategy: Invalid enum value\. Expected 'perAz' \| 'single' \| 'instance' \| 'none', received 'multi'/],
    ["single-NAT AZ not in the list", [envInput({ nat: { strategy: "single", az: "us-east-1d" } })], /nat\.az: must be one of the environment's AZs/],
    ["duplicate environment name", [envInput(), envInput({ vpc: { cidr: "10.60.0.0/16" } })], /e1\.ts: name: is already used by environments\/e0\.ts/],
    ["bad tag value", [envInput({ tags: { Owner: "team<script>", Purpose: "x", CostCenter: "y" } })], /tags\.Owner: Owner tag may contain only .*\(got "team<script>"\)/],
    ["missing tag", [envInput({ tags: { Owner: "team", Purpose: "x" } as never })], /tags\.CostCenter: is required/],
    ["unknown backend kind", [envInput({ backend: { kind: "gcs" } as never })], /backend\.kind: must be one of "local", "s3", "cloud" \(got "gcs"\)/],
    ["s3 backend without a bucket", [envInput({ backend: { kind: "s3", region: "us-east-1" } as never })], /backend\.bucket: is required/],
    ["missing region", [{ ...envInput(), region: undefined }], /region: is required \(string\) \(got nothing\)/],
    ["malformed region", [envInput({ region: "useast1" })], /region: must be an AWS region/],
    ["unknown platform", [envInput({ platform: { kind: "nomad" } as never })], /platform\.kind: must be one of "ecs", "eks"/],
    ["unknown field", [{ ...envInput(), colour: "blue" }], /e0\.ts: colour: unknown field colour/],
    ["bad environment name", [envInput({ name: "Dev_1" })], /name: name must be lowercase letters/],
    ["flow-log retention CloudWatch does not offer", [envInput({ flowLogs: { retentionDays: 10 } })], /flowLogs\.retentionDays: must be one of the retention periods CloudWatch Logs accepts/],
    ["SSH open to the world", [envInput({ ssh: { allowList: ["0.0.0.0/0"] } })], /ssh\.allowList\.0: must not open SSH to the whole internet.*\(got "0\.0\.0\.0\/0"\)/],
    ["different projects", [envInput({ name: "one" }), envInput({ name: "two", project: "other", vpc: { cidr: "10.60.0.0/16" } })], /e1\.ts: project: must be the same in every environment/],
  ];
  test.each(cases)("%s", (_what, inputs, expected) => {
    const lines = problemsOf(inputs);
    expect(lines.filter((l) => expected.test(l))).toEqual([expect.stringMatching(expected)]);
  });

  test("every problem is reported, not just the first", () => {
    const lines = problemsOf([envInput({ region: "nowhere", vpc: { cidr: "bad" }, nat: { strategy: "x" as never } })]);
    expect(lines.length).toBeGreaterThanOrEqual(3);
  });

  test("formatting names file, path, message and value", () => {
    expect(formatProblems([{ file: "environments/x.ts", path: "vpc.cidr", value: "1", message: "is wrong" }])).toBe('environments/x.ts: vpc.cidr: is wrong (got "1")');
  });

  test("valid inputs pass", () => {
    expect(() => validateEnvironments(sources(envInput(), envInput({ name: "other", vpc: { cidr: "10.60.0.0/16" } })))).not.toThrow();
  });
});

describe("global settings", () => {
  test("a problem in the global settings is reported once, with the file and field", () => {
    try {
      validateConfig({ file: "environments/global.ts", input: { project: "harbor", region: "nowhere", tags: { Owner: "o", CostCenter: "c" } } }, sources(envInput()));
      throw new Error("expected a rejection");
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([expect.objectContaining({ file: "environments/global.ts", path: "region", value: "nowhere" })]);
    }
  });
});
