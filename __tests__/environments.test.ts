import { ConfigError, validateConfig, validateEnvironments, formatProblems } from "../environments/load";
import { environments } from "../environments";
import { envInput, sources, rejectionLines } from "./helpers";

const problemsOf = (inputs: unknown[]) => rejectionLines(...inputs);

describe("the repository's environments", () => {
  test("all four validate, with defaults resolved", () => {
    const envs = validateEnvironments(environments);
    expect(envs.map((e) => e.name)).toEqual(["dev", "qa", "staging", "prod"]);
    for (const env of envs) {
      expect(env.azs).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
      expect(env.backend).toEqual({ kind: "local" });
      expect(env.vpc.privatePrefixLength).toBe(19);
      expect(env.vpc.publicPrefixLength).toBe(22);
    }
    expect(envs.find((e) => e.name === "prod")!.nat.strategy).toBe("perAz");
    expect(envs.find((e) => e.name === "dev")!.nat.strategy).toBe("single");
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
