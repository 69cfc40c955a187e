import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import { ParkingSchedule } from "../parking";
import { toAwsCron } from "../../lib/cron";
import type { Resources, ScalingSpec } from "../compose";
import { taskUtilizationTarget } from "./service-connect";

/** What one ECS service's Application Auto Scaling is built from (resolved by EcsAppService). */
export interface ServiceScalingProps {
  readonly clusterName: string;
  /** The ECS service's name (`aws_ecs_service.name`). */
  readonly serviceName: string;
  /** The service's name in the descriptor, for the action and policy names. */
  readonly service: string;
  readonly replicas: number;
  /** The descriptor's `x-scaling`. @default fixed at `replicas` */
  readonly scaling?: ScalingSpec;
  /** @default never parked */
  readonly parking?: ParkingSchedule;
  /** The application container's resources and the task size (proxy included), for utilization targets. */
  readonly resources: Resources;
  readonly taskSize: { readonly cpu: number; readonly memoryMiB: number };
  /** `<alb arn_suffix>/<target group arn_suffix>`, for request-count scaling. @default not routed */
  readonly requestCountResourceLabel?: string;
}

/**
 * One ECS service's scalable target, when it scales (`x-scaling`) or is parked, created in
 * `scope` (the EcsAppService, so the addresses are the service's): the parking schedule's
 * scheduled actions and the target-tracking policies on it.
 */
export function serviceScaling(scope: Construct, props: ServiceScalingProps): void {
  if (!props.scaling && !props.parking) return;
  const capacity = props.scaling ? { min: props.scaling.min, max: props.scaling.max } : { min: props.replicas, max: props.replicas };
  const target = new AppautoscalingTarget(scope, "scaling", {
    serviceNamespace: "ecs",
    resourceId: `service/${props.clusterName}/${props.serviceName}`,
    scalableDimension: "ecs:service:DesiredCount",
    minCapacity: capacity.min,
    maxCapacity: capacity.max,
  });
  if (props.parking) parkingActions(scope, target, props.service, props.parking, capacity);
  if (props.scaling) targetTrackingPolicies(scope, target, props, props.scaling);
}

/** Scale to zero tasks at the schedule's `stop` and back to `capacity` at its `start`. */
function parkingActions(scope: Construct, target: AppautoscalingTarget, service: string, parking: ParkingSchedule, capacity: { min: number; max: number }): void {
  const action = (key: "park" | "unpark", cron: string, min: number, max: number) =>
    new AppautoscalingScheduledAction(scope, key, {
      name: `${service}-${key}`,
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      schedule: toAwsCron(cron),
      timezone: parking.timeZone,
      scalableTargetAction: { minCapacity: String(min), maxCapacity: String(max) },
    });
  action("park", parking.stop, 0, 0);
  action("unpark", parking.start, capacity.min, capacity.max);
}

/** One target-tracking policy per target the descriptor's `x-scaling` sets (CPU, memory, requests per target). */
function targetTrackingPolicies(scope: Construct, target: AppautoscalingTarget, props: ServiceScalingProps, sc: ScalingSpec): void {
  const policy = (key: string, metric: string, value: number, resourceLabel?: string) =>
    new AppautoscalingPolicy(scope, `scale-${key}`, {
      name: `${props.service}-${key}`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: value,
        scaleInCooldown: sc.scaleInCooldownSeconds,
        scaleOutCooldown: sc.scaleOutCooldownSeconds,
        predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
      },
    });
  const r = props.resources;
  const size = props.taskSize;
  // Utilization is measured against the task size (which includes the proxy): see taskUtilizationTarget.
  if (sc.cpuPercent !== undefined) policy("cpu", "ECSServiceAverageCPUUtilization", taskUtilizationTarget(sc.cpuPercent, r.cpuLimit ?? r.cpu, size.cpu));
  if (sc.memoryPercent !== undefined) policy("memory", "ECSServiceAverageMemoryUtilization", taskUtilizationTarget(sc.memoryPercent, r.memoryMiB, size.memoryMiB));
  if (sc.requestsPerTarget !== undefined && props.requestCountResourceLabel) {
    policy("requests", "ALBRequestCountPerTarget", sc.requestsPerTarget, props.requestCountResourceLabel);
  }
}
