import { SERVICE_EXTENSIONS } from "./extensions";
import type { Json, Path, Report, ServiceContext } from "./map-context";

/**
 * Which Compose fields the generator honours: the top level and the service's own keys are
 * checked against these lists, and every other field is rejected with a message that names it.
 */

/** Compose service fields the generator honours. */
export const SUPPORTED_SERVICE_FIELDS = [
  "image",
  "command",
  "entrypoint",
  "environment",
  "secrets",
  "ports",
  "deploy",
  "healthcheck",
  "labels",
  "logging",
  "read_only",
  "init",
  "user",
  "working_dir",
  "stop_grace_period",
  "tmpfs",
  "restart",
] as const;

/** Why some Compose fields cannot be honoured (others get a generic message). */
const UNSUPPORTED_REASONS: Record<string, string> = {
  build: "images are built and pushed by CI; give `image` instead",
  privileged: "containers never run privileged",
  cap_add: "containers run with the default capabilities only",
  network_mode: "the platform chooses the network mode",
  networks: "the platform chooses the network",
  volumes: "containers are stateless here: use a database, S3, or `tmpfs` for scratch space",
  env_file: "files on the build machine are not shipped: list variables under `environment`",
  container_name: "names are derived from the service name",
  depends_on: "services start independently (make them retry their dependencies); declare the services this one calls under x-calls",
  links: "services reach each other by name: declare the calls under x-calls and use http://<service>:<port>",
  extra_hosts: "use DNS",
  pid: "containers never share the host's process namespace",
  ipc: "containers never share the host's IPC namespace",
  devices: "containers get no host devices",
  expose: "declare the one container port under `ports`",
  sysctls: "kernel parameters are the platform's",
  security_opt: "the platform's security options apply",
  hostname: "host names are assigned by the platform",
  profiles: "every descriptor in services/ is deployed",
};

/** Top level: one service, optional secrets, `x-` anchors; nothing else. */
export function checkTopLevelFields(doc: Json, report: Report): void {
  for (const key of Object.keys(doc)) {
    if (key === "services" || key === "secrets" || key.startsWith("x-")) continue;
    if (key === "version" || key === "name") continue; // informative only (Compose Specification: obsolete/project name)
    report([key], doc[key], `is not supported by the generator: ${key === "networks" || key === "volumes" ? UNSUPPORTED_REASONS[key] : key === "configs" ? "configuration files are not shipped: use environment variables or secrets" : "remove it"}`);
  }
}

/** Service fields: honoured, an `x-` extension of ours, or an error. */
export function checkServiceFields({ svc, at, report }: ServiceContext): void {
  for (const key of Object.keys(svc)) {
    if ((SUPPORTED_SERVICE_FIELDS as readonly string[]).includes(key)) continue;
    if (key.startsWith("x-")) {
      if (!(key in SERVICE_EXTENSIONS)) report(at(key), svc[key], `unknown extension; known: ${Object.keys(SERVICE_EXTENSIONS).join(", ")}`);
      continue;
    }
    report(at(key), svc[key], `is not supported by the generator${UNSUPPORTED_REASONS[key] ? `: ${UNSUPPORTED_REASONS[key]}` : ""}`);
  }
}

/** Compose variable interpolation (`${VAR}`) happens on a developer's machine, not here. */
export function walkInterpolation(node: unknown, path: Path, report: Report): void {
  if (typeof node === "string") {
    if (/(^|[^$])\$\{?[A-Za-z_]/.test(node)) report(path, node, "uses variable interpolation ($VAR), which the generator does not do: write the value, or use x-environments for per-environment values");
  } else if (Array.isArray(node)) node.forEach((v, i) => walkInterpolation(v, [...path, i], report));
  else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) if (!k.startsWith("x-")) walkInterpolation(v, [...path, k], report);
}
