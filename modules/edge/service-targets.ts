import { Construct } from "constructs";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { HttpHealthCheck } from "../compose";
import type { ListenerRoute } from "./listener-rules";
import { targetGroupHealthCheck, targetGroupName } from "../ecs-fleet/service";

/** One public service whose pods the ALB reaches directly (IP targets). */
export interface PodTargetService {
  /** Service name: the route key and the target group's stable key. */
  readonly name: string;
  /** Container port the pods listen on (the targets' port). */
  readonly port: number;
  readonly health: HttpHealthCheck;
}

export interface PodTargetGroupsProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  /** VPC of the ALB (a target group's VPC); targets may sit in a VPC peered with it. */
  readonly vpcId: string;
  readonly services: readonly PodTargetService[];
  /** The listener rule the edge allocated to a route key. */
  readonly route: (key: string) => ListenerRoute;
  /** Seconds a deregistered target keeps its connections. @default 30 */
  readonly deregistrationDelaySeconds?: number;
}

/**
 * The ALB side of the EKS path, symmetric with ECS: per public service an `ip` target group on the
 * container port (health check from the descriptor, the same object as on ECS) and its listener
 * rule at the edge's allocated address. The targets are pod IPs, registered by the AWS Load
 * Balancer Controller from a TargetGroupBinding in the apps stack; pods outside the target group's
 * VPC (a guest's ALB, pods in the host's peered VPC) are registered with availability zone `all`.
 */
export class PodTargetGroups extends Construct {
  /** ARN and `arn_suffix` of each service's target group, by service name. */
  public readonly targetGroups: ReadonlyMap<string, { readonly arn: string; readonly arnSuffix: string }>;
  /** The listener rules, by service name. */
  public readonly rules: ReadonlyMap<string, LbListenerRule>;

  constructor(scope: Construct, id: string, props: PodTargetGroupsProps) {
    super(scope, id);
    const tgs = new Map<string, { arn: string; arnSuffix: string }>();
    const rules = new Map<string, LbListenerRule>();
    for (const s of [...props.services].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw new Error(`PodTargetGroups: service ${s.name} needs a container port from 1 to 65535, got ${s.port}`);
      const h = s.health;
      const tg = new LbTargetGroup(this, `${s.name}-target-group`, {
        name: targetGroupName(props.namePrefix, s.name),
        port: s.port,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: props.vpcId,
        deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
        healthCheck: targetGroupHealthCheck(h),
      });
      const at = props.route(s.name);
      rules.set(
        s.name,
        new LbListenerRule(this, `${s.name}-rule`, {
          listenerArn: at.listenerArn,
          priority: at.priority,
          action: [{ type: "forward", targetGroupArn: tg.arn }],
          condition: [...at.conditions],
        }),
      );
      tgs.set(s.name, { arn: tg.arn, arnSuffix: tg.arnSuffix });
    }
    this.targetGroups = tgs;
    this.rules = rules;
  }
}
