import { z } from "zod";

/**
 * Our `x-` extensions of a Compose service (what Compose lacks), validated with zod after the
 * Compose schema. Durations are seconds, as a number or a Compose duration string (`30s`, `1m30s`).
 */

/** Seconds in a Compose duration (`1h2m3s`, `1.5s`, `500ms`), or undefined when malformed. */
export function parseDuration(value: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(us|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    matched += m[0].length;
    const n = Number(m[1]);
    total += m[2] === "h" ? n * 3600 : m[2] === "m" ? n * 60 : m[2] === "s" ? n : m[2] === "ms" ? n / 1000 : n / 1e6;
  }
  return matched === value.length && value.length > 0 ? total : undefined;
}

/** Whole seconds within [min, max], from a number or a Compose duration string. */
export function seconds(min: number, max: number) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const s = typeof v === "number" ? v : parseDuration(v);
    if (s === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be a number of seconds or a duration like 30s or 1m30s" });
      return z.NEVER;
    }
    if (!Number.isInteger(s) || s < min || s > max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a whole number of seconds from ${min} to ${max}` });
      return z.NEVER;
    }
    return s;
  });
}

const int = (min: number, max: number, what = "") =>
  z
    .number({ invalid_type_error: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be ${min} to ${max}${what}`)
    .max(max, `must be ${min} to ${max}${what}`);

/** Why a route path prefix is unusable, or undefined. */
export function routePathProblem(path: string): string | undefined {
  if (!path.startsWith("/")) return "must start with /";
  if (path.length > 100) return "must be at most 100 characters (load-balancer patterns are at most 128)";
  if (path !== "/" && path.endsWith("/")) return "must not end with / (the prefix covers everything under it)";
  if (path.includes("//")) return "must not contain //";
  if (/[*?]/.test(path)) return "must be a plain prefix without wildcards (* and ? are added by the platform)";
  if (!/^[A-Za-z0-9._~\-/]+$/.test(path)) return "may contain only letters, digits, / and . _ ~ -";
  return undefined;
}

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const xRouteSchema = z
  .object({
    /** Path prefix, e.g. `/alpha`. */
    path: z.string().superRefine((v, ctx) => {
      const problem = routePathProblem(v);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
    /** Host name the route also matches on, e.g. `api.example.com`. @default any host */
    host: z.string().regex(HOST, "must be a lowercase DNS name such as api.example.com").optional(),
  })
  .strict();

export const xHealthSchema = z
  .object({
    /** HTTP path checked on the service's port. @default derived from `healthcheck` (a curl/wget of http://localhost...) */
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~\-/?=&%]*$/, "must be an absolute path such as /health")
      .max(1024, "must be at most 1024 characters")
      .optional(),
    /** @default healthcheck.interval, else 15 */
    interval: seconds(5, 300).optional(),
    /** @default healthcheck.timeout, else 5 */
    timeout: seconds(2, 120).optional(),
    /** @default 2 */
    healthyThreshold: int(2, 10).optional(),
    /** @default healthcheck.retries (kept within 2..10), else 3 */
    unhealthyThreshold: int(2, 10).optional(),
    /** @default 200-399 */
    matcher: z
      .string()
      .regex(/^[1-5]\d\d(-[1-5]\d\d)?(,[1-5]\d\d(-[1-5]\d\d)?)*$/, "must be HTTP codes such as 200, 200-299 or 200,204")
      .optional(),
    /** Seconds failures are ignored after a start. @default healthcheck.start_period, else 60 */
    gracePeriod: seconds(0, 3600).optional(),
  })
  .strict();

const scalingFields = {
  /** Fewest replicas. */
  min: int(0, 1000),
  /** Most replicas. */
  max: int(1, 1000),
  /** Target average CPU utilization, percent. */
  cpu: int(10, 95, " percent").optional(),
  /** Target average memory utilization, percent. */
  memory: int(10, 95, " percent").optional(),
  /** Target requests per replica per minute (public services only). */
  requestsPerTarget: int(1, 1_000_000).optional(),
  /** @default 300 */
  scaleInCooldown: seconds(0, 3600).optional(),
  /** @default 60 */
  scaleOutCooldown: seconds(0, 3600).optional(),
};

export const xScalingSchema = z.object(scalingFields).strict();
export const xScalingOverrideSchema = z.object(scalingFields).partial().strict();

export const xExposeSchema = z.enum(["public", "internal"], {
  errorMap: () => ({ message: 'must be "public" (routed through the edge) or "internal" (not reachable from outside)' }),
});

/** What `x-environments.<env>` may change; merged over the service before it is validated again. */
export const xEnvironmentOverrideSchema = z
  .object({
    /** Shorthand for `deploy.replicas`. */
    replicas: int(0, 1000).optional(),
    image: z.string().optional(),
    /** Merged over the service's environment, variable by variable. */
    environment: z.union([z.record(z.unknown()), z.array(z.string())]).optional(),
    /** Merged over the service's `deploy` (e.g. `resources`). */
    deploy: z.record(z.unknown()).optional(),
    "x-scaling": xScalingOverrideSchema.optional(),
    "x-route": xRouteSchema.partial().strict().optional(),
    "x-health": xHealthSchema.optional(),
    "x-expose": xExposeSchema.optional(),
  })
  .strict();

export const xEnvironmentsSchema = z.record(z.string(), xEnvironmentOverrideSchema);

/** One entry of `x-calls`: a service of the environment, optionally with the port called (`ledger` or `ledger:8080`). */
export const CALL = /^([a-z]([a-z0-9-]{0,30}[a-z0-9])?)(?::(\d{1,5}))?$/;

/**
 * `x-calls`: the services this one calls, by Compose name (`ledger`) or name and port
 * (`ledger:8080`, checked against the callee's port). The only calls the platform allows.
 */
export const xCallsSchema = z
  .array(z.string({ invalid_type_error: "must be a service name such as ledger, or name:port such as ledger:8080" }).regex(CALL, "must be a service name such as ledger, or name:port such as ledger:8080"), {
    invalid_type_error: "must be a list of service names, e.g. [ledger] or [\"ledger:8080\"]",
  })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((v, i) => {
      const name = CALL.exec(v)?.[1];
      if (name === undefined) return;
      if (seen.has(name)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: `calls ${name} twice: list each service once` });
      seen.add(name);
    });
  });

/** Our service-level extension keys and their schemas. */
export const SERVICE_EXTENSIONS = {
  "x-route": xRouteSchema,
  "x-health": xHealthSchema,
  "x-scaling": xScalingSchema,
  "x-expose": xExposeSchema,
  "x-environments": xEnvironmentsSchema,
  "x-calls": xCallsSchema,
} as const;

export type XRoute = z.output<typeof xRouteSchema>;
export type XHealth = z.output<typeof xHealthSchema>;
export type XScaling = z.output<typeof xScalingSchema>;
export type XEnvironmentOverride = z.output<typeof xEnvironmentOverrideSchema>;
