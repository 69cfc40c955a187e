import type { ScalingSpec } from "./descriptor";
import type { XScaling } from "./extensions";
import type { Json, ServiceContext } from "./map-context";

/** The service's `deploy` section (its resources are in map-resources.ts), replicas, and `x-scaling`. */

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

/** The `deploy` mapping (empty when not given), its unsupported fields and a mode other than "replicated" reported. */
export function checkDeploy({ svc, at, report }: ServiceContext): Json {
  const deploy = (svc.deploy ?? {}) as Json;
  for (const key of Object.keys(deploy)) {
    if (SUPPORTED_DEPLOY_FIELDS.includes(key) || key.startsWith("x-")) continue;
    report(at("deploy", key), deploy[key], `is not supported by the generator${DEPLOY_REASONS[key] ? `: ${DEPLOY_REASONS[key]}` : ""}`);
  }
  if (deploy.mode !== undefined && deploy.mode !== "replicated") report(at("deploy", "mode"), deploy.mode, 'only "replicated" is supported (the platform places replicas)');
  return deploy;
}

/**
 * Replicas and scaling: `deploy.replicas`, else x-scaling.min, else 1; the autoscaling targets of
 * x-scaling (requests per target only for a public service).
 */
export function mapReplicas({ svc, at, report }: ServiceContext, deploy: Json, expose: "public" | "internal", xScaling: XScaling | undefined): { replicas: number; scaling?: ScalingSpec } {
  const replicasGiven = deploy.replicas as number | undefined;
  if (replicasGiven !== undefined && replicasGiven < 0) report(at("deploy", "replicas"), replicasGiven, "must not be negative");
  let scaling: ScalingSpec | undefined;
  if (xScaling) {
    let ok = true;
    if (xScaling.min > xScaling.max) {
      report(at("x-scaling", "min"), xScaling.min, `must not exceed x-scaling.max (${xScaling.max})`);
      ok = false;
    }
    if (xScaling.cpu === undefined && xScaling.memory === undefined && xScaling.requestsPerTarget === undefined) {
      report(at("x-scaling"), svc["x-scaling"], "needs at least one target: cpu, memory or requestsPerTarget");
      ok = false;
    }
    if (xScaling.requestsPerTarget !== undefined && expose !== "public") {
      report(at("x-scaling", "requestsPerTarget"), xScaling.requestsPerTarget, "needs a public service (requests are counted by the load balancer); use cpu or memory");
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
    report(at("deploy", "replicas"), replicasGiven, `must be within x-scaling.min..max (${scaling.min}..${scaling.max})`);
  }
  return { replicas, scaling };
}
