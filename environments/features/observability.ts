import { z } from "zod";
import { logRetentionSchema } from "../../lib/log-retention";
import { AlarmThresholds, DEFAULT_THRESHOLDS } from "../../modules/observability/thresholds";
import { subscriptionProtocol } from "../../modules/observability/alarm-topic";

/**
 * `observability`: the environment's alarm topic subscriptions, alarm threshold overrides and the
 * retention of the log groups the layers create (issue: databases and observability).
 */

const subscription = z.string().superRefine((v, ctx) => {
  if (!subscriptionProtocol(v)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: "must be an email address (ops@example.com) or an HTTPS URL (https://hooks.example.com/alarms); plain HTTP, SMS and other protocols are not accepted",
    });
  }
});

type Kind = "percent" | "positive" | "count";
/** What each threshold is, for its validation rule and message. */
const KINDS: Record<keyof AlarmThresholds, Kind> = {
  alb5xxRatePercent: "percent",
  target5xxRatePercent: "percent",
  unhealthyHosts: "count",
  targetResponseTimeP99Seconds: "positive",
  ecsCpuPercent: "percent",
  ecsMemoryPercent: "percent",
  ecsTasksBelowDesired: "count",
  eksPodRestarts: "count",
  rdsCpuPercent: "percent",
  rdsFreeStoragePercent: "percent",
  rdsFreeableMemoryPercent: "percent",
  rdsConnectionsPercent: "percent",
  natPortAllocationErrors: "count",
  wafBlockedRequests: "count",
  wafRateRuleRequests: "count",
  statusCheckMinutes: "count",
};

function threshold(key: keyof AlarmThresholds): z.ZodOptional<z.ZodNumber> {
  const kind = KINDS[key];
  const what = kind === "percent" ? "a percentage" : kind === "count" ? "a whole number" : "a number";
  const example = DEFAULT_THRESHOLDS[key];
  let n = z.number({ invalid_type_error: `must be ${what} (the default is ${example}), not a string or other type` });
  if (kind === "percent") n = n.gt(0, "must be a percentage above 0 and at most 100").max(100, "must be a percentage above 0 and at most 100");
  if (kind === "positive") n = n.gt(0, "must be a number above 0");
  if (kind === "count") n = n.int("must be a whole number of at least 1").min(1, "must be a whole number of at least 1");
  return n.optional();
}

const thresholdShape = Object.fromEntries((Object.keys(KINDS) as (keyof AlarmThresholds)[]).map((k) => [k, threshold(k)])) as {
  [K in keyof AlarmThresholds]: z.ZodOptional<z.ZodNumber>;
};

export const observabilitySchema = z
  .object({
    /**
     * Who hears about alarms: email addresses and/or HTTPS endpoints (chat webhooks, paging
     * services) subscribed to the environment's alarm topic. Email subscriptions must be confirmed
     * from the mail AWS sends. @default none (alarms still go to the topic)
     */
    alarmSubscriptions: z
      .array(subscription)
      .default([])
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((e, i) => {
          if (seen.has(e.toLowerCase())) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: "is listed twice" });
          seen.add(e.toLowerCase());
        });
      }),
    /** Overrides of the default alarm thresholds, per key below (percentages above 0 and at most 100, counts whole numbers >= 1); see docs/reference/alarms.md. @default the defaults */
    thresholds: z.object(thresholdShape).strict().default({}),
    /** Days to keep the log groups the layers create (containers, databases, EKS control plane, ECS Exec); at least 365 in production. @default 30 (365 in production) */
    logRetentionDays: logRetentionSchema().default(30),
    /**
     * A CloudWatch dashboard (the `<env>-observability` stack) across edge, platform, network and
     * data. Dashboards beyond the first three of an account cost $3 a month each, so sandboxes
     * leave it out. @default true
     */
    dashboard: z.boolean().default(true),
  })
  .strict()
  .default({});

export type ObservabilityConfig = z.output<typeof observabilitySchema>;
