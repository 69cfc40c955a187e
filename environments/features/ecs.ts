import { z } from "zod";

/**
 * `platform: { kind: "ecs", ... }`: the ECS cluster and its EC2 fleet (issue: the ECS platform),
 * plus what every ECS service of the environment shares (deployment percentages, log retention).
 *
 * The fleet is two auto scaling groups, each an ECS capacity provider: `onDemand` and `spot`. The
 * default capacity provider strategy (`strategy`) puts the first `onDemandBase` tasks of every
 * service on on-demand capacity and splits the rest by weight, so a spot interruption never takes
 * a service's floor with it.
 */

/** EC2 instance type names: family (with generation and options) dot size, e.g. m6i.large. */
const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z-]*)\.(nano|micro|small|medium|large|xlarge|\d+xlarge|metal(-\d+xl)?)$/;

/** True for AWS Graviton (arm64) instance types: a `g` in the options after the generation digit (m7g, c6gn, t4g). */
export function isGraviton(instanceType: string): boolean {
  const m = INSTANCE_TYPE.exec(instanceType);
  return !!m && m[3].includes("g") && !/^(g|p|inf|trn|dl)$/.test(m[1]);
}

const count = (what: string, max = 1000) =>
  z
    .number({ invalid_type_error: `must be a number (${what})` })
    .int(`must be a whole number (${what})`)
    .min(0, `must be 0 to ${max} (${what})`)
    .max(max, `must be 0 to ${max} (${what})`);

const groupSchema = (what: string, dflt: { min: number; max: number }) =>
  z
    .object({
      /** Fewest instances (0 lets ECS managed scaling empty the group). */
      min: count(`fewest ${what} instances`).default(dflt.min),
      /** Most instances managed scaling may launch. */
      max: count(`most ${what} instances`).default(dflt.max),
    })
    .strict()
    .default(dflt);

export const ecsPlatformSchema = z
  .object({
    kind: z.literal("ecs"),
    /** CPU architecture of the fleet; picks the AMI (x86_64 or arm64). @default x86_64 */
    architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
    /** Instance types, at least two (spot capacity needs diversity), all of `architecture`. @default m6i.large, m5.large, m6a.large, m5a.large */
    instanceTypes: z
      .array(z.string().regex(INSTANCE_TYPE, "must be an EC2 instance type such as m6i.large"))
      .min(2, "must list at least 2 instance types: spot capacity needs several pools to draw from")
      .max(20, "must list at most 20 instance types (the auto scaling group's limit)")
      .default(["m6i.large", "m5.large", "m6a.large", "m5a.large"]),
    /** On-demand group size; managed scaling grows it from `min` as tasks need it. @default { min: 0, max: 4 } */
    onDemand: groupSchema("on-demand", { min: 0, max: 4 }),
    /** Spot group size. @default { min: 0, max: 10 } */
    spot: groupSchema("spot", { min: 0, max: 10 }),
    /** Default capacity provider strategy of the cluster and its services. */
    strategy: z
      .object({
        /** Tasks of each service always placed on on-demand capacity first. @default 1 */
        onDemandBase: count("tasks on on-demand capacity first", 100000).default(1),
        /** Relative share of the remaining tasks on on-demand capacity. @default 1 */
        onDemandWeight: count("share of on-demand capacity", 1000).default(1),
        /** Relative share of the remaining tasks on spot capacity. @default 3 */
        spotWeight: count("share of spot capacity", 1000).default(3),
      })
      .strict()
      .default({}),
    /** How full ECS managed scaling keeps each group, percent (100: no spare instances). @default 100 */
    targetCapacityPercent: z
      .number({ invalid_type_error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be 1 to 100 percent")
      .max(100, "must be 1 to 100 percent")
      .default(100),
    /** Root volume size (encrypted gp3), GiB; the ECS-optimized AMI needs at least 30. @default 30 */
    volumeSizeGiB: z
      .number({ invalid_type_error: "must be a number" })
      .int("must be a whole number")
      .min(30, "must be 30 to 1024 GiB (the ECS-optimized AMI needs 30)")
      .max(1024, "must be 30 to 1024 GiB (the ECS-optimized AMI needs 30)")
      .default(30),
    /** Seconds the agent waits after SIGTERM before killing a container (ECS_CONTAINER_STOP_TIMEOUT). @default 30 */
    containerStopTimeoutSeconds: z
      .number({ invalid_type_error: "must be a number" })
      .int("must be a whole number")
      .min(2, "must be 2 to 120 seconds (spot gives a 2-minute warning)")
      .max(120, "must be 2 to 120 seconds (spot gives a 2-minute warning)")
      .default(30),
    /** Per-service alarms (CPU, memory, tasks below desired, unhealthy hosts) to the alarm topic; sandboxes turn them off. @default true */
    serviceAlarms: z.boolean().default(true),
    /** Let people open a shell in a running task (ECS Exec, logged to CloudWatch Logs). @default true */
    exec: z.boolean().default(true),
    /** Service deployments: healthy percentages and target-group deregistration delay. */
    deployment: z
      .object({
        /** Running tasks kept during a deployment, percent of desired. @default 100 */
        minimumHealthyPercent: z.number().int().min(0, "must be 0 to 100").max(100, "must be 0 to 100").default(100),
        /** Tasks allowed during a deployment, percent of desired. @default 200 */
        maximumPercent: z.number().int().min(100, "must be 100 to 400").max(400, "must be 100 to 400").default(200),
        /** Seconds a target drains before it is removed. @default 30 */
        deregistrationDelaySeconds: z.number().int().min(0, "must be 0 to 3600 seconds").max(3600, "must be 0 to 3600 seconds").default(30),
      })
      .strict()
      .default({}),
  })
  .strict();

export type EcsPlatformConfig = z.output<typeof ecsPlatformSchema>;

/**
 * Cross-field rules of the ECS platform (the schema itself must stay a plain object for the
 * platform union); called from the environment schema with the environment's platform.
 */
export function refineEcsPlatform(env: { platform: { kind: string } }, ctx: z.RefinementCtx): void {
  if (env.platform.kind !== "ecs") return;
  const cfg = env.platform as EcsPlatformConfig;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["platform", ...path], message });
  {
    if (cfg.onDemand.min > cfg.onDemand.max) issue(["onDemand", "min"], `must not exceed onDemand.max (${cfg.onDemand.max})`);
    if (cfg.spot.min > cfg.spot.max) issue(["spot", "min"], `must not exceed spot.max (${cfg.spot.max})`);
    if (cfg.onDemand.max + cfg.spot.max === 0) issue(["onDemand", "max"], "leaves the fleet no capacity at all: raise onDemand.max or spot.max");
    if (cfg.strategy.onDemandWeight + cfg.strategy.spotWeight === 0) {
      issue(["strategy", "spotWeight"], "and strategy.onDemandWeight are both 0: at least one must be positive");
    }
    if (cfg.strategy.onDemandBase > 0 && cfg.onDemand.max === 0) {
      issue(["strategy", "onDemandBase"], "needs on-demand capacity: onDemand.max is 0");
    }
    if (cfg.strategy.spotWeight > 0 && cfg.spot.max === 0) {
      issue(["strategy", "spotWeight"], "places tasks on spot, but spot.max is 0: set spotWeight to 0 or allow spot instances");
    }
    const seen = new Set<string>();
    cfg.instanceTypes.forEach((t, i) => {
      if (seen.has(t)) issue(["instanceTypes", i], "is listed twice");
      seen.add(t);
      if (INSTANCE_TYPE.test(t) && isGraviton(t) !== (cfg.architecture === "arm64")) {
        issue(["instanceTypes", i], `is ${isGraviton(t) ? "arm64 (Graviton)" : "x86_64"}, but architecture is ${cfg.architecture}: every instance type must run the same AMI`);
      }
    });
  }
}
