import { App } from "cdktf";
import { Environment } from "../environments/schema";
import { EksPlatformConfig, eksClusterSettings, eksHostName } from "../environments/features/eks";
import { EksPlatformStack } from "../stacks/eks-platform-stack";
import { EksAddonsStack } from "../stacks/eks-addons-stack";
import { EksAppsStack } from "../stacks/eks-apps-stack";
import type { ServiceCatalog } from "../modules/compose";
import type { EdgeRef, HostedZoneRef, NetworkRef } from "../stacks/contracts";

/** The EKS layers of one environment. */
export interface EksStacks {
  /** `<env>-platform`: only hosts have one; a guest runs in its host's cluster. */
  readonly platform?: EksPlatformStack;
  /** The platform stack of the cluster the environment runs in (its own or its host's). */
  readonly cluster: EksPlatformStack;
  /** `<env>-addons`: the namespace (every EKS environment) and the cluster add-ons (hosts). */
  readonly addons: EksAddonsStack;
  /** `<env>-apps`: the services as Kubernetes workloads (when there is a service catalog). */
  readonly apps?: EksAppsStack;
}

/** What the EKS layers read from an environment's other stacks. */
export interface EksInputs {
  readonly network: NetworkRef;
  readonly edge?: EdgeRef;
}

/** Project-wide inputs of the EKS layers. */
export interface EksOptions {
  /** The project's hosted zone (external-dns). @default none */
  readonly hostedZone?: HostedZoneRef;
  /** The service descriptors. @default no apps stacks */
  readonly services?: ServiceCatalog;
  /** Registry URL per service repository (global stack). @default none */
  readonly repositoryUrls?: ReadonlyMap<string, string>;
}

/**
 * Builds the EKS layers of every EKS environment: hosts first (their `<env>-platform`), then the
 * layers that may read another environment's cluster (a guest's namespace and workloads).
 * Called once after every environment's own stacks exist.
 */
export function buildEksStacks(app: App, envs: readonly Environment[], inputs: (env: string) => EksInputs, options: EksOptions = {}): Map<string, EksStacks> {
  const { hostedZone, services } = options;
  const eksEnvs = envs.filter((e) => e.platform.kind === "eks");
  const platforms = new Map<string, EksPlatformStack>();
  for (const env of eksEnvs) {
    if (eksClusterSettings(env.platform as EksPlatformConfig)) platforms.set(env.name, new EksPlatformStack(app, env, { network: inputs(env.name).network, hostedZone }));
  }
  const out = new Map<string, EksStacks>();
  for (const env of eksEnvs) {
    const host = eksHostName({ name: env.name, platform: env.platform as EksPlatformConfig });
    const cluster = platforms.get(host);
    // An invariant: config validation (eksCrossEnvironmentRules) rejects a host that has no cluster of its own.
    if (!cluster) throw new Error(`buildEksStacks: ${env.name} runs in ${host}'s cluster, which is not among the environments built (pass the host too)`);
    const own = inputs(env.name);
    const envServices = services?.forEnvironment(env.name) ?? [];
    const addons = new EksAddonsStack(app, env, {
      cluster,
      services: envServices,
      loadBalancerCidrs: own.edge ? own.network.publicSubnetCidrs : [],
    });
    const apps = services ? new EksAppsStack(app, env, { cluster, addons, services: envServices, repositoryUrls: options.repositoryUrls ?? new Map(), edge: own.edge }) : undefined;
    out.set(env.name, { platform: platforms.get(env.name), cluster, addons, apps });
  }
  return out;
}
