import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { z } from "zod";
import { cronFieldValues, cronProblem } from "../lib/cron";
import { isLogRetention, LOG_RETENTION_MESSAGE } from "../lib/log-retention";
import { partitionOf } from "../lib/partition";
import { formatProblems, valueAt, zodProblems } from "../lib/problems";
import { projectRoot } from "../lib/project-root";
import { sshAllowListProblem, natInstanceTypeProblem } from "../modules/network/rules";
import { publicAccessCidrProblem } from "../modules/eks-cluster/rules";
import { blueGreenWeightsProblem, wafRateLimitProblem } from "../modules/edge/limits";
import { SecurityGroupChain } from "../modules/security-groups";
import { EdgeRecords } from "../modules/edge/records";
import { imageOf, imageRepositoryProblem } from "../modules/compose";
import type { ServiceDescriptor } from "../modules/compose/descriptor";
import { envInput, rejectionLines, tmpDir } from "./helpers";

/**
 * The small shared things (lib/) and the rules that config validation and the constructs share:
 * GIVEN one bad value WHEN config validation and the construct each see it THEN both say the same.
 */
const stack = () => new TerraformStack(new App({ outdir: tmpDir("rules") }), "s");

describe("one rule, one message: config validation and the construct agree", () => {
  test("SSH from the whole internet", () => {
    const message = sshAllowListProblem("0.0.0.0/0")!;
    expect(rejectionLines(envInput({ ssh: { allowList: ["0.0.0.0/0"] } }))).toEqual([`environments/e0.ts: ssh.allowList.0: ${message} (got "0.0.0.0/0")`]);
    expect(() => new SecurityGroupChain(stack(), "sg", { namePrefix: "p", vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", sshAllowList: ["0.0.0.0/0"] })).toThrow(
      `SecurityGroupChain: sshAllowList entry 0.0.0.0/0 ${message}`,
    );
    expect(sshAllowListProblem("::/0")).toBe(message);
    expect(sshAllowListProblem("203.0.113.0/24")).toBeUndefined();
  });

  test("the EKS API from the whole internet", () => {
    expect(publicAccessCidrProblem("0.0.0.0/0")).toMatch(/^must not open the Kubernetes API to the whole internet/);
    expect(publicAccessCidrProblem("198.51.100.0/24")).toBeUndefined();
  });

  test("the NAT instance's Graviton type", () => {
    const message = natInstanceTypeProblem("t3.nano")!;
    expect(rejectionLines(envInput({ nat: { strategy: "instance", instanceType: "t3.nano" } }))).toEqual([`environments/e0.ts: nat.instanceType: ${message} (got "t3.nano")`]);
    expect(natInstanceTypeProblem("t4g.nano")).toBeUndefined();
  });

  test("blue/green weights", () => {
    const message = blueGreenWeightsProblem(60, 30)!;
    const routing = { kind: "weighted" as const, blue: { weight: 60, target: "distribution" as const }, green: { weight: 30, target: "distribution" as const } };
    expect(() => new EdgeRecords(stack(), "dns", { zoneId: "Z1", hosts: ["a.example.com"], distributionDomainName: "d.cloudfront.net", routing, healthCheckPath: "/", namePrefix: "p" })).toThrow(
      `EdgeRecords: routing: ${message}`,
    );
    expect(message).toBe("blue and green weights must sum to 100, got 60 + 30 = 90");
  });

  test("WAF rate limit bounds", () => {
    expect(wafRateLimitProblem(9)).toMatch(/from 10 \(WAF's minimum rate limit\) to 2000000000/);
    expect(wafRateLimitProblem(2_000_000_001)).toBe(wafRateLimitProblem(9));
    expect(wafRateLimitProblem(10.5)).toBe(wafRateLimitProblem(9));
    expect(wafRateLimitProblem(600)).toBeUndefined();
  });

  test("a service image against the registry: one message for validation and imageOf", () => {
    const svc = { name: "web", file: "services/web.yaml", image: { kind: "repository", repository: "web", tag: "1.0" } } as unknown as ServiceDescriptor;
    const message = imageRepositoryProblem(svc, ["api"])!;
    expect(message).toBe("names the registry repository web, which the global stack does not create (it creates one per service in services/: api)");
    expect(() => imageOf(svc, new Map([["api", "r/api"]]))).toThrow(`services/web.yaml: services.web.image ${message}`);
    expect(imageRepositoryProblem(svc, ["web"])).toBeUndefined();
    expect(imageOf(svc, new Map([["web", "r/web"]]))).toBe("r/web:1.0");
  });
});

describe("lib/: the small shared things", () => {
  test("log retention: one list, one message", () => {
    expect([isLogRetention(30), isLogRetention(10)]).toEqual([true, false]);
    expect(rejectionLines(envInput({ observability: { logRetentionDays: 10 } }), envInput({ edge: { logRetentionDays: 10 } }))).toEqual([
      `environments/e0.ts: observability.logRetentionDays: ${LOG_RETENTION_MESSAGE} (got 10)`,
      `environments/e1.ts: edge.logRetentionDays: ${LOG_RETENTION_MESSAGE} (got 10)`,
    ]);
  });

  test("problems: zod issues name unknown fields, required fields and discriminators", () => {
    const schema = z.object({ a: z.string(), b: z.discriminatedUnion("kind", [z.object({ kind: z.literal("x") })]) }).strict();
    const input = { b: { kind: "y" }, c: 1 };
    const r = schema.safeParse(input);
    const problems = zodProblems("f.ts", input, r.error!, { prefix: ["top"], unknownFieldHint: "see the docs" });
    expect(formatProblems(problems).split("\n")).toEqual([
      "f.ts: top.a: is required (string) (got nothing)",
      'f.ts: top.b.kind: must be one of "x" (got "y")',
      "f.ts: top.c: unknown field c; see the docs (got 1)",
    ]);
    expect(valueAt({ a: [{ b: 2 }] }, ["a", 0, "b"])).toBe(2);
    expect(valueAt({ a: 1 }, ["a", "b"])).toBeUndefined();
  });

  test("cron: validation and expansion share the grammar", () => {
    expect(cronProblem("0 7 * * MON-FRI")).toBeUndefined();
    expect(cronProblem("0 25 * * *")).toBe('hour field "25" must be within 0-23');
    expect([...cronFieldValues(4, "MON-FRI")]).toEqual([1, 2, 3, 4, 5]);
    expect([...cronFieldValues(4, "7")]).toEqual([0]);
    expect([...cronFieldValues(0, "*/15")]).toEqual([0, 15, 30, 45]);
  });

  test("project root and partition", () => {
    expect(projectRoot()).toBe(path.resolve(__dirname, ".."));
    expect(() => projectRoot("/")).toThrow("cdktf.json not found above /");
    expect([partitionOf("us-east-1"), partitionOf("cn-north-1"), partitionOf("us-gov-west-1")]).toEqual(["aws", "aws-cn", "aws-us-gov"]);
  });
});
