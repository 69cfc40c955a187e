/**
 * Default alarm thresholds. Every key can be overridden per environment in
 * `observability.thresholds` (environments/features/observability.ts validates the type and range
 * of each); the alarm builders merge what they are given over these.
 */
export interface AlarmThresholds {
  /** ALB-generated 5xx responses as a percentage of requests, over 5 minutes. @default 5 */
  readonly alb5xxRatePercent: number;
  /** Target (application) 5xx responses as a percentage of requests, over 5 minutes. @default 5 */
  readonly target5xxRatePercent: number;
  /** Unhealthy targets in one target group, for 3 consecutive minutes. @default 1 */
  readonly unhealthyHosts: number;
  /** p99 target response time in seconds, for 5 consecutive minutes. @default 2 */
  readonly targetResponseTimeP99Seconds: number;
  /** ECS service average CPU, percent of reserved, for 15 minutes. @default 85 */
  readonly ecsCpuPercent: number;
  /** ECS service average memory, percent of reserved, for 15 minutes. @default 85 */
  readonly ecsMemoryPercent: number;
  /** Tasks missing (desired minus running), for 10 consecutive minutes. @default 1 */
  readonly ecsTasksBelowDesired: number;
  /** EKS container restarts over the whole cluster in 5 minutes (Container Insights). @default 5 */
  readonly eksPodRestarts: number;
  /** RDS average CPU percent, for 15 minutes. @default 80 */
  readonly rdsCpuPercent: number;
  /** RDS free storage below this percentage of the allocated storage. @default 10 */
  readonly rdsFreeStoragePercent: number;
  /** RDS freeable memory below this percentage of the instance class's memory. @default 10 */
  readonly rdsFreeableMemoryPercent: number;
  /** RDS connections above this percentage of the engine's default max_connections for the class. @default 80 */
  readonly rdsConnectionsPercent: number;
  /** NAT gateway port-allocation errors in 5 minutes. @default 1 */
  readonly natPortAllocationErrors: number;
  /** Requests blocked by a web ACL (all rules) in 5 minutes. @default 1000 */
  readonly wafBlockedRequests: number;
  /** Requests blocked (or counted, for a count rule) by a web ACL's rate-based rule in one minute. @default 100 */
  readonly wafRateRuleRequests: number;
  /** Minutes a status check must fail before the alarm (and a recover action) fires. @default 2 */
  readonly statusCheckMinutes: number;
}

export const DEFAULT_THRESHOLDS: AlarmThresholds = Object.freeze({
  alb5xxRatePercent: 5,
  target5xxRatePercent: 5,
  unhealthyHosts: 1,
  targetResponseTimeP99Seconds: 2,
  ecsCpuPercent: 85,
  ecsMemoryPercent: 85,
  ecsTasksBelowDesired: 1,
  eksPodRestarts: 5,
  rdsCpuPercent: 80,
  rdsFreeStoragePercent: 10,
  rdsFreeableMemoryPercent: 10,
  rdsConnectionsPercent: 80,
  natPortAllocationErrors: 1,
  wafBlockedRequests: 1000,
  wafRateRuleRequests: 100,
  statusCheckMinutes: 2,
});

/** The defaults with `overrides` applied (undefined values keep the default). */
export function resolveThresholds(overrides: Partial<AlarmThresholds> = {}, who = "alarms"): AlarmThresholds {
  const out: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    if (!(k in DEFAULT_THRESHOLDS)) throw new Error(`${who}: thresholds.${k} is not a known threshold; known: ${Object.keys(DEFAULT_THRESHOLDS).join(", ")}`);
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new Error(`${who}: thresholds.${k} must be a number above 0, got ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out as unknown as AlarmThresholds;
}
