import { App } from "cdktf";
import { Config } from "../environments/load";
import { GlobalStack } from "../stacks/global-stack";
import { NetworkStack } from "../stacks/network-stack";
import type { EdgeStack } from "../stacks/edge-stack";
import { ServiceCatalog } from "../modules/compose";
import type { DataStack } from "../stacks/data-stack";
import type { ObservabilityStack } from "../stacks/observability-stack";
import type { DashboardEdgeInput, DashboardPlatformInput } from "../modules/observability/dashboard";
import type { EksStacks } from "./eks-stacks";
import type { EcsPlatformStack } from "../stacks/ecs-platform-stack";
import type { EcsAppsStack } from "../stacks/ecs-apps-stack";
import { disableTokenStackTraces } from "./token-stack-traces";
import { EksPlatformConfig, eksHostName } from "../environments/features/eks";
import { installSynthShortcuts } from "./stack-resolve";
import { memoizeBinaryVersionChecks } from "./binary-version";

/**
 * The layers' modules (and the provider classes under them) load on first use, so a synth of one
 * ECS sandbox does not load the EKS, edge, data or dashboard layers: a developer's synth costs what
 * that sandbox needs, not what the fleet uses.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const layers = {
  data: () => (require("../stacks/data-stack") as typeof import("../stacks/data-stack")).DataStack,
  edge: () => (require("../stacks/edge-stack") as typeof import("../stacks/edge-stack")).EdgeStack,
  ecsPlatform: () => (require("../stacks/ecs-platform-stack") as typeof import("../stacks/ecs-platform-stack")).EcsPlatformStack,
  ecsApps: () => require("../stacks/ecs-apps-stack") as typeof import("../stacks/ecs-apps-stack"),
  eks: () => (require("./eks-stacks") as typeof import("./eks-stacks")).buildEksStacks,
  observability: () => (require("../stacks/observability-stack") as typeof import("../stacks/observability-stack")).ObservabilityStack,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The stacks of one environment, by layer. Later layers are added as they are built. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  /** `<env>-data` (environments with databases): by config name in `data.databases`. */
  readonly data?: DataStack;
  /** `<env>-observability`: the dashboard across layers, built after them. */
  readonly observability?: ObservabilityStack;
  /** ECS environments: `<env>-platform` (cluster and fleet). */
  readonly ecsPlatform?: EcsPlatformStack;
  /** ECS environments: `<env>-apps` (the services of services/ as ECS services). */
  readonly ecsApps?: EcsAppsStack;
  /** EKS environments: platform (hosts), addons and apps. */
  readonly eks?: EksStacks;
  /** `<env>-edge` (CloudFront, WAF, ALB, Route 53); absent with `edge.enabled: false`. */
  readonly edge?: EdgeStack;
}

export interface PlatformApp {
  readonly app: App;
  readonly global: GlobalStack;
  /** Stacks of each environment, by environment name. */
  readonly environments: ReadonlyMap<string, EnvironmentStacks>;
}

/** The validated configuration the app is built from (`global` is required here). */
export interface AppConfig extends Omit<Config, "global"> {
  readonly global: NonNullable<Config["global"]>;
  /** The service descriptors (services/*.yaml), per environment. @default no services */
  readonly services?: ServiceCatalog;
}

/** The edge's identifiers for the dashboard (ALB, target groups of ECS services, CloudFront, WAF). */
function dashboardEdge(stacks: EnvironmentStacks): DashboardEdgeInput | undefined {
  if (!stacks.edge) return undefined;
  const targetGroups: Record<string, string> = {};
  for (const [name, svc] of stacks.ecsApps?.services ?? []) if (svc.targetGroupArnSuffix) targetGroups[name] = svc.targetGroupArnSuffix;
  for (const [name, tg] of stacks.edge.podTargetGroups) targetGroups[name] = tg.arnSuffix;
  return {
    loadBalancerArnSuffix: stacks.edge.albArnSuffix,
    targetGroupArnSuffixes: targetGroups,
    distributionId: stacks.edge.distributionId,
    regionalWebAclName: stacks.edge.regionalWebAclName,
  };
}

/** The platform's identifiers for the dashboard: the ECS cluster and services, or the EKS cluster. */
function dashboardPlatform(stacks: EnvironmentStacks): DashboardPlatformInput | undefined {
  if (stacks.ecsPlatform) {
    const serviceNames = Object.fromEntries([...(stacks.ecsApps?.services ?? [])].map(([name, svc]) => [name, svc.serviceName]));
    return { kind: "ecs", clusterName: stacks.ecsPlatform.clusterName, serviceNames };
  }
  if (stacks.eks) return { kind: "eks", clusterName: stacks.eks.cluster.clusterName };
  return undefined;
}

export interface BuildOptions {
  /** Keep cdktf's stack trace for every token (DEBUG=1). @default false */
  readonly tokenStackTraces?: boolean;
  /**
   * The two synthesis shortcuts of app/stack-resolve.ts (same output, about a third of a large
   * fleet's synth). They patch cdktf for the whole process; false leaves cdktf as it is, for the
   * test that compares both outputs. @default true
   */
  readonly synthShortcuts?: boolean;
}

/** Builds every stack of every environment into one cdktf App (no synthesis). */
export function buildApp(config: AppConfig, outdir: string, options: BuildOptions = {}): PlatformApp {
  if (!options.tokenStackTraces) disableTokenStackTraces();
  if (options.synthShortcuts !== false) installSynthShortcuts();
  memoizeBinaryVersionChecks();
  const app = new App({ outdir, stackTraces: false });
  const global = new GlobalStack(app, config.global, { services: config.services?.names });
  const environments = new Map<string, EnvironmentStacks>();
  // Networks first: a shared-cluster guest's edge peers with its host's VPC.
  const networks = new Map(config.environments.map((env) => [env.name, new NetworkStack(app, env)]));
  for (const env of config.environments) {
    const network = networks.get(env.name)!;
    const data = env.databases.length > 0 ? new (layers.data())(app, env, { network }) : undefined;
    // platform layer: ECS here; EKS hosts below (buildEksStacks), after every environment's own stacks.
    const ecsPlatform = env.platform.kind === "ecs" ? new (layers.ecsPlatform())(app, env, { network }) : undefined;
    // Routes: the publicly exposed services, on ECS and EKS alike (hosts and guests: each its own edge).
    const services = config.services?.forEnvironment(env.name) ?? [];
    const eks = env.platform.kind === "eks" ? (env.platform as EksPlatformConfig) : undefined;
    const podTargets = eks
      ? {
          services: services.filter((s) => s.expose === "public" && s.port !== undefined && s.health).map((s) => ({ name: s.name, port: s.port!, health: s.health! })),
          clusterNetwork: networks.get(eksHostName({ name: env.name, platform: eks }))!,
        }
      : undefined;
    const edge = env.edge.enabled ? new (layers.edge())(app, env, { network, global, routes: layers.ecsApps().serviceRoutes(services), podTargets }) : undefined;
    // apps layer: ECS here (without an edge, services get no target groups or listener rules); EKS below.
    const ecsApps = ecsPlatform ? new (layers.ecsApps().EcsAppsStack)(app, env, { network, platform: ecsPlatform, registry: global.repositories, edge, services }) : undefined;
    environments.set(env.name, { network, data, edge, ecsPlatform, ecsApps });
  }
  // EKS layers after every environment's own stacks: a shared-cluster guest reads its host's cluster.
  const eksOptions = {
    hostedZone: global.zone,
    services: config.services,
    repositoryUrls: global.repositories.repositoryUrls,
  };
  if (config.environments.some((e) => e.platform.kind === "eks")) {
    for (const [name, eks] of layers.eks()(app, config.environments, (n) => environments.get(n)!, eksOptions)) environments.set(name, { ...environments.get(name)!, eks });
  }
  // Cross-layer views last: each environment's dashboard reads the layers above.
  for (const env of config.environments) {
    if (!env.observability.dashboard) continue;
    const stacks = environments.get(env.name)!;
    const observability = new (layers.observability())(app, env, { network: stacks.network, databases: stacks.data?.databases, edge: dashboardEdge(stacks), platform: dashboardPlatform(stacks) });
    environments.set(env.name, { ...stacks, observability });
  }
  return { app, global, environments };
}
