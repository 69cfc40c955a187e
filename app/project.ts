import * as path from "path";
import { environments as declaredEnvironments, global as declaredGlobal } from "../environments";
import { Config, ConfigError, EnvironmentSource, Problem, validateConfig } from "../environments/load";
import { checkAgainstEnvironments, readRegistry, SANDBOX_REGISTRY, sandboxSources } from "../environments/sandboxes";
import { imageRepositoryProblem, loadServiceCatalog, ServiceCatalog, ServiceDescriptorError } from "../modules/compose";
import type { AppConfig } from "./app";
import { projectRoot } from "../lib/project-root";
import { EksPlatformConfig, namespaceQuotaProblems } from "../environments/features/eks";

/** The project root (lib/project-root.ts). */
const ROOT = projectRoot();

/** Where the project's configuration comes from; every field defaults to the repository's own. */
export interface ProjectSources {
  readonly global?: EnvironmentSource;
  readonly environments?: readonly EnvironmentSource[];
  /** Sandbox registry file. @default environments/sandbox-registry.json */
  readonly sandboxRegistry?: string;
  /** Directory of Compose service descriptors. @default services/ */
  readonly servicesDir?: string;
}

/**
 * Loads and validates the whole configuration as `npm run synth` uses it: global settings, every
 * environment, the sandbox registry (its own rules, no overlap with environments, each sandbox as
 * an environment) and the service descriptors. Throws one ConfigError listing every problem.
 */
export function loadProject(sources: ProjectSources = {}): AppConfig {
  const globalSource = sources.global ?? declaredGlobal;
  const envSources = sources.environments ?? declaredEnvironments;
  const base = validateConfig(globalSource, envSources);
  const registryDisplay = sources.sandboxRegistry ?? SANDBOX_REGISTRY;
  const registry = readRegistry(path.resolve(ROOT, registryDisplay), registryDisplay);
  const clashes = checkAgainstEnvironments(registry, base.environments, registryDisplay);
  if (clashes.length) throw new ConfigError(clashes);
  const config = validateConfig(globalSource, [...envSources, ...sandboxSources(registry, base.global!, registryDisplay)]);
  const names = envSources.map((s) => (s.input as { name?: unknown }).name).filter((n): n is string => typeof n === "string");
  let services: ServiceCatalog;
  try {
    services = loadServiceCatalog(path.resolve(ROOT, sources.servicesDir ?? "services"), {
      environments: config.environments.map((e) => e.name),
      knownEnvironments: names,
    });
  } catch (e) {
    if (e instanceof ServiceDescriptorError) throw new ConfigError(e.problems);
    throw e;
  }
  const problems = serviceRules(config, services, new Map(envSources.map((s) => [(s.input as { name?: unknown }).name, s.file])), registryDisplay);
  if (problems.length) throw new ConfigError(problems);
  return { global: config.global!, environments: config.environments, services };
}

/**
 * Rules between the environments and their services, all reported together: each EKS namespace
 * quota holds its services at peak, and each service's image names a repository the global stack
 * creates (one per service in the catalog).
 */
function serviceRules(config: Config, services: ServiceCatalog, fileOf: ReadonlyMap<unknown, string>, registryFile: string): Problem[] {
  const problems: Problem[] = [];
  for (const env of config.environments) {
    const envServices = services.forEnvironment(env.name);
    if (env.platform.kind === "eks") problems.push(...namespaceQuotaProblems(fileOf.get(env.name) ?? registryFile, env.platform as EksPlatformConfig, envServices));
  }
  const seen = new Set<string>();
  for (const env of config.environments) {
    for (const s of services.forEnvironment(env.name)) {
      const message = imageRepositoryProblem(s, services.names);
      const key = `${s.file}\0${message}`;
      if (message && !seen.has(key)) problems.push({ file: s.file, path: `services.${s.name}.image`, value: s.image.kind === "repository" ? s.image.repository : undefined, message });
      seen.add(key);
    }
  }
  return problems;
}
