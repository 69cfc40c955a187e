import { App } from "cdktf";
import { Config } from "../environments/load";
import { GlobalStack } from "./global-stack";
import { NetworkStack } from "./network-stack";
import { ServiceCatalog } from "../modules/compose";
import { DataStack } from "./data-stack";
import { ObservabilityStack } from "./observability-stack";
import { EksStacks, buildEksStacks } from "./eks-stacks";
import { EcsPlatformStack } from "./ecs-platform-stack";

import { disableTokenStackTraces } from "./token-stack-traces";
/** The stacks of one environment, by layer. Later layers are added as they are built. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  /** `<env>-data` (environments with databases): by config name in `data.databases`. */
  readonly data?: DataStack;
  /** `<env>-observability`: the dashboard across layers, built after them. */
  readonly observability?: ObservabilityStack;
  /** ECS environments: `<env>-platform` (cluster and fleet). */
  readonly ecsPlatform?: EcsPlatformStack;
  /** EKS environments: platform (hosts), addons and apps. */
  readonly eks?: EksStacks;
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

/** Builds every stack of every environment into one cdktf App (no synthesis). */
export function buildApp(config: AppConfig, outdir: string, options: { tokenStackTraces?: boolean } = {}): PlatformApp {
  if (!options.tokenStackTraces) disableTokenStackTraces();
  const app = new App({ outdir, stackTraces: false });
  const global = new GlobalStack(app, config.global, { services: config.services?.names });
  const environments = new Map<string, EnvironmentStacks>();
  for (const env of config.environments) {
    const network = new NetworkStack(app, env);
    const data = env.databases.length > 0 ? new DataStack(app, env, { network }) : undefined;
    // platform layer: ECS here; EKS hosts below (buildEksStacks), after every environment's own stacks.
    const ecsPlatform = env.platform.kind === "ecs" ? new EcsPlatformStack(app, env, { network }) : undefined;
    // addons layer (EKS only): added by the EKS work
    // edge layer: added by the edge work
    // apps layer (ECS or EKS): added by the ECS and EKS work
    environments.set(env.name, { network, data, ecsPlatform });
  }
  // EKS layers after every environment's own stacks: a shared-cluster guest reads its host's cluster.
  const eksOptions = {
    hostedZone: global.zone ? { zoneId: global.zone.zoneId, name: global.zone.domain } : undefined,
    services: config.services,
    repositoryUrls: global.repositories.repositoryUrls,
  };
  for (const [name, eks] of buildEksStacks(app, config.environments, (n) => environments.get(n)!, eksOptions)) environments.set(name, { ...environments.get(name)!, eks });
  // Cross-layer views last: each environment's dashboard reads the layers above (edge/platform inputs: see README "Observability").
  for (const env of config.environments) {
    const stacks = environments.get(env.name)!;
    environments.set(env.name, { ...stacks, observability: new ObservabilityStack(app, env, { network: stacks.network, data: stacks.data }) });
  }
  return { app, global, environments };
}
