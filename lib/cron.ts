/**
 * The 5-field Unix cron grammar (minute hour day-of-month month day-of-week) that `parking`
 * schedules are written in: one place for validating an expression (config), expanding a field
 * (the review report's running hours) and writing it in the AWS 6-field form (toAwsCron: the
 * config checks that it can, modules/parking uses it).
 */

interface CronField {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  /** Names the field accepts besides numbers (upper case). */
  readonly names: Readonly<Record<string, number>>;
}

const MONTHS = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
const DAYS = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };

/** The fields, in order. */
export const CRON_FIELDS: readonly CronField[] = [
  { name: "minute", lo: 0, hi: 59, names: {} },
  { name: "hour", lo: 0, hi: 23, names: {} },
  { name: "day-of-month", lo: 1, hi: 31, names: {} },
  { name: "month", lo: 1, hi: 12, names: MONTHS },
  { name: "day-of-week", lo: 0, hi: 6, names: DAYS },
];
const DAY_OF_WEEK = 4;

/** The whitespace-separated fields of an expression (not checked). */
export function splitCron(expr: string): string[] {
  return expr.trim().split(/\s+/);
}

/** One value of field `index`: a number or a name; day-of-week 7 is Sunday (0). NaN when neither. */
function fieldValue(index: number, v: string): number {
  const n = CRON_FIELDS[index].names[v.toUpperCase()] ?? (/^\d+$/.test(v) ? Number(v) : NaN);
  return index === DAY_OF_WEEK && n === 7 ? 0 : n;
}

/** Answers of cronProblem by expression: a registry's 300 sandboxes share one parking schedule. */
const problems = new Map<string, string | undefined>();

/** Why a 5-field cron expression is invalid, or undefined when it is valid. */
export function cronProblem(expr: string): string | undefined {
  if (!problems.has(expr)) problems.set(expr, findCronProblem(expr));
  return problems.get(expr);
}

function findCronProblem(expr: string): string | undefined {
  const fields = splitCron(expr);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), has ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const { name, lo, hi } = CRON_FIELDS[i];
    for (const part of fields[i].split(",")) {
      const [range, step] = part.split("/");
      if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `${name} field "${fields[i]}" has a bad step`;
      if (range === "*") continue;
      const bounds = range.split("-");
      if (bounds.length > 2) return `${name} field "${fields[i]}" is not a value, range or list`;
      const nums = bounds.map((b) => fieldValue(i, b));
      if (nums.some((n) => !Number.isInteger(n) || n < lo || n > hi)) return `${name} field "${fields[i]}" must be within ${lo}-${hi}`;
      if (nums.length === 2 && nums[0] > nums[1]) return `${name} field "${fields[i]}" has a range that runs backwards`;
    }
  }
  return undefined;
}

/** The values a (valid) field matches: `*`, values, ranges, lists and steps. */
export function cronFieldValues(index: number, field: string): Set<number> {
  const { lo, hi } = CRON_FIELDS[index];
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText ? Number(stepText) : 1;
    const value = (s: string) => fieldValue(index, s);
    const [from, to] = range === "*" ? [lo, hi] : range.includes("-") ? range.split("-").map(value) : [value(range), stepText ? hi : value(range)];
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/**
 * A 5-field Unix cron (as `parking` takes it) in the 6-field form Application Auto Scaling and
 * EventBridge expect: `cron(min hour day-of-month month day-of-week year)`, with `?` in whichever
 * day field is unrestricted and day-of-week numbers (0-7, Sunday 0 or 7) written as names, since
 * AWS numbers days 1-7 from Sunday. Throws when both day fields are restricted (AWS cannot say it).
 */
export function toAwsCron(expr: string): string {
  const [minute, hour, dom, month, dow] = splitCron(expr);
  if ([minute, hour, dom, month, dow].some((f) => f === undefined)) throw new Error(`toAwsCron: ${JSON.stringify(expr)} is not a 5-field cron expression`);
  if (dom !== "*" && dow !== "*") {
    throw new Error(`toAwsCron: ${JSON.stringify(expr)} restricts both day-of-month and day-of-week, which AWS cron cannot express: restrict one of them`);
  }
  const named = dow.replace(/\d+/g, (n) => DAY_NAMES[Number(n) % 7]);
  return dow === "*" ? `cron(${minute} ${hour} ${dom} ${month} ? *)` : `cron(${minute} ${hour} ? ${month} ${named} *)`;
}
