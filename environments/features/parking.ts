import { z } from "zod";
import { toAwsCron } from "../../modules/parking";

/**
 * `parking`: scale an environment's auto scaling groups (bastions, ECS fleet, EKS nodes) to zero
 * at `stop` and back at `start`. Absent means never parked. Production environments reject it
 * unless `force: true`.
 */

const FIELD_RANGES: readonly [string, number, number, Record<string, number>][] = [
  ["minute", 0, 59, {}],
  ["hour", 0, 23, {}],
  ["day-of-month", 1, 31, {}],
  ["month", 1, 12, { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 }],
  ["day-of-week", 0, 6, { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 }],
];

/** Why a 5-field cron expression is invalid, or undefined when it is valid. */
export function cronProblem(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), has ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const [name, lo, hi, names] = FIELD_RANGES[i];
    const value = (v: string) => {
      const n = names[v.toUpperCase()] ?? (/^\d+$/.test(v) ? Number(v) : NaN);
      // Day-of-week 7 is Sunday too.
      return i === 4 && n === 7 ? 0 : n;
    };
    for (const part of fields[i].split(",")) {
      const [range, step] = part.split("/");
      if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `${name} field "${fields[i]}" has a bad step`;
      if (range === "*") continue;
      const bounds = range.split("-");
      if (bounds.length > 2) return `${name} field "${fields[i]}" is not a value, range or list`;
      const nums = bounds.map(value);
      if (nums.some((n) => !Number.isInteger(n) || n < lo || n > hi)) return `${name} field "${fields[i]}" must be within ${lo}-${hi}`;
      if (nums.length === 2 && nums[0] > nums[1]) return `${name} field "${fields[i]}" has a range that runs backwards`;
    }
  }
  return undefined;
}

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
