import type { ServiceDescriptor } from "./descriptor";

/**
 * The full image reference of a service, the same on both platforms: a full reference as
 * written, or the project's registry repository with the descriptor's tag or digest. Never a
 * floating tag: the descriptor mapping already rejects an image without a tag or digest, and this
 * refuses one that slipped past it (no `:latest` fallback).
 */
export function imageOf(service: ServiceDescriptor, repositoryUrls: ReadonlyMap<string, string>): string {
  const img = service.image;
  if (img.kind === "uri") return img.uri;
  const url = repositoryUrls.get(img.repository);
  // Config validation (loadProject) reports this with the other problems; here it is an invariant.
  if (!url) throw new Error(`${service.file}: services.${service.name}.image ${imageRepositoryProblem(service, [...repositoryUrls.keys()])}`);
  if (img.digest) return `${url}@${img.digest}`;
  if (!img.tag || img.tag === "latest") throw new Error(`${service.file}: services.${service.name}.image needs a version tag or a digest (got ${img.tag ?? "none"}): images are always pinned`);
  return `${url}:${img.tag}`;
}

/**
 * Why a service's image cannot be resolved against the registry repositories the global stack
 * creates (`repositories`), or undefined when it can (a full reference needs none).
 */
export function imageRepositoryProblem(service: ServiceDescriptor, repositories: readonly string[]): string | undefined {
  const img = service.image;
  if (img.kind === "uri" || repositories.includes(img.repository)) return undefined;
  return `names the registry repository ${img.repository}, which the global stack does not create (it creates one per service in services/: ${repositories.join(", ") || "none"})`;
}
