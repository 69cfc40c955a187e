import * as crypto from "crypto";
import { Construct } from "constructs";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup, LbTargetGroupHealthCheck } from "@cdktf/provider-aws/lib/lb-target-group";
import { metricAlarm } from "../observability/alarm-set";
import { unhealthyHostsAlarm } from "../observability/alarms";
import { targetGroupMetric } from "../observability/metrics";
import type { HttpHealthCheck } from "../compose";
import type { ListenerRoute } from "../edge/listener-rules";

/** A public service's listener rule (the edge's `ListenerRoute`) and the ALB it is on. */
export interface ServiceRoute extends ListenerRoute {
  /** `aws_lb.arn_suffix`, for request-count scaling and the unhealthy-hosts alarm. */
  readonly albArnSuffix: string;
}

/** A target group name: at most 32 characters, stable for a given service. */
export function targetGroupName(namePrefix: string, service: string): string {
  const full = `${namePrefix}-${service}`;
  if (full.length <= 32) return full;
  const hash = crypto.createHash("sha256").update(full).digest("hex").slice(0, 6);
  return `${full.slice(0, 25).replace(/-+$/, "")}-${hash}`;
}

/**
 * A target group's health check from the descriptor's `x-health`: the same on ECS (instance
 * targets) and EKS (ip targets), on the port the traffic uses.
 */
export function targetGroupHealthCheck(h: HttpHealthCheck): LbTargetGroupHealthCheck {
  return {
    enabled: true,
    path: h.path,
    port: "traffic-port",
    protocol: "HTTP",
    interval: h.intervalSeconds,
    timeout: h.timeoutSeconds,
    healthyThreshold: h.healthyThreshold,
    unhealthyThreshold: h.unhealthyThreshold,
    matcher: h.matcher,
  };
}

/** What a routed ECS service's load-balancer wiring is built from (resolved by EcsAppService). */
export interface ServiceRouteProps {
  readonly namePrefix: string;
  /** The service's name in the descriptor. */
  readonly service: string;
  readonly port: number;
  readonly health: HttpHealthCheck;
  readonly vpcId: string;
  readonly deregistrationDelaySeconds: number;
  readonly route: ServiceRoute;
  /** Alarm topic and unhealthy-hosts threshold. @default no alarm */
  readonly alarms?: { readonly topicArn: string; readonly unhealthyHosts: number };
}

/** A routed service's target group and the listener rule that forwards to it. */
export interface ServiceRouteResources {
  readonly targetGroup: LbTargetGroup;
  readonly rule: LbListenerRule;
}

/**
 * A routed ECS service's target group (instance targets, health check from `x-health`), its
 * listener rule on the edge's listener, and with `alarms` the unhealthy-hosts alarm; created in
 * `scope` (the EcsAppService, so their addresses are the service's).
 */
export function serviceRoute(scope: Construct, props: ServiceRouteProps): ServiceRouteResources {
  const targetGroup = new LbTargetGroup(scope, "target-group", {
    name: targetGroupName(props.namePrefix, props.service),
    port: props.port,
    protocol: "HTTP",
    targetType: "instance",
    vpcId: props.vpcId,
    deregistrationDelay: String(props.deregistrationDelaySeconds),
    healthCheck: targetGroupHealthCheck(props.health),
  });
  const rule = new LbListenerRule(scope, "rule", {
    listenerArn: props.route.listenerArn,
    priority: props.route.priority,
    action: [{ type: "forward", targetGroupArn: targetGroup.arn }],
    condition: [...props.route.conditions],
  });
  if (props.alarms) {
    const metric = targetGroupMetric(props.route.albArnSuffix, targetGroup.arnSuffix, "UnHealthyHostCount");
    const namePrefix = `${props.namePrefix}-${props.service}`;
    metricAlarm(scope, "unhealthy-hosts", { namePrefix, topicArn: props.alarms.topicArn }, unhealthyHostsAlarm("unhealthy-hosts", `Service ${props.service}`, metric, props.alarms.unhealthyHosts));
  }
  return { targetGroup, rule };
}
