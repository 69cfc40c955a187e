import { z } from "zod";
import { LOG_RETENTION_DAYS, logRetentionSchema } from "../lib/log-retention";
import { TAG_VALUE, TAG_VALUE_CHARACTERS, TAG_VALUE_MAX } from "../lib/tags";
import { isNetworkAddress, parseCidr } from "../modules/network/cidr";
import { allowedCidr } from "../lib/cidr-field";
import { defaultPrivatePrefix, defaultPublicPrefix, planSubnets } from "../modules/network/layout";
import { natInstanceTypeProblem, sshAllowListProblem } from "../modules/network/rules";
import { parkingSchema, refineParking } from "./features/parking";
import { bastionSchema, refineBastion } from "./features/bastion";
import { edgeSchema, refineEdge } from "./features/edge";
import { platformSchema } from "./features/platform";
import { refineEcsPlatform } from "./features/ecs";
import { databasesSchema, refineDatabases, ResolvedDatabaseConfig, resolveDatabases } from "./features/data";
import { observabilitySchema } from "./features/observability";
import { REGION, backendSchema } from "./schema-backend";
import { refineProduction, withProductionLogDefaults } from "./schema-production";

export { backendSchema } from "./schema-backend";
export { LOG_RETENTION_FIELDS, PRODUCTION_MIN_LOG_RETENTION_DAYS } from "./schema-production";

/**
 * The environment schema: every value an environment may set, with its default. Stacks and
 * modules only ever see the parsed `Environment`, never raw input.
 */

const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
/** Retention values CloudWatch Logs accepts (lib/log-retention.ts). */
export { LOG_RETENTION_DAYS };

const label = (what: string, max: number) =>
  z
    .string()
    .min(2, `${what} must be 2 to ${max} characters`)
    .max(max, `${what} must be 2 to ${max} characters`)
    .regex(DNS_LABEL, `${what} must be lowercase letters, digits and hyphens, starting with a letter`);

export const cidrSchema = z.string().superRefine((v, ctx) => {
  const c = parseCidr(v);
  if (!c) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be an IPv4 CIDR block like 10.0.0.0/16" });
  } else if (!isNetworkAddress(c)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "has host bits set: use the network address of the block" });
  }
});

const tagValue = (name: string) =>
  z
    .string()
    .min(1, `${name} tag must not be empty`)
    .max(TAG_VALUE_MAX, `${name} tag must be at most ${TAG_VALUE_MAX} characters`)
    .regex(TAG_VALUE, `${name} tag may contain only ${TAG_VALUE_CHARACTERS}`);

const environmentObjectSchema = z
  .object({
    /** Project name, the first part of every physical name (`<project>-<env>-<role>`); the same in every environment and in global.ts. */
    project: label("project", 20),
    /** Environment name, the first part of every stack name (`<env>-<layer>`). */
    name: label("name", 24),
    /**
     * Production environments get deletion protection, `prevent_destroy` on stateful resources, a
     * remote backend (`s3` or `cloud`), every log kept at least 365 days, and no parking (see
     * docs/security.md). @default false
     */
    production: z.boolean().default(false),
    /** AWS region, e.g. us-east-1. */
    region: z.string().regex(REGION, "must be an AWS region such as us-east-1"),
    /** Availability Zones by name: 2 to 6 zones of `region`, each listed once. @default the region's a, b and c zones */
    azs: z.array(z.string()).min(2, "must list 2 to 6 Availability Zones").max(6, "must list 2 to 6 Availability Zones").optional(),
    vpc: z
      .object({
        /** VPC CIDR block, /16 (largest AWS allows) to /28 (smallest); must not overlap another environment's or a sandbox's, and must hold its subnets. */
        cidr: cidrSchema.refine((v) => {
          const c = parseCidr(v);
          return !c || (c.prefix >= 16 && c.prefix <= 28);
        }, "VPC CIDR prefix must be between /16 and /28 (AWS limits)"),
        /** Prefix length of each private subnet. @default VPC prefix + 3 (/19 in a /16) */
        privatePrefixLength: z.number().int().min(16).max(28).optional(),
        /** Prefix length of each public subnet. @default VPC prefix + 6 (/22 in a /16) */
        publicPrefixLength: z.number().int().min(16).max(28).optional(),
      })
      .strict(),
    nat: z
      .object({
        /**
         * `perAz`: one NAT gateway per AZ (HA); `single`: one shared NAT gateway; `instance`: one
         * small NAT instance in an auto scaling group over every AZ (cheapest); `none`: no internet route from
         * private subnets.
         */
        strategy: z.enum(["perAz", "single", "instance", "none"]),
        /**
         * AZ that hosts the single NAT gateway. (The NAT instance's group spans every AZ's public
         * subnet, so it takes no AZ.) @default the first AZ
         */
        az: z.string().optional(),
        /** Graviton instance type of the NAT instance. @default "t4g.nano" */
        instanceType: z
          .string()
          .superRefine((v, ctx) => {
            const problem = natInstanceTypeProblem(v);
            if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
          })
          .optional(),
      })
      .strict(),
    flowLogs: z
      .object({
        /** Where VPC flow logs go. @default cloudwatch */
        destination: z.enum(["cloudwatch", "s3"]).default("cloudwatch"),
        /** Days to keep flow logs (a CloudWatch Logs retention value, or the S3 expiry); at least 365 in production. @default 30 (365 in production) */
        retentionDays: logRetentionSchema().default(30),
        /** Which traffic is logged: all, accepted only or rejected only. @default ALL */
        trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
      })
      .strict()
      .default({}),
    /** Tags applied to every resource through the provider's default_tags; `Project`, `Environment`, `ManagedBy` and `Stack` are added. */
    tags: z
      .object({
        /** Who answers for the environment (a person or team, e.g. an email address). */
        Owner: tagValue("Owner"),
        /** What the environment is for. */
        Purpose: tagValue("Purpose"),
        /** Cost allocation tag. */
        CostCenter: tagValue("CostCenter"),
        /** Last day the environment may live (YYYY-MM-DD) or `never`; sandboxes always carry it. @default no Expires tag */
        Expires: z
          .string()
          .regex(/^(\d{4}-\d{2}-\d{2}|never)$/, "Expires tag must be a date written YYYY-MM-DD or never")
          .optional(),
      })
      .strict(),
    /**
     * Where each stack's state lives. A production environment must choose `s3` or `cloud`.
     * @default { kind: "local" }
     */
    backend: backendSchema.default({ kind: "local" }),
    /** Container platform: `{ kind: "ecs", ... }` or `{ kind: "eks", ... }`. */
    platform: platformSchema,
    /** Night/weekend parking of the environment's auto scaling groups. @default never parked */
    parking: parkingSchema.optional(),
    /** Bastion hosts. */
    bastion: bastionSchema,
    /** CloudFront, WAF, ALB, Route 53. */
    edge: edgeSchema,
    /** RDS databases. @default none */
    databases: databasesSchema,
    /** Alarm topic, subscriptions, thresholds. */
    observability: observabilitySchema,
    ssh: z
      .object({
        /** CIDRs allowed to reach the bastions on port 22. Never 0.0.0.0/0, ::/0 or any /0; must not be empty while `bastion.access` includes ssh. */
        allowList: z.array(
          allowedCidr(sshAllowListProblem),
        ),
      })
      .strict(),
  })
  .strict()
  .superRefine((env, ctx) => {
    refineParking(env, ctx);
    refineEcsPlatform(env, ctx);
    refineBastion(env, ctx);
    refineEdge(env, ctx);
    refineDatabases(env, ctx);
    refineProduction(env, ctx);
    const azs = env.azs ?? defaultAzs(env.region);
    const seen = new Set<string>();
    azs.forEach((az, i) => {
      if (!isAzOf(env.region, az)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["azs", i], message: `must be an AZ of region ${env.region} (${env.region}a to ${env.region}f)` });
      }
      if (seen.has(az)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["azs", i], message: "is listed twice" });
      seen.add(az);
    });
    if (env.nat.az !== undefined && !azs.includes(env.nat.az)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["nat", "az"], message: `must be one of the environment's AZs: ${azs.join(", ")}` });
    }
    if (env.nat.az !== undefined && env.nat.strategy !== "single") {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["nat", "az"],
        message: env.nat.strategy === "instance"
          ? "only applies to nat.strategy \"single\": the NAT instance's group spans every AZ's public subnet, so a replacement can start in another AZ"
          : "only applies to nat.strategy \"single\"",
      });
    }
    if (env.nat.instanceType !== undefined && env.nat.strategy !== "instance") {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["nat", "instanceType"], message: "only applies to nat.strategy \"instance\"" });
    }
    const vpc = parseCidr(env.vpc.cidr);
    // Only a well-formed VPC CIDR is checked for room; a malformed one already has its own issue.
    if (vpc && isNetworkAddress(vpc) && vpc.prefix >= 16 && vpc.prefix <= 28) {
      const priv = env.vpc.privatePrefixLength ?? defaultPrivatePrefix(vpc.prefix);
      const pub = env.vpc.publicPrefixLength ?? defaultPublicPrefix(vpc.prefix);
      try {
        planSubnets(env.vpc.cidr, azs, priv, pub);
      } catch (e) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["vpc", "cidr"], message: `is too small for its subnets: ${(e as Error).message}` });
      }
    }
  });

/** True when `az` is one of the region's zones: the region's name and one letter a to f. */
function isAzOf(region: string, az: string): boolean {
  return az.length === region.length + 1 && az.startsWith(region) && "abcdef".includes(az[region.length]);
}

/** The default AZs of a region: its a, b and c zones (every commercial region has them). */
export function defaultAzs(region: string): string[] {
  return [`${region}a`, `${region}b`, `${region}c`];
}

/**
 * The environment schema as parsed: production's log-retention defaults first, then the fields,
 * their defaults and the cross-field rules.
 */
export const environmentSchema = z.preprocess(withProductionLogDefaults, environmentObjectSchema);

/** What an environment file declares (defaults optional). */
export type EnvironmentInput = z.input<typeof environmentObjectSchema>;

/** A validated environment with every default resolved. */
export interface Environment extends Omit<z.output<typeof environmentSchema>, "azs" | "vpc" | "databases"> {
  readonly azs: readonly string[];
  readonly vpc: {
    readonly cidr: string;
    readonly privatePrefixLength: number;
    readonly publicPrefixLength: number;
  };
  /** The databases, production-derived defaults resolved (features/data.ts resolveDatabases). */
  readonly databases: readonly ResolvedDatabaseConfig[];
}

export function resolveDefaults(parsed: z.output<typeof environmentSchema>): Environment {
  const vpc = parseCidr(parsed.vpc.cidr)!;
  return {
    ...parsed,
    azs: parsed.azs ?? defaultAzs(parsed.region),
    vpc: {
      cidr: parsed.vpc.cidr,
      privatePrefixLength: parsed.vpc.privatePrefixLength ?? defaultPrivatePrefix(vpc.prefix),
      publicPrefixLength: parsed.vpc.publicPrefixLength ?? defaultPublicPrefix(vpc.prefix),
    },
    databases: resolveDatabases(parsed.databases, parsed.production),
  };
}
