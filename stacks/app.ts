import { App } from "cdktf";
import { Environment } from "../environments/schema";
import { NetworkStack } from "./network-stack";

export interface PlatformApp {
  readonly app: App;
  readonly network: ReadonlyMap<string, NetworkStack>;
}

/** Builds every stack of every environment into one cdktf App (no synthesis). */
export function buildApp(envs: readonly Environment[], outdir: string): PlatformApp {
  const app = new App({ outdir, stackTraces: false });
  const network = new Map<string, NetworkStack>();
  for (const env of envs) {
    network.set(env.name, new NetworkStack(app, env));
  }
  return { app, network };
}
