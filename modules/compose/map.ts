import { z } from "zod";
import { zodProblems } from "../../lib/problems";
import { SECRETS_MANAGER_ARN, SECRETS_MANAGER_NAME, SSM_PARAMETER_ARN, SSM_PARAMETER_NAME } from "./secrets";
import {
  ContainerHealthCheck,
  DescriptorProblem,
  HttpHealthCheck,
  ImageReference,
  LoggingSpec,
  Resources,
  RouteSpec,
  ScalingSpec,
  SecretReference,
  ServiceDescriptor,
} from "./descriptor";
import { SERVICE_EXTENSIONS, XHealth, XRoute, XScaling, parseDuration } from "./extensions";

/**
 * Maps one Compose service (already valid against the Compose schema) to a ServiceDescriptor.
 * Every field is either honoured, or rejected with a message that names it: nothing is dropped.
 */

type Json = Record<string, unknown>;

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

/** Deploy fields the generator honours. */
const SUPPORTED_DEPLOY_FIELDS = ["replicas", "resources", "mode"];
const DEPLOY_REASONS: Record<string, string> = {
  placement: "tasks are spread across AZs, then packed by memory, by the platform",
  update_config: "deployments are rolling with a circuit breaker that rolls back (set by the platform)",
  rollback_config: "a failed deployment rolls back automatically (set by the platform)",
  restart_policy: "failed containers are always replaced",
  labels: "use the service's `labels`",
  endpoint_mode: "the platform chooses how the service is reached",
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variable names whose literal values are secrets by any reasonable reading. */
const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIALS?)$/i;

export interface MapResult {
  readonly descriptor?: ServiceDescriptor;
  readonly problems: DescriptorProblem[];
}

/**
 * `doc` is the whole Compose file, valid against the Compose schema; `name` the service (file) name.
 * `label` prefixes problem paths for merged (overridden) documents.
 */
export function mapService(file: string, name: string, doc: Json, note = ""): MapResult {
  const problems: DescriptorProblem[] = [];
  const base = ["services", name];
  const problem = (path: readonly (string | number)[], value: unknown, message: string) =>
    problems.push({ file, path: path.join("."), value, message: message + note });
  const svc = (doc.services as Json)[name] as Json;
  const at = (...p: (string | number)[]) => [...base, ...p];

  // Top level: one service, optional secrets, `x-` anchors; nothing else.
  for (const key of Object.keys(doc)) {
    if (key === "services" || key === "secrets" || key.startsWith("x-")) continue;
    if (key === "version" || key === "name") continue; // informative only (Compose Specification: obsolete/project name)
    problem([key], doc[key], `is not supported by the generator: ${key === "networks" || key === "volumes" ? UNSUPPORTED_REASONS[key] : key === "configs" ? "configuration files are not shipped: use environment variables or secrets" : "remove it"}`);
  }

  // Service fields: honoured, an `x-` extension of ours, or an error.
  for (const key of Object.keys(svc)) {
    if ((SUPPORTED_SERVICE_FIELDS as readonly string[]).includes(key)) continue;
    if (key.startsWith("x-")) {
      if (!(key in SERVICE_EXTENSIONS)) problem(at(key), svc[key], `unknown extension; known: ${Object.keys(SERVICE_EXTENSIONS).join(", ")}`);
      continue;
    }
    problem(at(key), svc[key], `is not supported by the generator${UNSUPPORTED_REASONS[key] ? `: ${UNSUPPORTED_REASONS[key]}` : ""}`);
  }
  walkInterpolation(svc, base, problem);

  // Extensions.
  const ext = <T>(key: keyof typeof SERVICE_EXTENSIONS): T | undefined => {
    if (svc[key] === undefined) return undefined;
    const r = (SERVICE_EXTENSIONS[key] as z.ZodTypeAny).safeParse(svc[key]);
    if (r.success) return r.data as T;
    for (const p of zodProblems(file, svc[key], r.error, { prefix: at(key) })) problems.push({ ...p, message: p.message + note });
    return undefined;
  };
  const xRoute = ext<XRoute>("x-route");
  const xHealth = ext<XHealth>("x-health");
  const xScaling = ext<XScaling>("x-scaling");
  const expose = ext<"public" | "internal">("x-expose") ?? "internal";
  // x-calls is checked here for its form; load.ts resolves it against the environment's services.
  ext<string[]>("x-calls");

  const image = mapImage(name, svc.image, at("image"), problem);
  const command = words(svc.command, at("command"), problem);
  const entrypoint = words(svc.entrypoint, at("entrypoint"), problem);
  const environment = mapEnvironment(svc.environment, at("environment"), problem);
  const secrets = mapSecrets(doc, svc.secrets, at("secrets"), problem);
  for (const s of secrets) {
    if (environment[s.name] !== undefined) problem(at("environment", s.name), environment[s.name], `is also a secret (${s.name}); give it once`);
  }
  const port = mapPorts(svc.ports, at("ports"), problem);
  const deploy = (svc.deploy ?? {}) as Json;
  for (const key of Object.keys(deploy)) {
    if (SUPPORTED_DEPLOY_FIELDS.includes(key) || key.startsWith("x-")) continue;
    problem(at("deploy", key), deploy[key], `is not supported by the generator${DEPLOY_REASONS[key] ? `: ${DEPLOY_REASONS[key]}` : ""}`);
  }
  if (deploy.mode !== undefined && deploy.mode !== "replicated") problem(at("deploy", "mode"), deploy.mode, 'only "replicated" is supported (the platform places replicas)');
  const resources = mapResources((deploy.resources ?? {}) as Json, at("deploy", "resources"), problem);
  const containerHealthCheck = mapHealthcheck(svc.healthcheck as Json | undefined, at("healthcheck"), problem);

  // Route and exposure.
  let route: RouteSpec | undefined;
  if (expose === "public") {
    if (!xRoute && svc["x-route"] === undefined) problem(at("x-route"), undefined, "is required for a public service: give { path: /prefix } (and optionally host)");
    if (port === undefined && svc.ports === undefined) problem(at("ports"), undefined, "a public service needs one container port, e.g. [\"8080\"]");
    if (xRoute) route = { pathPrefix: xRoute.path, host: xRoute.host, pathPatterns: xRoute.path === "/" ? ["/*"] : [xRoute.path, `${xRoute.path}/*`] };
  } else if (svc["x-route"] !== undefined) {
    problem(at("x-route"), svc["x-route"], 'only public services are routed: set x-expose: public, or remove x-route');
  }

  // HTTP health: explicit x-health, else derived from the Compose healthcheck.
  const derivedPath = healthPathFromTest(containerHealthCheck?.test);
  const healthPath = xHealth?.path ?? derivedPath;
  let health: HttpHealthCheck | undefined;
  if (port !== undefined && healthPath !== undefined) {
    const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(n)));
    const interval = xHealth?.interval ?? (containerHealthCheck ? clamp(containerHealthCheck.intervalSeconds, 5, 300) : 15);
    const timeout = xHealth?.timeout ?? (containerHealthCheck ? clamp(containerHealthCheck.timeoutSeconds, 2, 120) : 5);
    if (timeout >= interval) problem(at("x-health", "timeout"), timeout, `must be shorter than the interval (${interval} s)`);
    health = {
      path: healthPath,
      intervalSeconds: interval,
      timeoutSeconds: timeout,
      healthyThreshold: xHealth?.healthyThreshold ?? 2,
      unhealthyThreshold: xHealth?.unhealthyThreshold ?? (containerHealthCheck ? clamp(containerHealthCheck.retries, 2, 10) : 3),
      matcher: xHealth?.matcher ?? "200-399",
      gracePeriodSeconds: xHealth?.gracePeriod ?? containerHealthCheck?.startPeriodSeconds ?? 60,
    };
  } else if (expose === "public" && port !== undefined && svc["x-health"] === undefined) {
    problem(at("x-health", "path"), undefined, "is required for a public service: give x-health.path, or a healthcheck that curls http://localhost:<port>/<path>");
  } else if (xHealth && port === undefined && svc.ports === undefined) {
    problem(at("x-health"), svc["x-health"], "needs a port to check: add one under ports");
  }

  // Replicas and scaling.
  const replicasGiven = deploy.replicas as number | undefined;
  if (replicasGiven !== undefined && replicasGiven < 0) problem(at("deploy", "replicas"), replicasGiven, "must not be negative");
  let scaling: ScalingSpec | undefined;
  if (xScaling) {
    let ok = true;
    if (xScaling.min > xScaling.max) {
      problem(at("x-scaling", "min"), xScaling.min, `must not exceed x-scaling.max (${xScaling.max})`);
      ok = false;
    }
    if (xScaling.cpu === undefined && xScaling.memory === undefined && xScaling.requestsPerTarget === undefined) {
      problem(at("x-scaling"), svc["x-scaling"], "needs at least one target: cpu, memory or requestsPerTarget");
      ok = false;
    }
    if (xScaling.requestsPerTarget !== undefined && expose !== "public") {
      problem(at("x-scaling", "requestsPerTarget"), xScaling.requestsPerTarget, "needs a public service (requests are counted by the load balancer); use cpu or memory");
      ok = false;
    }
    if (ok) {
      scaling = {
        min: xScaling.min,
        max: xScaling.max,
        cpuPercent: xScaling.cpu,
        memoryPercent: xScaling.memory,
        requestsPerTarget: xScaling.requestsPerTarget,
        scaleInCooldownSeconds: xScaling.scaleInCooldown ?? 300,
        scaleOutCooldownSeconds: xScaling.scaleOutCooldown ?? 60,
      };
    }
  }
  const replicas = replicasGiven ?? scaling?.min ?? 1;
  if (scaling && replicasGiven !== undefined && (replicasGiven < scaling.min || replicasGiven > scaling.max)) {
    problem(at("deploy", "replicas"), replicasGiven, `must be within x-scaling.min..max (${scaling.min}..${scaling.max})`);
  }

  const labels = mapDict(svc.labels, at("labels"), problem, "label");
  const logging = mapLogging(svc.logging as Json | undefined, at("logging"), problem);
  if (svc.restart !== undefined && svc.restart !== "always" && svc.restart !== "unless-stopped") {
    problem(at("restart"), svc.restart, 'cannot be honoured: the platform always replaces stopped containers ("always" or "unless-stopped", or leave it out)');
  }
  let stopGracePeriodSeconds: number | undefined;
  if (svc.stop_grace_period !== undefined) {
    const s = parseDuration(String(svc.stop_grace_period));
    if (s === undefined || !Number.isInteger(s) || s < 2 || s > 120) problem(at("stop_grace_period"), svc.stop_grace_period, "must be a duration of whole seconds from 2s to 120s (the platform's most)");
    else stopGracePeriodSeconds = s;
  }
  const tmpfs = mapTmpfs(svc.tmpfs, at("tmpfs"), problem);

  if (problems.length > 0 || !image || !resources) return { problems };
  return {
    problems,
    descriptor: {
      name,
      file,
      image,
      command,
      entrypoint,
      environment,
      secrets,
      port,
      expose,
      route,
      health,
      containerHealthCheck,
      replicas,
      scaling,
      resources,
      labels,
      logging,
      readOnlyRootFilesystem: svc.read_only === undefined ? true : (svc.read_only as boolean),
      init: (svc.init as boolean | undefined) ?? false,
      user: svc.user as string | undefined,
      workingDir: svc.working_dir as string | undefined,
      stopGracePeriodSeconds,
      tmpfs,
      calls: [],
    },
  };
}

type Report = (path: readonly (string | number)[], value: unknown, message: string) => void;

/** Compose variable interpolation (`${VAR}`) happens on a developer's machine, not here. */
function walkInterpolation(node: unknown, path: (string | number)[], report: Report): void {
  if (typeof node === "string") {
    if (/(^|[^$])\$\{?[A-Za-z_]/.test(node)) report(path, node, "uses variable interpolation ($VAR), which the generator does not do: write the value, or use x-environments for per-environment values");
  } else if (Array.isArray(node)) node.forEach((v, i) => walkInterpolation(v, [...path, i], report));
  else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) if (!k.startsWith("x-")) walkInterpolation(v, [...path, k], report);
}

function mapImage(name: string, image: unknown, path: (string | number)[], report: Report): ImageReference | undefined {
  if (typeof image !== "string") {
    report(path, image, "is required: <service>:<tag> for this service's repository, or a full reference with a registry host");
    return undefined;
  }
  const m = /^(?:([^/]+)\/)?([a-z0-9._/-]+?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(image);
  if (!m) {
    report(path, image, "is not a valid image reference");
    return undefined;
  }
  const [, first, , tag, digest] = m;
  if (!tag && !digest) {
    report(path, image, "needs a tag or digest (repositories have immutable tags; `latest` is not a version)");
    return undefined;
  }
  if (tag === "latest") {
    report(path, image, "must not use the tag latest: repositories have immutable tags, give a version");
    return undefined;
  }
  const hasRegistry = first !== undefined && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) return { kind: "uri", uri: image };
  const repository = image.replace(/[:@].*$/, "");
  if (repository === name) return { kind: "repository", repository, tag, digest };
  report(path, image, `is ambiguous: write ${name}:<tag> for this service's own repository, or a full reference with a registry host (e.g. docker.io/library/${repository}:${tag ?? "1.0"})`);
  return undefined;
}

/** Splits a shell-like string into words (single and double quotes, backslash escapes). */
export function shellWords(s: string): string[] | undefined {
  const out: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) out.push(cur);
  return out;
}

function words(value: unknown, path: (string | number)[], report: Report): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  const w = shellWords(String(value));
  if (!w) report(path, value, "has an unterminated quote");
  return w;
}

function mapDict(value: unknown, path: (string | number)[], report: Report, what: "variable" | "label"): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  const entries: [string, unknown, (string | number)[]][] = Array.isArray(value)
    ? value.map((item: string, i) => {
        const eq = item.indexOf("=");
        return eq < 0 ? [item, null, [...path, i]] : [item.slice(0, eq), item.slice(eq + 1), [...path, i]];
      })
    : Object.entries(value as Json).map(([k, v]) => [k, v, [...path, k]]);
  for (const [key, v, p] of entries) {
    if (what === "variable" && !ENV_NAME.test(key)) {
      report(p, key, "is not a valid environment variable name (letters, digits and _, not starting with a digit)");
      continue;
    }
    if (v === null || v === undefined) {
      report(p, v ?? key, what === "variable" ? "takes its value from the shell running Compose, which the generator cannot honour: give a value" : "needs a value");
      continue;
    }
    out[key] = String(v);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function mapEnvironment(value: unknown, path: (string | number)[], report: Report): Record<string, string> {
  const env = mapDict(value, path, report, "variable");
  for (const [k, v] of Object.entries(env)) {
    if (SECRET_LIKE.test(k) && v !== "") {
      report([...path, k], "(redacted)", "looks like a secret given as a literal: reference it under `secrets` (an SSM parameter or Secrets Manager secret) instead");
    }
  }
  return env;
}

function mapSecrets(doc: Json, value: unknown, path: (string | number)[], report: Report): SecretReference[] {
  if (value === undefined) return [];
  const defs = (doc.secrets ?? {}) as Record<string, Json>;
  const out: SecretReference[] = [];
  (value as unknown[]).forEach((item, i) => {
    const p = [...path, i];
    let source: string;
    let target: string | undefined;
    if (typeof item === "string") source = item;
    else {
      const o = item as Json;
      source = o.source as string;
      target = o.target as string | undefined;
      for (const k of ["uid", "gid", "mode"]) if (o[k] !== undefined) report([...p, k], o[k], "is not supported: secrets are given to the container as environment variables");
    }
    const envName = target ?? source.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
    if (!ENV_NAME.test(envName)) {
      report(target !== undefined ? [...p, "target"] : p, envName, "must be an environment variable name: the secret is injected as that variable");
      return;
    }
    const def = defs[source];
    if (!def) {
      report(p, source, `refers to no secret: declare it under the top-level secrets with name: <SSM parameter name, e.g. /harbor/<service>/<key>> and external: true`);
      return;
    }
    const dp = ["secrets", source];
    for (const literal of ["file", "environment", "content"]) {
      if (def[literal] !== undefined) {
        report([...dp, literal], literal === "file" ? def[literal] : "(redacted)", "is a literal secret value: secrets must be references (name: an SSM parameter or Secrets Manager secret, external: true)");
        return;
      }
    }
    if (def.external === false) {
      report([...dp, "external"], false, "must be true (or left out): secrets live in SSM Parameter Store or Secrets Manager");
      return;
    }
    const store = def["x-store"] ?? "ssm";
    if (store !== "ssm" && store !== "secretsmanager") {
      report([...dp, "x-store"], store, "must be \"ssm\" (SSM Parameter Store, the default) or \"secretsmanager\" (Secrets Manager)");
      return;
    }
    const ref = def.name;
    if (typeof ref !== "string" || ref === "") {
      report([...dp, "name"], ref, "must name the SSM parameter (/harbor/<service>/<key>) or, with x-store: secretsmanager, the Secrets Manager secret; a full ARN is accepted for another account or region");
      return;
    }
    if (ref.startsWith("arn:")) {
      const sm = SECRETS_MANAGER_ARN.exec(ref);
      if (SSM_PARAMETER_ARN.test(ref)) out.push({ name: envName, source: "ssm", ref });
      else if (sm) {
        if (sm[3] || sm[4]) report([...dp, "name"], ref, "may select a JSON key only (arn:...:secret:name-AbCdEf:key::), not a version");
        else out.push({ name: envName, source: "secretsmanager", ref: sm[1], jsonKey: sm[2] || undefined });
      } else {
        report([...dp, "name"], ref, "must be the ARN of an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/...) or a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:...), or a parameter or secret name");
      }
      return;
    }
    if (store === "ssm") {
      if (!SSM_PARAMETER_NAME.test(ref) || ref.length > 1011) report([...dp, "name"], ref, "must be an SSM parameter name such as /harbor/bravo/api-key (letters, digits, _ . - and / between levels, starting with / when it has levels), or a full ARN");
      else if (/^\/?(aws|ssm)/i.test(ref)) report([...dp, "name"], ref, "must not start with aws or ssm (reserved by SSM Parameter Store)");
      else out.push({ name: envName, source: "ssm", ref });
      return;
    }
    const sm = SECRETS_MANAGER_NAME.exec(ref);
    if (!sm) report([...dp, "name"], ref, "must be a Secrets Manager secret name (letters, digits and / _ + = . @ -), optionally with :json-key::, or a full ARN");
    else if (sm[3] || sm[4]) report([...dp, "name"], ref, "may select a JSON key only (name:key::), not a version");
    else out.push({ name: envName, source: "secretsmanager", ref: sm[1], jsonKey: sm[2] || undefined });
  });
  const seen = new Set<string>();
  for (const s of out) {
    if (seen.has(s.name)) report(path, s.name, `sets ${s.name} twice`);
    seen.add(s.name);
  }
  return out;
}

function mapPorts(value: unknown, path: (string | number)[], report: Report): number | undefined {
  if (value === undefined) return undefined;
  const ports = value as unknown[];
  if (ports.length !== 1) {
    report(path, value, "must list exactly one container port (the one routed and health-checked)");
    return undefined;
  }
  const p = [...path, 0];
  const item = ports[0];
  let target: number | undefined;
  if (typeof item === "number") target = item;
  else if (typeof item === "string") {
    const m = /^(\d+)(?:\/(tcp|udp))?$/.exec(item);
    if (!m) {
      report(p, item, 'must be just the container port, e.g. "8080": host ports are assigned dynamically by the platform, so a published port cannot be honoured');
      return undefined;
    }
    if (m[2] === "udp") {
      report(p, item, "must be TCP: the load balancer routes HTTP");
      return undefined;
    }
    target = Number(m[1]);
  } else {
    const o = item as Json;
    if (o.published !== undefined) report([...p, "published"], o.published, "cannot be honoured: host ports are assigned dynamically by the platform");
    if (o.protocol !== undefined && o.protocol !== "tcp") report([...p, "protocol"], o.protocol, "must be tcp: the load balancer routes HTTP");
    if (o.mode !== undefined && o.mode !== "ingress") report([...p, "mode"], o.mode, 'cannot be honoured: only "ingress" (the default) makes sense here');
    if (o.host_ip !== undefined) report([...p, "host_ip"], o.host_ip, "cannot be honoured: the platform binds host ports");
    target = o.target as number | undefined;
  }
  if (target === undefined || !Number.isInteger(target) || target < 1 || target > 65535) {
    report(p, item, "must be a container port from 1 to 65535");
    return undefined;
  }
  return target;
}

const MEMORY = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i;

/** MiB in a Compose byte value (`512m`, `1g`, `1.5gb`, `1048576`), or undefined. */
export function parseMemoryMiB(v: unknown): number | undefined {
  const m = MEMORY.exec(String(v).trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? "b").toLowerCase();
  const bytes = unit === "g" ? n * 1024 ** 3 : unit === "m" ? n * 1024 ** 2 : unit === "k" ? n * 1024 : n;
  return bytes / 1024 ** 2;
}

/** CPU units (1024 = one CPU) in a Compose `cpus` value (`0.5`, `"1.5"`), or undefined. */
export function parseCpuUnits(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1024) : undefined;
}

/** Memory a service needs per CPU unit at least (2 GiB per vCPU, the smallest ratio Fargate and common node sizes allow). */
export const MIN_MIB_PER_CPU_UNIT = 2;
/** Defaults when the descriptor gives no resources. */
export const DEFAULT_RESOURCES = { cpu: 256, memoryMiB: 512 } as const;

function mapResources(res: Json, path: (string | number)[], report: Report): Resources | undefined {
  const limits = (res.limits ?? {}) as Json;
  const reservations = (res.reservations ?? {}) as Json;
  let ok = true;
  for (const [group, o] of [["limits", limits], ["reservations", reservations]] as const) {
    for (const k of Object.keys(o)) {
      if (k !== "cpus" && k !== "memory" && !k.startsWith("x-")) {
        report([...path, group, k], o[k], "is not supported by the generator (only cpus and memory)");
        ok = false;
      }
    }
  }
  for (const k of Object.keys(res)) {
    if (k !== "limits" && k !== "reservations" && !k.startsWith("x-")) {
      report([...path, k], res[k], "is not supported by the generator");
      ok = false;
    }
  }
  const cpu = (group: string, v: unknown) => {
    if (v === undefined) return undefined;
    const u = parseCpuUnits(v);
    if (u === undefined || u < 128 || u > 16384) {
      report([...path, group, "cpus"], v, "must be a number of CPUs from 0.125 to 16");
      ok = false;
    }
    return u;
  };
  const mem = (group: string, v: unknown) => {
    if (v === undefined) return undefined;
    const m = parseMemoryMiB(v);
    if (m === undefined || m < 6 || !Number.isInteger(m)) {
      report([...path, group, "memory"], v, "must be a whole number of MiB of at least 6, written like 512m or 1g");
      ok = false;
      return undefined;
    }
    return m;
  };
  const cpuLimit = cpu("limits", limits.cpus);
  const cpuReservation = cpu("reservations", reservations.cpus);
  const memLimit = mem("limits", limits.memory);
  const memReservation = mem("reservations", reservations.memory);
  if (!ok) return undefined;
  if (cpuLimit !== undefined && cpuReservation !== undefined && cpuReservation > cpuLimit) {
    report([...path, "reservations", "cpus"], reservations.cpus, `must not exceed limits.cpus (${limits.cpus})`);
    return undefined;
  }
  if (memLimit !== undefined && memReservation !== undefined && memReservation > memLimit) {
    report([...path, "reservations", "memory"], reservations.memory, `must not exceed limits.memory (${limits.memory})`);
    return undefined;
  }
  const cpuUnits = cpuReservation ?? cpuLimit ?? DEFAULT_RESOURCES.cpu;
  const memoryMiB = memLimit ?? memReservation ?? DEFAULT_RESOURCES.memoryMiB;
  const needed = cpuUnits * MIN_MIB_PER_CPU_UNIT;
  if (memoryMiB < needed) {
    const field = memLimit !== undefined ? "limits" : memReservation !== undefined ? "reservations" : "limits";
    report([...path, field, "memory"], memLimit !== undefined ? limits.memory : reservations.memory, `is ${memoryMiB} MiB, below what ${cpuUnits / 1024} CPU needs: give at least ${needed} MiB (${MIN_MIB_PER_CPU_UNIT * 1024} MiB per CPU)`);
    return undefined;
  }
  return { cpu: cpuUnits, cpuLimit, memoryMiB, memoryReservationMiB: memLimit !== undefined ? memReservation : undefined };
}

function mapHealthcheck(hc: Json | undefined, path: (string | number)[], report: Report): ContainerHealthCheck | undefined {
  if (!hc || hc.disable === true) return undefined;
  let test: string[];
  if (hc.test === undefined) {
    report([...path, "test"], undefined, "is required (the image's HEALTHCHECK cannot be read by the generator)");
    return undefined;
  }
  if (typeof hc.test === "string") test = ["CMD-SHELL", hc.test];
  else {
    test = (hc.test as string[]).map(String);
    if (test[0] === "NONE") return undefined;
    if (test[0] !== "CMD" && test[0] !== "CMD-SHELL") {
      report([...path, "test"], hc.test, 'must start with "CMD" or "CMD-SHELL" (or be a string)');
      return undefined;
    }
  }
  const dur = (key: string, dflt: number, lo: number, hi: number) => {
    if (hc[key] === undefined) return dflt;
    const s = parseDuration(String(hc[key]));
    if (s === undefined || !Number.isInteger(s) || s < lo || s > hi) {
      report([...path, key], hc[key], `must be a duration of whole seconds from ${lo}s to ${hi}s`);
      return dflt;
    }
    return s;
  };
  const retries = (hc.retries as number | undefined) ?? 3;
  if (!Number.isInteger(retries) || retries < 1 || retries > 10) report([...path, "retries"], hc.retries, "must be 1 to 10");
  return {
    test,
    intervalSeconds: dur("interval", 30, 5, 300),
    timeoutSeconds: dur("timeout", 5, 2, 60),
    retries,
    startPeriodSeconds: dur("start_period", 0, 0, 300),
  };
}

/** The path of a healthcheck that fetches http://localhost[:port]/path (curl or wget), if any. */
export function healthPathFromTest(test: readonly string[] | undefined): string | undefined {
  if (!test) return undefined;
  const m = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?(\/[A-Za-z0-9._~\-/?=&%]*)/.exec(test.slice(1).join(" "));
  return m ? m[1] : undefined;
}

const LOG_OPTIONS: Record<string, keyof LoggingSpec> = {
  mode: "mode",
  "max-buffer-size": "maxBufferSize",
  "awslogs-multiline-pattern": "multilinePattern",
  "awslogs-datetime-format": "datetimeFormat",
};

function mapLogging(logging: Json | undefined, path: (string | number)[], report: Report): LoggingSpec {
  const out: { -readonly [K in keyof LoggingSpec]?: LoggingSpec[K] } = { mode: "non-blocking" };
  if (!logging) return out as LoggingSpec;
  if (logging.driver !== undefined && logging.driver !== "awslogs") {
    report([...path, "driver"], logging.driver, 'must be "awslogs" or left out: the platform ships logs to CloudWatch Logs');
  }
  for (const [k, v] of Object.entries((logging.options ?? {}) as Json)) {
    const field = LOG_OPTIONS[k];
    if (!field) {
      report([...path, "options", k], v, `is not supported (the platform sets the log group, region and stream); supported: ${Object.keys(LOG_OPTIONS).join(", ")}`);
      continue;
    }
    if (field === "mode" && v !== "blocking" && v !== "non-blocking") report([...path, "options", k], v, 'must be "blocking" or "non-blocking"');
    else (out as Record<string, unknown>)[field] = String(v);
  }
  return out as LoggingSpec;
}

function mapTmpfs(value: unknown, path: (string | number)[], report: Report): { path: string; sizeMiB: number }[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value.map(String) : [String(value)];
  const out: { path: string; sizeMiB: number }[] = [];
  list.forEach((entry, i) => {
    const m = /^(\/[A-Za-z0-9._\-/]*)(?::size=(\S+))?$/.exec(entry);
    const size = m?.[2] !== undefined ? parseMemoryMiB(m[2]) : 64;
    if (!m || size === undefined || !Number.isInteger(size) || size < 1) {
      report(Array.isArray(value) ? [...path, i] : path, entry, "must be an absolute path, optionally with :size=<n>m (default 64m)");
      return;
    }
    out.push({ path: m[1], sizeMiB: size });
  });
  return out;
}
