import { z } from "zod";
import { cronProblem, toAwsCron } from "../../lib/cron";

/**
 * `parking`: scale an environment's auto scaling groups (bastions, ECS fleet, EKS nodes) to zero
 * at `stop` and back at `start`. Absent means never parked. Production environments reject it
 * unless `force: true`.
 */

/** Why a 5-field cron expression is invalid (lib/cron.ts), re-exported for callers of the config. */
export { cronProblem };

const TIME_ZONES = new Set<string>([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"]);

const cron = z.string().superRefine((v, ctx) => {
  const problem = cronProblem(v);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a valid cron expression: ${problem}` });
  else {
    // ECS services are parked with Application Auto Scaling, whose cron cannot restrict both day fields.
    try {
      toAwsCron(v);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "restricts both day-of-month and day-of-week: restrict only one of them (AWS schedules cannot express both)" });
    }
  }
});

export const parkingSchema = z
  .object({
    /** Cron at which groups scale to zero. */
    stop: cron,
    /** Cron at which groups come back. */
    start: cron,
    /** IANA time zone, e.g. America/New_York. */
    timeZone: z.string().refine((tz) => TIME_ZONES.has(tz), "must be an IANA time zone such as America/New_York or UTC"),
    /** Allow parking on a production environment. @default false */
    force: z.boolean().default(false),
  })
  .strict();

export type ParkingConfig = z.output<typeof parkingSchema>;

/** Cross-field rule: production is never parked unless forced. */
export function refineParking(env: { production: boolean; parking?: ParkingConfig }, ctx: z.RefinementCtx): void {
  if (env.production && env.parking && !env.parking.force) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["parking"],
      message: "is not allowed on a production environment (it would stop production every night); set parking.force: true if you really mean it",
    });
  }
}
