import { formatProblems, Problem, zodProblems } from "../lib/problems";
import { overlappingPairs, parseCidr } from "../modules/network/cidr";
import { Environment, EnvironmentInput, environmentSchema, resolveDefaults } from "./schema";
import { eksCrossEnvironmentRules } from "./features/eks";
import { edgeZoneProblems } from "./features/edge";
import { GlobalConfig, globalSchema } from "./global-schema";

/** One environment as declared, with the file it came from (for error messages). */
export interface EnvironmentSource {
  /** Path of the declaring file relative to the project root, e.g. `environments/dev.ts`. */
  readonly file: string;
  /** The declared value; validated here, so it may be anything. */
  readonly input: unknown;
}

/** One thing wrong with the configuration (lib/problems.ts). */
export type { Problem } from "../lib/problems";
export { formatProblems, zodProblems } from "../lib/problems";

/** Invalid configuration: carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
  }
}

/** Typed identity for environment files: the editor checks fields, `validateEnvironments` checks values. */
export function defineEnvironment(input: EnvironmentInput): EnvironmentInput {
  return input;
}

/**
 * Validates every environment and the rules between them. Returns the resolved environments in
 * declaration order, or throws one ConfigError listing every problem.
 */
export function validateEnvironments(sources: readonly EnvironmentSource[]): Environment[] {
  return validateConfig(undefined, sources).environments;
}

/** The whole validated configuration: project-wide settings and every environment. */
export interface Config {
  /** Undefined only when validating environments alone (tests). */
  readonly global: GlobalConfig | undefined;
  readonly environments: Environment[];
}

/**
 * Validates the global settings (when given), every environment, and the rules between them.
 * Throws one ConfigError listing every problem.
 */
export function validateConfig(globalSource: EnvironmentSource | undefined, sources: readonly EnvironmentSource[]): Config {
  let global: GlobalConfig | undefined;
  const globalProblems: Problem[] = [];
  if (globalSource) {
    const r = globalSchema.safeParse(globalSource.input);
    if (r.success) global = r.data;
    else globalProblems.push(...zodProblems(globalSource.file, globalSource.input, r.error));
  }
  let environments: Environment[];
  try {
    environments = validateEnvironmentList(sources, global, globalSource?.file);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError([...globalProblems, ...e.problems]);
    throw e;
  }
  if (globalProblems.length) throw new ConfigError(globalProblems);
  return { global, environments };
}

function validateEnvironmentList(sources: readonly EnvironmentSource[], global: GlobalConfig | undefined, globalFile: string | undefined): Environment[] {
  const problems: Problem[] = [];
  const envs: { source: EnvironmentSource; env: Environment }[] = [];
  if (sources.length === 0) {
    throw new ConfigError([{ file: "environments/index.ts", path: "", value: [], message: "declares no environments" }]);
  }
  for (const source of sources) {
    const result = environmentSchema.safeParse(source.input);
    if (result.success) envs.push({ source, env: resolveDefaults(result.data) });
    else problems.push(...zodProblems(source.file, source.input, result.error));
  }
  // Rules between environments, over those that are valid on their own.
  const byName = new Map<string, EnvironmentSource>();
  for (const { source, env } of envs) {
    const first = byName.get(env.name);
    if (first) problems.push({ file: source.file, path: "name", value: env.name, message: `is already used by ${first.file}: environment names must be unique` });
    else byName.set(env.name, source);
  }
  const project = global?.project ?? envs[0]?.env.project;
  const projectFile = global ? globalFile : envs[0]?.source.file;
  for (const { source, env } of envs) {
    if (env.project !== project) {
      problems.push({ file: source.file, path: "project", value: env.project, message: `must be the same in every environment and in the global settings (${projectFile} says ${JSON.stringify(project)})` });
    }
  }
  for (const [i, j] of overlappingPairs(envs.map((e) => parseCidr(e.env.vpc.cidr)!))) {
    problems.push({
      file: envs[i].source.file,
      path: "vpc.cidr",
      value: envs[i].env.vpc.cidr,
      message: `overlaps ${envs[j].env.name}'s VPC ${envs[j].env.vpc.cidr} (${envs[j].source.file}): VPC ranges must not overlap so that environments can be peered`,
    });
  }
  problems.push(...eksCrossEnvironmentRules(envs.map((e) => ({ file: e.source.file, env: e.env }))));
  // Rules between each environment and the global settings (when they are given and valid).
  if (global && globalFile) {
    for (const { source, env } of envs) problems.push(...edgeZoneProblems(source.file, env, global.dns?.domain, globalFile));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return envs.map((e) => e.env);
}
