import * as fs from "fs";
import * as path from "path";
import { AlarmThresholds, DEFAULT_THRESHOLDS } from "../modules/observability/thresholds";
import { envInput, Json, ofType, tmpDir, validated } from "./helpers";
import { catalogFor, synthWithServices } from "./fixtures/services/synth";

/**
 * Every key of `observability.thresholds` changes the alarm it says it changes. GIVEN small
 * environments (not the repository's): `tuned` (ECS) and `tunedeks` (EKS) set every threshold to
 * a value of its own, `plain` and `plaineks` are the same without thresholds; WHEN the app is
 * synthesized; THEN each key's alarm carries the tuned value in the tuned environment and does not
 * in the plain one (so the assertion can fail: a threshold that is ignored leaves both equal).
 */

/** Distinct from the defaults and from each other (percentages 0-100, counts whole numbers). */
const TUNED: AlarmThresholds = {
  alb5xxRatePercent: 11,
  target5xxRatePercent: 12,
  unhealthyHosts: 3,
  targetResponseTimeP99Seconds: 4.5,
  ecsCpuPercent: 71,
  ecsMemoryPercent: 72,
  ecsTasksBelowDesired: 2,
  eksPodRestarts: 9,
  rdsCpuPercent: 73,
  rdsFreeStoragePercent: 7,
  rdsFreeableMemoryPercent: 6,
  rdsConnectionsPercent: 50,
  natPortAllocationErrors: 5,
  wafBlockedRequests: 4321,
  wafRateRuleRequests: 321,
  statusCheckMinutes: 4,
};

const GIB = 2 ** 30;
/** The small config's database: PostgreSQL on db.t4g.micro (1 GiB, max_connections 112), 40 GiB. */
const DB = { name: "app", engine: "postgres", version: "16", instanceClass: "db.t4g.micro", allocatedStorageGiB: 40 };

/** One public HTTP service, so the ECS apps stack and the EKS edge have a target group. */
const SERVICE = `services:
  web:
    image: web:1.0.0
    ports:
      - "8080"
    deploy:
      replicas: 1
      resources:
        limits:
          cpus: "0.25"
          memory: 512m
    x-expose: public
    x-route:
      path: /web
    x-health:
      path: /web/health
`;

const ecs = (name: string, cidr: string, thresholds?: AlarmThresholds) =>
  envInput({ name, vpc: { cidr }, databases: [DB], ...(thresholds ? { observability: { thresholds } } : {}) } as never);
const eks = (name: string, cidr: string, thresholds?: AlarmThresholds) =>
  envInput({ name, vpc: { cidr }, platform: { kind: "eks" }, ...(thresholds ? { observability: { thresholds } } : {}) } as never);

const envs = validated(ecs("tuned", "10.81.0.0/16", TUNED), ecs("plain", "10.82.0.0/16"), eks("tunedeks", "10.83.0.0/16", TUNED), eks("plaineks", "10.84.0.0/16"));
const servicesDir = tmpDir("thresholds-services");
fs.writeFileSync(path.join(servicesDir, "web.yaml"), SERVICE);
const out = synthWithServices(envs, catalogFor(envs, servicesDir));

type Field = "threshold" | "evaluation_periods";

/** Where a key shows: stack layer, alarm name (after `harbor-<env>-`), the field and the value it must take. */
interface Expectation {
  readonly platform: "ecs" | "eks";
  readonly layer: string;
  readonly alarm: string;
  readonly field: Field;
  readonly value: (t: AlarmThresholds) => number;
}

const at = (platform: "ecs" | "eks", layer: string, alarm: string, value: (t: AlarmThresholds) => number, field: Field = "threshold"): Expectation => ({ platform, layer, alarm, field, value });

const EXPECTATIONS: Record<keyof AlarmThresholds, readonly Expectation[]> = {
  alb5xxRatePercent: [at("ecs", "edge", "alb-5xx-rate", (t) => t.alb5xxRatePercent)],
  target5xxRatePercent: [at("ecs", "edge", "target-5xx-rate", (t) => t.target5xxRatePercent)],
  // ECS: the service's own target-group alarm (apps stack); EKS: the pod target group's (edge stack).
  unhealthyHosts: [at("ecs", "apps", "web-unhealthy-hosts", (t) => t.unhealthyHosts), at("eks", "edge", "unhealthy-hosts-web", (t) => t.unhealthyHosts)],
  targetResponseTimeP99Seconds: [at("ecs", "edge", "target-response-p99", (t) => t.targetResponseTimeP99Seconds)],
  ecsCpuPercent: [at("ecs", "apps", "ecs-web-cpu", (t) => t.ecsCpuPercent)],
  ecsMemoryPercent: [at("ecs", "apps", "ecs-web-memory", (t) => t.ecsMemoryPercent)],
  ecsTasksBelowDesired: [at("ecs", "apps", "ecs-web-tasks-below-desired", (t) => t.ecsTasksBelowDesired)],
  eksPodRestarts: [at("eks", "platform", "eks-pod-restarts", (t) => t.eksPodRestarts)],
  rdsCpuPercent: [at("ecs", "data", "rds-app-cpu", (t) => t.rdsCpuPercent)],
  // Percentages of what the instance has: 40 GiB of storage, 1 GiB of memory, 112 connections.
  rdsFreeStoragePercent: [at("ecs", "data", "rds-app-free-storage", (t) => Math.round((40 * GIB * t.rdsFreeStoragePercent) / 100))],
  rdsFreeableMemoryPercent: [at("ecs", "data", "rds-app-freeable-memory", (t) => Math.round((1 * GIB * t.rdsFreeableMemoryPercent) / 100))],
  rdsConnectionsPercent: [at("ecs", "data", "rds-app-connections", (t) => Math.floor((112 * t.rdsConnectionsPercent) / 100))],
  natPortAllocationErrors: [at("ecs", "network", "nat-us-east-1a-port-allocation-errors", (t) => t.natPortAllocationErrors)],
  wafBlockedRequests: [at("ecs", "edge", "waf-regional-blocked-spike", (t) => t.wafBlockedRequests), at("ecs", "edge", "waf-cloudfront-blocked-spike", (t) => t.wafBlockedRequests)],
  // The rate-rule alarm of each web ACL (regional `-alb`, CloudFront `-cdn`), on the ECS and the EKS edge.
  wafRateRuleRequests: [
    at("ecs", "edge", "alb-rate-limit", (t) => t.wafRateRuleRequests),
    at("ecs", "edge", "cdn-rate-limit", (t) => t.wafRateRuleRequests),
    at("eks", "edge", "alb-rate-limit", (t) => t.wafRateRuleRequests),
  ],
  // Minutes of failed status checks: the bastion group's alarm evaluates that many 1-minute periods.
  statusCheckMinutes: [at("ecs", "network", "bastion-group-status-check", (t) => t.statusCheckMinutes, "evaluation_periods")],
};

function alarmOf(env: string, layer: string, alarm: string): Json {
  const name = `harbor-${env}-${alarm}`;
  const found = ofType(out.stack(`${env}-${layer}`), "aws_cloudwatch_metric_alarm").filter((a) => a.alarm_name === name);
  expect(found.map((a) => a.alarm_name)).toEqual([name]);
  return found[0];
}

describe("observability.thresholds: every key changes its alarm", () => {
  test("the tuned values differ from the defaults, and every threshold key has a test below", () => {
    for (const k of Object.keys(DEFAULT_THRESHOLDS) as (keyof AlarmThresholds)[]) expect(TUNED[k]).not.toBe(DEFAULT_THRESHOLDS[k]);
    expect(Object.keys(EXPECTATIONS).sort()).toEqual(Object.keys(DEFAULT_THRESHOLDS).sort());
    expect(Object.keys(TUNED).sort()).toEqual(Object.keys(DEFAULT_THRESHOLDS).sort());
  });

  test.each(Object.keys(EXPECTATIONS) as (keyof AlarmThresholds)[])("%s", (key) => {
    for (const e of EXPECTATIONS[key]) {
      const [tuned, plain] = e.platform === "ecs" ? ["tuned", "plain"] : ["tunedeks", "plaineks"];
      const want = e.value(TUNED);
      // GIVEN the key set: its alarm has the value.
      expect({ alarm: e.alarm, [e.field]: alarmOf(tuned, e.layer, e.alarm)[e.field] }).toEqual({ alarm: e.alarm, [e.field]: want });
      // GIVEN the defaults: the same alarm has the default's value, not the tuned one.
      const base = alarmOf(plain, e.layer, e.alarm)[e.field];
      expect(base).not.toBe(want);
      expect(base).toBe(e.value(DEFAULT_THRESHOLDS));
    }
  });
});
