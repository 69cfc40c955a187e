import { z } from "zod";
import { allowedCidr } from "../../lib/cidr-field";
import type { Problem } from "../load";
import { DEFAULT_ADDON_VERSIONS, DEFAULT_EKS_VERSION, EKS_VERSIONS, MANAGED_ADDONS, type EksVersion, type ManagedAddon } from "./eks-versions";
import { publicAccessCidrProblem } from "../../modules/eks-cluster/rules";

/**
 * `platform: { kind: "eks", ... }`: an EKS cluster of the environment's own (a *host*), or a
 * namespace in another environment's cluster (a *guest*, `cluster: { shared: "<host env>" }`).
 *
 * Cluster-level fields (version, endpoint, admins, nodeGroups, addons) are optional here
 * and resolved by `eksClusterSettings()`, so that a guest setting them can be rejected: a guest has
 * no cluster to configure. Namespace-level fields (namespace, quota) apply to hosts and guests.
 */

export { EKS_VERSIONS, DEFAULT_EKS_VERSION, MANAGED_ADDONS, DEFAULT_ADDON_VERSIONS } from "./eks-versions";
export type { EksVersion, ManagedAddon } from "./eks-versions";
export { resolveNamespaceQuota, namespaceQuotaProblems } from "./eks-quota";
export type { ResolvedNamespaceQuota } from "./eks-quota";

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
/** An IAM role name (resolved in the deploying account). */
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** A Kubernetes resource quantity (e.g. 500m, 2, 4Gi). */
const QUANTITY = /^\d+(\.\d+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/;

const dnsLabel = z
  .string()
  .max(63, "must be a DNS label (RFC 1123): at most 63 characters")
  .regex(DNS_LABEL, "must be a DNS label (RFC 1123): lowercase letters, digits and hyphens, starting and ending with a letter or digit");

const quantity = z.string().regex(QUANTITY, "must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi");

const publicCidr = allowedCidr(publicAccessCidrProblem);

const nodeGroupSchema = z
  .object({
    /** Instance types; the spot group should list several of the same size for capacity. */
    instanceTypes: z.array(z.string().regex(INSTANCE_TYPE, "must be an EC2 instance type such as m6i.large")).min(1, "must list at least one instance type"),
    /** Minimum number of nodes. */
    min: z.number().int().min(0),
    /** Maximum number of nodes (the cluster autoscaler scales up to it). */
    max: z.number().int().min(1),
    /** Nodes at creation and after parking ends. */
    desired: z.number().int().min(0),
    /** Root volume size (encrypted gp3). @default 50 */
    diskGiB: z.number().int().min(20, "must be 20 to 1000 GiB").max(1000, "must be 20 to 1000 GiB").default(50),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (!(g.min <= g.desired && g.desired <= g.max)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["desired"], message: `must satisfy min <= desired <= max (min ${g.min}, desired ${g.desired}, max ${g.max})` });
    }
  });

export type NodeGroupConfig = z.output<typeof nodeGroupSchema>;

const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "must be an EKS add-on version such as v1.20.1-eksbuild.1");

export const eksPlatformSchema = z
  .object({
    kind: z.literal("eks"),
    /** Run in another environment's cluster instead of creating one: `{ shared: "<host env>" }`. @default own cluster */
    cluster: z.object({ shared: z.string().min(1, "must name the host environment") }).strict().optional(),
    /** Kubernetes version, one EKS supports in standard support (EKS_VERSIONS). @default DEFAULT_EKS_VERSION */
    version: z
      .string()
      .refine((v) => (EKS_VERSIONS as readonly string[]).includes(v), { message: `must be a Kubernetes version EKS supports: ${EKS_VERSIONS.join(", ")}` })
      .optional(),
    /** Public API endpoint: allowed CIDRs (a /0 is rejected); empty turns the public endpoint off (private only). @default { publicAccessCidrs: [] } */
    endpoint: z.object({ publicAccessCidrs: z.array(publicCidr) }).strict().optional(),
    /**
     * Principals given cluster-admin through access entries: IAM role names, resolved in the
     * deploying account (`platform-admin` is `arn:<partition>:iam::<account>:role/platform-admin`),
     * or full role/user ARNs (other accounts); given `AmazonEKSClusterAdminPolicy`. @default []
     */
    admins: z
      .array(
        z.string().refine((v) => IAM_ROLE_NAME.test(v) || IAM_PRINCIPAL_ARN.test(v), {
          message: "must be an IAM role name in the deploying account (platform-admin) or, for a principal elsewhere, a role or user ARN (arn:aws:iam::<account>:role/<name>)",
        }),
      )
      .optional(),
    /** Managed node groups: a small on-demand `system` group and a `spot` workload group. @default DEFAULT_NODE_GROUPS */
    nodeGroups: z
      .object({
        /** The on-demand group for system pods. */
        system: nodeGroupSchema.optional(),
        /** The spot group for workloads; needs at least 2 instance types. */
        spot: nodeGroupSchema
          .refine((g) => g.instanceTypes.length >= 2, { message: "a spot group needs at least two instance types so that one spot pool running dry does not stop scaling", path: ["instanceTypes"] })
          .optional(),
      })
      .strict()
      .optional(),
    /** Managed add-on versions by add-on name (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver), overriding DEFAULT_ADDON_VERSIONS of the cluster version. @default pinned per Kubernetes version (DEFAULT_ADDON_VERSIONS) */
    addons: z.object(Object.fromEntries(MANAGED_ADDONS.map((a) => [a, addonVersion.optional()])) as Record<ManagedAddon, z.ZodOptional<typeof addonVersion>>).strict().optional(),
    /** The environment's namespace (a DNS label). @default the environment name */
    namespace: dnsLabel.optional(),
    /**
     * The namespace's ResourceQuota and LimitRange defaults. A quota field left out is computed
     * from the environment's services: the sum over services of (autoscaler maximum + rolling
     * surge) x requests (or limits). A field given must hold that sum, or validation names the
     * services and the numbers.
     */
    quota: z
      .object({
        /** Sum of CPU requests. @default computed from the services */
        requestsCpu: quantity.optional(),
        /** Sum of memory requests. @default computed from the services */
        requestsMemory: quantity.optional(),
        /** Sum of CPU limits. @default computed from the services */
        limitsCpu: quantity.optional(),
        /** Sum of memory limits. @default computed from the services */
        limitsMemory: quantity.optional(),
        /** Number of pods. @default computed from the services */
        pods: z.number().int().min(1).optional(),
        /** Default request of a container that sets none (LimitRange). @default 250m/256Mi */
        defaultRequest: z.object({ cpu: quantity, memory: quantity }).strict().default({ cpu: "250m", memory: "256Mi" }),
        /** Default limit of a container that sets none (LimitRange). @default 500m/512Mi */
        defaultLimit: z.object({ cpu: quantity, memory: quantity }).strict().default({ cpu: "500m", memory: "512Mi" }),
      })
      .strict()
      .default({}),
  })
  .strict();

export type EksPlatformConfig = z.output<typeof eksPlatformSchema>;

/** Node groups when `nodeGroups` does not say. */
export const DEFAULT_NODE_GROUPS: { readonly system: NodeGroupConfig; readonly spot: NodeGroupConfig } = {
  system: { instanceTypes: ["m6i.large"], min: 2, max: 3, desired: 2, diskGiB: 50 },
  spot: { instanceTypes: ["m6i.large", "m6a.large", "m5.large", "m7i.large"], min: 1, max: 6, desired: 2, diskGiB: 50 },
};

/** A host's cluster settings with every default resolved. */
export interface EksClusterSettings {
  readonly version: EksVersion;
  /** Empty: the public endpoint is off. */
  readonly publicAccessCidrs: readonly string[];
  readonly admins: readonly string[];
  readonly nodeGroups: { readonly system: NodeGroupConfig; readonly spot: NodeGroupConfig };
  readonly addonVersions: Readonly<Record<ManagedAddon, string>>;
}

/**
 * The host environment whose cluster a platform runs in as a guest, or undefined for anything
 * else (an EKS host, an ECS platform). The one answer to "is this a guest?".
 */
export function sharedClusterHost(platform: { readonly kind: unknown; readonly cluster?: { readonly shared?: string } }): string | undefined {
  return platform.kind === "eks" ? platform.cluster?.shared : undefined;
}

/** The cluster settings of a host, or undefined for a guest (which has no cluster). */
export function eksClusterSettings(p: EksPlatformConfig): EksClusterSettings | undefined {
  if (sharedClusterHost(p) !== undefined) return undefined;
  const version = (p.version ?? DEFAULT_EKS_VERSION) as EksVersion;
  const addonVersions = { ...DEFAULT_ADDON_VERSIONS[version] };
  for (const a of MANAGED_ADDONS) {
    const v = p.addons?.[a];
    if (v !== undefined) addonVersions[a] = v;
  }
  return {
    version,
    publicAccessCidrs: p.endpoint?.publicAccessCidrs ?? [],
    admins: p.admins ?? [],
    nodeGroups: { system: p.nodeGroups?.system ?? DEFAULT_NODE_GROUPS.system, spot: p.nodeGroups?.spot ?? DEFAULT_NODE_GROUPS.spot },
    addonVersions,
  };
}

/** The environment's namespace: `platform.namespace` or the environment's name. */
export function eksNamespace(env: { name: string; platform: EksPlatformConfig }): string {
  return env.platform.namespace ?? env.name;
}

/** Name of the environment whose cluster an EKS environment runs in (itself for a host). */
export function eksHostName(env: { name: string; platform: EksPlatformConfig }): string {
  return sharedClusterHost(env.platform) ?? env.name;
}

interface EnvLike {
  readonly name: string;
  readonly region: string;
  readonly platform: { readonly kind: unknown };
}

/**
 * Rules between environments: a shared cluster's host exists, is EKS, is not itself a guest, is in
 * the same region; and no two environments in one cluster use the same namespace.
 */
export function eksCrossEnvironmentRules(envs: readonly { file: string; env: EnvLike }[]): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(envs.map((e) => [e.env.name, e]));
  const eks = (e: EnvLike) => (e.platform.kind === "eks" ? (e.platform as EksPlatformConfig) : undefined);
  for (const { file, env } of envs) {
    const p = eks(env);
    const host = sharedClusterHost(env.platform);
    if (!p || host === undefined) continue;
    for (const field of ["version", "endpoint", "admins", "nodeGroups", "addons"] as const) {
      if (p[field] !== undefined) {
        problems.push({ file, path: `platform.${field}`, value: p[field], message: `does not apply to a guest of ${host}'s cluster: set it in the host environment` });
      }
    }
    const path = "platform.cluster.shared";
    const h = byName.get(host);
    if (host === env.name) {
      problems.push({ file, path, value: host, message: "names this environment itself: omit platform.cluster to create a cluster of its own" });
    } else if (!h) {
      problems.push({ file, path, value: host, message: `must name an EKS environment that hosts a cluster; there is no environment ${JSON.stringify(host)} (known: ${[...byName.keys()].join(", ")})` });
    } else if (!eks(h.env)) {
      problems.push({ file, path, value: host, message: `must name an EKS environment that hosts a cluster; ${host} (${h.file}) uses platform.kind ${JSON.stringify(h.env.platform.kind)}` });
    } else if (sharedClusterHost(h.env.platform) !== undefined) {
      problems.push({ file, path, value: host, message: `must name an environment with a cluster of its own; ${host} (${h.file}) is itself a guest of ${sharedClusterHost(h.env.platform)}'s cluster` });
    } else if (h.env.region !== env.region) {
      problems.push({ file, path, value: host, message: `must name an environment in the same region; ${host} is in ${h.env.region}, this environment in ${env.region}` });
    }
  }
  // Namespaces are unique per cluster.
  const seen = new Map<string, string>(); // `<host>/<namespace>` -> env name
  for (const { file, env } of envs) {
    const p = eks(env);
    if (!p) continue;
    const key = `${sharedClusterHost(p) ?? env.name}/${p.namespace ?? env.name}`;
    const other = seen.get(key);
    if (other) problems.push({ file, path: "platform.namespace", value: p.namespace ?? env.name, message: `is already used by ${other} in the same cluster: namespaces must be unique per cluster` });
    else seen.set(key, env.name);
  }
  return problems;
}
