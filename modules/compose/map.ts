import type { DescriptorProblem, ServiceDescriptor } from "./descriptor";
import type { Json, Report, ServiceContext } from "./map-context";
import { checkServiceFields, checkTopLevelFields, walkInterpolation } from "./map-fields";
import { parseExtensions } from "./map-extensions";
import { mapImage, words } from "./map-image";
import { mapDict, mapEnvironment } from "./map-environment";
import { checkSecretsNotInEnvironment, mapSecrets } from "./map-secrets";
import { mapPorts, mapRoute } from "./map-ports";
import { checkDeploy, mapReplicas } from "./map-deploy";
import { mapResources } from "./map-resources";
import { mapHealthcheck, mapHttpHealth } from "./map-health";
import { checkRestart, mapLogging, mapStopGracePeriod, mapTmpfs } from "./map-runtime";

export { SUPPORTED_SERVICE_FIELDS } from "./map-fields";
export { shellWords } from "./map-image";
export { healthPathFromTest } from "./map-health";
export { parseCpuUnits, parseMemoryMiB, MIN_MIB_PER_CPU_UNIT, DEFAULT_RESOURCES } from "./map-resources";

/**
 * Maps one Compose service (already valid against the Compose schema) to a ServiceDescriptor.
 * Every field is either honoured, or rejected with a message that names it: nothing is dropped.
 * Each concept has its file (map-fields, map-extensions, map-image, map-environment, map-secrets,
 * map-ports, map-deploy, map-resources, map-health, map-runtime); mapService runs the steps in a
 * fixed order, which is the order the problems are reported in.
 */

export interface MapResult {
  readonly descriptor?: ServiceDescriptor;
  readonly problems: DescriptorProblem[];
}

/**
 * `doc` is the whole Compose file, valid against the Compose schema; `name` the service (file) name.
 * `note` is appended to every problem message (e.g. which override a merged document came from).
 */
export function mapService(file: string, name: string, doc: Json, note = ""): MapResult {
  const problems: DescriptorProblem[] = [];
  const add = (p: DescriptorProblem) => problems.push({ ...p, message: p.message + note });
  const report: Report = (path, value, message) => add({ file, path: path.join("."), value, message });
  const base = ["services", name];
  const svc = (doc.services as Json)[name] as Json;
  const cx: ServiceContext = { svc, at: (...p) => [...base, ...p], report };
  const { at } = cx;

  checkTopLevelFields(doc, report);
  checkServiceFields(cx);
  walkInterpolation(svc, base, report);
  const { xRoute, xHealth, xScaling, expose } = parseExtensions(file, cx, add);

  const image = mapImage(name, svc.image, at("image"), report);
  const command = words(svc.command, at("command"), report);
  const entrypoint = words(svc.entrypoint, at("entrypoint"), report);
  const environment = mapEnvironment(svc.environment, at("environment"), report);
  const secrets = mapSecrets(doc, svc.secrets, at("secrets"), report);
  checkSecretsNotInEnvironment(environment, secrets, cx);
  const port = mapPorts(svc.ports, at("ports"), report);
  const deploy = checkDeploy(cx);
  const resources = mapResources((deploy.resources ?? {}) as Json, at("deploy", "resources"), report);
  const containerHealthCheck = mapHealthcheck(svc.healthcheck as Json | undefined, at("healthcheck"), report);
  const route = mapRoute(cx, expose, xRoute, port);
  const health = mapHttpHealth(cx, { expose, xHealth, containerHealthCheck, port });
  const { replicas, scaling } = mapReplicas(cx, deploy, expose, xScaling);
  const labels = mapDict(svc.labels, at("labels"), report, "label");
  const logging = mapLogging(svc.logging as Json | undefined, at("logging"), report);
  checkRestart(svc.restart, at("restart"), report);
  const stopGracePeriodSeconds = mapStopGracePeriod(svc.stop_grace_period, at("stop_grace_period"), report);
  const tmpfs = mapTmpfs(svc.tmpfs, at("tmpfs"), report);

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
