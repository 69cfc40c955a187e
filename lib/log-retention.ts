import { z } from "zod";

/** Retention values CloudWatch Logs accepts, in days (the `retention_in_days` of a log group). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** True when CloudWatch Logs accepts `days` as a retention period. */
export function isLogRetention(days: number): boolean {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

/** The one message for a retention CloudWatch Logs does not offer. */
export const LOG_RETENTION_MESSAGE = `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`;

/** A whole number of days CloudWatch Logs accepts as a retention period (no default). */
export function logRetentionSchema(): z.ZodEffects<z.ZodNumber, number, number> {
  return z
    .number({ invalid_type_error: "must be a number of days" })
    .int("must be a whole number of days")
    .refine(isLogRetention, { message: LOG_RETENTION_MESSAGE });
}
