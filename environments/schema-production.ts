import { z } from "zod";

/** The production rules of an environment's state and logs, and production's log-retention defaults. */

/** The least a production environment keeps any log (CloudWatch retention, S3 expiry): a year. */
export const PRODUCTION_MIN_LOG_RETENTION_DAYS = 365;

/**
 * The log-retention fields of an environment, by path. A production environment that leaves one
 * out gets PRODUCTION_MIN_LOG_RETENTION_DAYS instead of the field's non-production default, and may
 * not set less.
 */
export const LOG_RETENTION_FIELDS = [
  ["flowLogs", "retentionDays"],
  ["observability", "logRetentionDays"],
  ["edge", "logRetentionDays"],
] as const;

/**
 * Fills in production's log retention where a production environment leaves it out (before the
 * field defaults apply); anything else passes through unchanged, and malformed input is left to
 * the schema to report.
 */
export function withProductionLogDefaults(input: unknown): unknown {
  if (input === null || typeof input !== "object" || (input as { production?: unknown }).production !== true) return input;
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const [section, field] of LOG_RETENTION_FIELDS) {
    const v = out[section];
    if (v !== undefined && (v === null || typeof v !== "object" || Array.isArray(v))) continue;
    const obj = { ...((v as Record<string, unknown> | undefined) ?? {}) };
    if (obj[field] === undefined) obj[field] = PRODUCTION_MIN_LOG_RETENTION_DAYS;
    out[section] = obj;
  }
  return out;
}

/** What the production rules read. */
interface ProductionFields {
  readonly production: boolean;
  readonly backend: { readonly kind: string };
  readonly flowLogs: { readonly retentionDays: number };
  readonly observability: { readonly logRetentionDays: number };
  readonly edge: { readonly logRetentionDays: number };
}

/**
 * The production rules of state and logs: no local state (one disk, no locking) and no log kept
 * less than a year.
 */
export function refineProduction(env: ProductionFields, ctx: z.RefinementCtx): void {
  if (!env.production) return;
  if (env.backend.kind === "local") {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["backend", "kind"],
      message:
        "must not be \"local\" (the default) when production is true: local state lives on one disk (a CI runner throws it away) and has no locking; " +
        "use { kind: \"s3\", bucket, region } (S3 with native locking) or { kind: \"cloud\", organization } (Terraform Cloud, one workspace per stack)",
    });
  }
  for (const [section, field] of LOG_RETENTION_FIELDS) {
    const days = (env[section] as unknown as Record<string, number>)[field];
    if (days < PRODUCTION_MIN_LOG_RETENTION_DAYS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [section, field],
        message: `must be at least ${PRODUCTION_MIN_LOG_RETENTION_DAYS} days when production is true (production logs are kept a year or more; leave it out to get ${PRODUCTION_MIN_LOG_RETENTION_DAYS})`,
      });
    }
  }
}
