import { Environment } from "../environments/schema";
import { sharedClusterHost } from "../environments/features/eks";

/** Thrown when `--env` / `--sandbox` name something that does not exist. */
export class SelectionError extends Error {}

/** Environments another environment's stacks read from (an EKS guest reads its host's cluster). */
export function environmentDependencies(env: Environment): string[] {
  const host = sharedClusterHost(env.platform);
  return host ? [host] : [];
}

/**
 * The environments to synthesize: all of them, or the named ones plus everything they depend on,
 * in declaration order (so stack order and output stay deterministic).
 */
export function selectEnvironments(all: readonly Environment[], only: readonly string[] | undefined): Environment[] {
  if (!only) return [...all];
  const byName = new Map(all.map((e) => [e.name, e]));
  const unknown = only.filter((n) => !byName.has(n));
  if (unknown.length) {
    throw new SelectionError(`unknown environment or sandbox ${unknown.join(", ")}; known: ${all.map((e) => e.name).join(", ")}`);
  }
  const wanted = new Set<string>();
  const visit = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    const env = byName.get(name);
    if (env) environmentDependencies(env).forEach(visit);
  };
  only.forEach(visit);
  return all.filter((e) => wanted.has(e.name));
}
