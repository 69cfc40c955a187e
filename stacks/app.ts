import { App } from "cdktf";
import { Config } from "../environments/load";
import { GlobalStack } from "./global-stack";
import { NetworkStack } from "./network-stack";

/** The stacks of one environment, by layer. Later layers are added as they are built. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
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
}

/** Builds every stack of every environment into one cdktf App (no synthesis). */
export function buildApp(config: AppConfig, outdir: string): PlatformApp {
  const app = new App({ outdir, stackTraces: false });
  const global = new GlobalStack(app, config.global);
  const environments = new Map<string, EnvironmentStacks>();
  for (const env of config.environments) {
    const network = new NetworkStack(app, env);
    // data layer (databases): added by the data work
    // platform layer (ECS or EKS, switch on env.platform.kind): added by the ECS and EKS work
    // addons layer (EKS only): added by the EKS work
    // edge layer: added by the edge work
    // apps layer (ECS or EKS): added by the ECS and EKS work
    environments.set(env.name, { network });
  }
  return { app, global, environments };
}
