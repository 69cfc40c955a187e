import * as fs from "fs";
import { z } from "zod";
import { blocksIn, contains, formatCidr, overlappingPairs, overlaps, parseCidr, subnetAt } from "../modules/network/cidr";
import { backendSchema, cidrSchema, EnvironmentInput } from "./schema";
import { GlobalConfig } from "./global-schema";
import { ConfigError, EnvironmentSource, Problem, zodProblems } from "./load";
import { TAG_VALUE, TAG_VALUE_CHARACTERS, TAG_VALUE_MAX } from "../lib/tags";
import { parkingSchema } from "./features/parking";

/**
 * Developer sandboxes: a registry (environments/sandbox-registry.json, written by `npm run sandbox -- add`)
 * and the cheap preset every sandbox environment is built from.
 */

/** Where the registry lives, relative to the project root. */
export const SANDBOX_REGISTRY = "environments/sandbox-registry.json";
/** Stack and environment names of sandboxes: `sandbox-<name>`. */
export const SANDBOX_PREFIX = "sandbox-";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const date = z.string().refine(isRealDate, "must be a date written YYYY-MM-DD");

export const sandboxEntrySchema = z
  .object({
    /** Sandbox name; its environment is `sandbox-<name>`. */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, "must be lowercase letters, digits and hyphens, starting with a letter")
      .max(16, "must be at most 16 characters (stack names are sandbox-<name>-<layer>)"),
    /** The developer who owns it: an email address (becomes the Owner tag). */
    owner: z.string().email("must be the owner's email address, e.g. dev@example.com").max(256),
    /** Platform of the sandbox: its own small ECS fleet, or a namespace in the shared EKS cluster. */
    platform: z.enum(["ecs", "eks"]),
    /** VPC CIDR, allocated from the pool by the add command. */
    cidr: cidrSchema,
    /** Day the entry was added (YYYY-MM-DD). */
    created: date,
    /** Last day the sandbox may live (YYYY-MM-DD); `never` for no expiry. Becomes the Expires tag. */
    expires: z.union([date, z.literal("never")]),
  })
  .strict();

export const sandboxRegistrySchema = z
  .object({
    /** Address pool sandbox VPCs are allocated from, and the size of each. */
    pool: z
      .object({
        cidr: cidrSchema,
        /** Prefix length of each sandbox VPC. @default 20 */
        prefixLength: z.number().int().min(16).max(24).default(20),
      })
      .strict(),
    /** Cost center of every sandbox. */
    costCenter: z.string().min(1).max(TAG_VALUE_MAX).regex(TAG_VALUE, `may contain only ${TAG_VALUE_CHARACTERS}`),
    /** Region of sandboxes. @default the global region */
    region: z.string().optional(),
    /** Backend of sandbox stacks. @default { kind: "local" } */
    backend: backendSchema.default({ kind: "local" }),
    /** Parking schedule of every sandbox (always on: sandboxes are parked at night). */
    parking: parkingSchema,
    /** Environment whose EKS cluster hosts the namespaces of `eks` sandboxes. */
    eksHost: z.string().optional(),
    sandboxes: z.array(sandboxEntrySchema),
  })
  .strict();

export type SandboxRegistry = z.output<typeof sandboxRegistrySchema>;
export type SandboxEntry = z.output<typeof sandboxEntrySchema>;

/** Reads and validates the registry file; throws ConfigError naming the file and field. */
export function readRegistry(file: string, displayName = SANDBOX_REGISTRY): SandboxRegistry {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError([{ file: displayName, path: "", value: undefined, message: `cannot be read as JSON: ${(e as Error).message}` }]);
  }
  return validateRegistry(raw, displayName);
}

/** Rules within the registry (names, overlaps, pool, dates). Environment overlaps are checked by checkAgainstEnvironments. */
export function validateRegistry(raw: unknown, file = SANDBOX_REGISTRY): SandboxRegistry {
  const parsed = sandboxRegistrySchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(zodProblems(file, raw, parsed.error));
  const reg = parsed.data;
  const problems: Problem[] = [];
  const pool = parseCidr(reg.pool.cidr)!;
  if (reg.pool.prefixLength < pool.prefix) {
    problems.push({ file, path: "pool.prefixLength", value: reg.pool.prefixLength, message: `must be at least the pool's own prefix /${pool.prefix}` });
  }
  const names = new Map<string, number>();
  const cidrs = reg.sandboxes.map((s) => parseCidr(s.cidr)!);
  // Overlaps with earlier sandboxes, per sandbox, in the order a nested loop would report them.
  const overlapsOf = new Map<number, number[]>();
  for (const [i, j] of overlappingPairs(cidrs)) overlapsOf.set(i, [...(overlapsOf.get(i) ?? []), j]);
  reg.sandboxes.forEach((s, i) => {
    const at = (field: string) => `sandboxes.${i}.${field}`;
    if (names.has(s.name)) problems.push({ file, path: at("name"), value: s.name, message: `is already used by sandboxes.${names.get(s.name)}: sandbox names must be unique` });
    else names.set(s.name, i);
    if (!contains(pool, cidrs[i])) problems.push({ file, path: at("cidr"), value: s.cidr, message: `must lie inside the sandbox pool ${reg.pool.cidr}` });
    for (const j of overlapsOf.get(i) ?? []) {
      const other = reg.sandboxes[j];
      problems.push({ file, path: at("cidr"), value: s.cidr, message: `overlaps sandbox ${other.name}'s VPC ${other.cidr} (sandboxes.${j}.cidr)` });
    }
    if (s.expires !== "never" && s.expires < s.created) {
      problems.push({ file, path: at("expires"), value: s.expires, message: `is before the day the sandbox was created (${s.created}): an expiry must be in the future when a sandbox is added` });
    }
    if (s.platform === "eks" && !reg.eksHost) {
      problems.push({ file, path: at("platform"), value: s.platform, message: "needs the registry's eksHost: the environment whose EKS cluster hosts sandbox namespaces" });
    }
  });
  if (problems.length) throw new ConfigError(problems);
  return reg;
}

/** Sandbox VPCs must not overlap any environment's VPC. */
export function checkAgainstEnvironments(reg: SandboxRegistry, envs: readonly { name: string; vpc: { cidr: string } }[], file = SANDBOX_REGISTRY): Problem[] {
  const problems: Problem[] = [];
  const envCidrs = envs.map((e) => parseCidr(e.vpc.cidr)!);
  const envNames = new Set(envs.map((e) => e.name));
  reg.sandboxes.forEach((s, i) => {
    const c = parseCidr(s.cidr)!;
    envs.forEach((env, k) => {
      if (overlaps(c, envCidrs[k])) {
        problems.push({ file, path: `sandboxes.${i}.cidr`, value: s.cidr, message: `overlaps environment ${env.name}'s VPC ${env.vpc.cidr}` });
      }
    });
    if (envNames.has(`${SANDBOX_PREFIX}${s.name}`)) {
      problems.push({ file, path: `sandboxes.${i}.name`, value: s.name, message: `collides with environment ${SANDBOX_PREFIX}${s.name}` });
    }
  });
  return problems;
}

/** The first free block of the pool's size that overlaps no environment and no sandbox. */
export function nextFreeCidr(reg: SandboxRegistry, taken: readonly string[]): string {
  const pool = parseCidr(reg.pool.cidr)!;
  const used = [...taken, ...reg.sandboxes.map((s) => s.cidr)].map((c) => parseCidr(c)!);
  for (let i = 0; i < blocksIn(pool, reg.pool.prefixLength); i++) {
    const candidate = subnetAt(pool, reg.pool.prefixLength, i);
    if (!used.some((u) => overlaps(u, candidate))) return formatCidr(candidate);
  }
  throw new Error(`the sandbox pool ${reg.pool.cidr} has no free /${reg.pool.prefixLength} left: enlarge pool.cidr or remove expired sandboxes`);
}

/** True when the sandbox's expiry day has passed. */
export function isExpired(s: SandboxEntry, today: string): boolean {
  return s.expires !== "never" && s.expires < today;
}

/**
 * The cheap preset: two AZs, a NAT instance, spot-only small capacity, parked at night, a week of
 * logs, no edge (no load balancer or CloudFront: services are reached through Session Manager),
 * no databases, no bastions (Session Manager to the hosts instead of SSH), no dashboard, and on
 * EKS a namespace in the shared cluster.
 */
export function sandboxEnvironment(reg: SandboxRegistry, s: SandboxEntry, global: GlobalConfig): EnvironmentInput {
  const region = reg.region ?? global.region;
  return {
    project: global.project,
    name: `${SANDBOX_PREFIX}${s.name}`,
    region,
    azs: [`${region}a`, `${region}b`],
    vpc: { cidr: s.cidr },
    nat: { strategy: "instance" },
    flowLogs: { destination: "cloudwatch", retentionDays: 7 },
    tags: { Owner: s.owner, Purpose: "sandbox", CostCenter: reg.costCenter, Expires: s.expires },
    backend: reg.backend,
    // Spot only, small instances, no per-service alarms (nobody is paged for a sandbox).
    platform:
      s.platform === "eks"
        ? // A namespace in the shared cluster of the registry's EKS host.
          { kind: "eks", cluster: { shared: reg.eksHost! } }
        : { kind: "ecs", instanceTypes: ["t3.medium", "t3a.medium"], onDemand: { min: 0, max: 0 }, spot: { min: 0, max: 2 }, strategy: { onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 }, serviceAlarms: false },
    parking: reg.parking,
    ssh: { allowList: [] },
    // No bastions: Session Manager reaches the container hosts (and the NAT instance) directly.
    bastion: { access: "ssm", enabled: false },
    edge: { enabled: false },
    observability: { dashboard: false },
  };
}

/** The registry's sandboxes as environment sources (validated with the environments). */
export function sandboxSources(reg: SandboxRegistry, global: GlobalConfig, file = SANDBOX_REGISTRY): EnvironmentSource[] {
  return reg.sandboxes.map((s, i) => ({ file: `${file} (sandboxes.${i}, ${s.name})`, input: sandboxEnvironment(reg, s, global) }));
}
