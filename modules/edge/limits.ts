/** Limits and formats the edge's config validation and its constructs share. */

/** A lowercase DNS name of two or more labels (RFC 1123 labels, 1-63 characters each, at most 253 in all). */
export const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** WAF's smallest rate-based rule limit (requests per evaluation window). */
export const WAF_MIN_RATE_LIMIT = 10;

/** Evaluation windows a WAF rate-based rule accepts, in seconds (60 is the smallest). */
export const WAF_RATE_WINDOWS = [60, 120, 300, 600] as const;

/** WAF's largest rate-based rule limit. */
export const WAF_MAX_RATE_LIMIT = 2_000_000_000;

/** Why `limit` cannot be a rate-based rule's limit (requests per window), or undefined. */
export function wafRateLimitProblem(limit: number): string | undefined {
  if (Number.isInteger(limit) && limit >= WAF_MIN_RATE_LIMIT && limit <= WAF_MAX_RATE_LIMIT) return undefined;
  return `must be a whole number of requests per window from ${WAF_MIN_RATE_LIMIT} (WAF's minimum rate limit) to ${WAF_MAX_RATE_LIMIT}`;
}

/** Why `seconds` cannot be a rate-based rule's evaluation window, or undefined. */
export function wafRateWindowProblem(seconds: number): string | undefined {
  return (WAF_RATE_WINDOWS as readonly number[]).includes(seconds) ? undefined : `must be one of WAF's evaluation windows: ${WAF_RATE_WINDOWS.join(", ")} seconds`;
}

/** Why `weight` cannot be one colour's weight of weighted blue/green records, or undefined. */
export function routeWeightProblem(weight: number): string | undefined {
  return Number.isInteger(weight) && weight >= 0 && weight <= 100 ? undefined : "must be a whole number 0 to 100";
}

/** Why blue and green weights cannot go together (they share 100), or undefined. */
export function blueGreenWeightsProblem(blue: number, green: number): string | undefined {
  return blue + green === 100 ? undefined : `blue and green weights must sum to 100, got ${blue} + ${green} = ${blue + green}`;
}
