import { z } from "zod";
import type { Problem } from "../../lib/problems";
import { logRetentionSchema } from "../../lib/log-retention";
import { isNetworkAddress, parseCidr } from "../../modules/network/cidr";
import { COUNTRY_CODES } from "../../modules/edge/countries";
import { blueGreenWeightsProblem, DOMAIN_NAME, routeWeightProblem, wafRateLimitProblem, wafRateWindowProblem } from "../../modules/edge/limits";

const hostSchema = z.string().regex(DOMAIN_NAME, "must be a lowercase host name such as app.dev.harbor.example.com");

/** An IPv4 CIDR block for a WAF IP set (/1 to /32, network address). */
const wafCidrSchema = z.string().superRefine((v, ctx) => {
  const c = parseCidr(v);
  if (!c) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be an IPv4 CIDR block like 198.51.100.0/24 (a single address is /32)" });
  else if (c.prefix === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be /1 to /32: WAF IP sets do not accept /0" });
  else if (!isNetworkAddress(c)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "has host bits set: use the network address of the block" });
});

const countrySchema = z
  .string()
  .refine((c) => COUNTRY_CODES.has(c), "must be an ISO 3166-1 alpha-2 country code in capitals, such as US, DE or JP");

const countriesSchema = z.array(countrySchema).min(1, "must list at least one country");

/** Where a DNS record may point besides this environment's distribution (another environment, a maintenance page). */
const aliasTargetSchema = z
  .object({
    /** DNS name of the target, e.g. d111111abcdef8.cloudfront.net or an ALB's name. */
    dnsName: hostSchema,
    /** Hosted zone id of the target (CloudFront: Z2FDTNDATAQYW2; an ALB: its region's ELB zone). */
    zoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route 53 hosted zone id such as Z2FDTNDATAQYW2"),
    /** Route 53 follows the target's health. @default true */
    evaluateTargetHealth: z.boolean().default(true),
  })
  .strict();

/** `distribution`: this environment's CloudFront distribution; or an alias target. */
const targetSchema = z.union([z.literal("distribution"), aliasTargetSchema]);

const weightSchema = z.number().superRefine((w, ctx) => {
  const problem = routeWeightProblem(w);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

/** DNS routing of the environment's host names. */
const routingSchema = z.discriminatedUnion("kind", [
  /** One alias A and AAAA record per host to the distribution. */
  z.object({ kind: z.literal("simple") }).strict(),
  /** Failover pair: primary = the distribution (with the health check), secondary = `secondary`. */
  z
    .object({
      kind: z.literal("failover"),
      /** Where Route 53 sends viewers while the distribution's health check fails. */
      secondary: aliasTargetSchema,
    })
    .strict(),
  /** Weighted blue/green pair; weights sum to 100 (e.g. 90/10). Switch by changing the weights. */
  z
    .object({
      kind: z.literal("weighted"),
      /** One side: `weight` (0 to 100) and `target` (`"distribution"` or an alias target). */
      blue: z.object({ weight: weightSchema, target: targetSchema }).strict(),
      /** The other side; one of blue and green targets `"distribution"`, and the weights sum to 100. */
      green: z.object({ weight: weightSchema, target: targetSchema }).strict(),
    })
    .strict(),
]);

/**
 * `edge`: CloudFront, WAF, ALB and Route 53 of an environment. Host names live in the global
 * `dns.domain` zone. `enabled: false` creates no edge stack (cheap sandboxes reach services
 * without a load balancer).
 */
export const edgeSchema = z
  .object({
    /** Build the `<env>-edge` stack. @default true */
    enabled: z.boolean().default(true),
    /** Viewer host names (CloudFront aliases, certificate names, DNS records). @default [`app.<env>.<domain>`] (+ the apex with `apex`) */
    hosts: z.array(hostSchema).min(1, "must list at least one host name").optional(),
    /** Also serve the zone's apex (`<domain>` itself); for the production environment. @default false */
    apex: z.boolean().default(false),
    /** Name CloudFront uses to reach the ALB (an alias to it, on the ALB certificate). @default `origin.<env>.<domain>` */
    originHost: hostSchema.optional(),
    /** Rules per ALB listener before routes spill to another HTTPS listener (AWS's default quota is 100). @default 100 */
    listenerRuleQuota: z.number().int("must be a whole number").min(1, "must be at least 1").max(1000, "must be at most 1000").default(100),
    /** Port of the first spill listener; further ones count up. @default 8443 */
    firstSpillPort: z.number().int().min(1024, "must be 1024 to 65000").max(65000, "must be 1024 to 65000").default(8443),
    /** Path the Route 53 health check requests; the ALB answers it itself (200) when the origin-verify header is present. @default /_edge/health */
    healthCheckPath: z.string().regex(/^\/[A-Za-z0-9_.\-/]*$/, "must be a path starting with /").default("/_edge/health"),
    /** Days to keep ALB and CloudFront access logs and WAF logs (a CloudWatch Logs retention value); at least 365 in production. @default 90 (365 in production) */
    logRetentionDays: logRetentionSchema().default(90),
    waf: z
      .object({
        /**
         * Rate-based rule: at most `limit` requests per client IP per `windowSeconds`. WAF's
         * smallest window is 60 s, so the seed's "100 in 10 s" is 600 per 60 s. @default 600 / 60 s, block
         */
        rateLimit: z
          .object({
            /** Requests per client IP per window (at least 10, WAF's minimum). */
            limit: z.number().superRefine((limit, ctx) => {
              const problem = wafRateLimitProblem(limit);
              if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
            }),
            /** WAF's evaluation window: 60, 120, 300 or 600 seconds. @default 60 */
            windowSeconds: z
              .number()
              .superRefine((w, ctx) => {
                const problem = wafRateWindowProblem(w);
                if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
              })
              .default(60),
            /** `block` over the limit, or only `count` (the alarm still tells you). @default block */
            action: z.enum(["block", "count"]).default("block"),
          })
          .strict()
          .default({ limit: 600 }),
        /** Client CIDRs that are blocked (the black list). @default none */
        blockList: z.array(wafCidrSchema).default([]),
        /** Client CIDRs whose requests are counted (the watch list). @default none */
        watchList: z.array(wafCidrSchema).default([]),
        /** Requests with a larger body are blocked. @default 1048576 (1 MiB) */
        maxBodyBytes: z.number().int("must be a whole number").min(1, "must be at least 1 byte").max(1_000_000_000, "must be at most 1000000000").default(1_048_576),
        /** Block (or count) requests from these countries. @default none */
        geoMatch: z
          .object({
            /** @default block */
            action: z.enum(["block", "count"]).default("block"),
            /** ISO 3166-1 alpha-2 country codes (US, DE, JP). */
            countries: countriesSchema,
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    cdn: z
      .object({
        /** Paths cached with the managed CachingOptimized policy; everything else is not cached. @default ["/static/*", "/assets/*"] */
        staticPathPatterns: z.array(z.string().regex(/^[A-Za-z0-9_.\-/*?~&@$+=!'()]+$/, "must be a CloudFront path pattern such as /static/*")).default(["/static/*", "/assets/*"]),
        /** CloudFront price class (which edge locations serve viewers). @default PriceClass_100 (North America and Europe edges) */
        priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]).default("PriceClass_100"),
        /** Viewer countries: `none` (everyone), `allow` (only these), `deny` (all but these). @default none */
        geoRestriction: z
          .discriminatedUnion("type", [
            z.object({ type: z.literal("none") }).strict(),
            z.object({ type: z.literal("allow"), countries: countriesSchema }).strict(),
            z.object({ type: z.literal("deny"), countries: countriesSchema }).strict(),
          ])
          .default({ type: "none" }),
        /** Cache behaviors the distribution may have (the CloudFront quota; raise it with AWS first). @default 75 */
        maxCacheBehaviors: z.number().int().min(1).max(1000).default(75),
      })
      .strict()
      .default({}),
    /** DNS routing of the hosts: simple, failover or weighted blue/green. @default simple */
    routing: routingSchema.default({ kind: "simple" }),
  })
  .strict()
  .default({});

export type EdgeConfig = z.output<typeof edgeSchema>;
export type EdgeRouting = EdgeConfig["routing"];

/** Rules across edge fields. */
export function refineEdge(env: { name: string; production: boolean; edge: EdgeConfig }, ctx: z.RefinementCtx): void {
  const routing = env.edge.routing;
  if (routing.kind === "weighted") {
    const { blue, green } = routing;
    const sum = blueGreenWeightsProblem(blue.weight, green.weight);
    if (sum) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["edge", "routing", "green", "weight"], message: sum });
    if (blue.target !== "distribution" && green.target !== "distribution") {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["edge", "routing", "blue", "target"], message: 'one of blue.target and green.target must be "distribution" (this environment)' });
    }
  }
  const hosts = env.edge.hosts ?? [];
  hosts.forEach((h, i) => {
    if (hosts.indexOf(h) !== i) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["edge", "hosts", i], message: "is listed twice" });
    if (env.edge.originHost === h) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["edge", "originHost"], message: "must differ from the viewer hosts (it names the ALB, not the distribution)" });
  });
}

/** An environment's edge names with their defaults resolved from the zone's domain. */
export interface EdgeNames {
  /** Viewer host names: `edge.hosts` or `app.<env>.<domain>`, plus the apex with `edge.apex`. */
  readonly hosts: readonly string[];
  /** The name CloudFront reaches the ALB by: `edge.originHost` or `origin.<env>.<domain>`. */
  readonly originHost: string;
}

/** The viewer hosts and origin name of an environment's edge in the zone `domain`. */
export function edgeNames(env: { readonly name: string; readonly edge: EdgeConfig }, domain: string): EdgeNames {
  const cfg = env.edge;
  let hosts = cfg.hosts ?? [`app.${env.name}.${domain}`, ...(cfg.apex ? [domain] : [])];
  if (cfg.hosts && cfg.apex && !hosts.includes(domain)) hosts = [...hosts, domain];
  return { hosts, originHost: cfg.originHost ?? `origin.${env.name}.${domain}` };
}

/**
 * Rules between an environment's edge and the global settings: an edge needs the project's hosted
 * zone (`dns.domain` of `globalFile`), and every name it is given lies in that zone (the defaults
 * always do).
 */
export function edgeZoneProblems(file: string, env: { readonly name: string; readonly edge: EdgeConfig }, domain: string | undefined, globalFile: string): Problem[] {
  if (!env.edge.enabled) return [];
  if (domain === undefined) {
    return [{ file, path: "edge.enabled", value: true, message: `needs the project's hosted zone, but ${globalFile} has no dns.domain: add dns: { domain: "..." } there, or set edge.enabled: false` }];
  }
  const inZone = (host: string) => host === domain || host.endsWith(`.${domain}`);
  const message = `is not in the hosted zone ${domain} (dns.domain of ${globalFile}): use ${domain} or a name ending in .${domain}`;
  const problems: Problem[] = [];
  (env.edge.hosts ?? []).forEach((h, i) => {
    if (!inZone(h)) problems.push({ file, path: `edge.hosts.${i}`, value: h, message });
  });
  const origin = env.edge.originHost;
  if (origin !== undefined && !inZone(origin)) problems.push({ file, path: "edge.originHost", value: origin, message });
  return problems;
}
