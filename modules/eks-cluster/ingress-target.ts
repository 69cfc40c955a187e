import { Construct } from "constructs";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { AutoscalingAttachment } from "@cdktf/provider-aws/lib/autoscaling-attachment";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

export interface IngressTargetProps {
  /** Physical name of the target group (at most 32 characters). */
  readonly name: string;
  readonly vpcId: string;
  /** The ingress controller's fixed NodePort (30000-32767). */
  readonly nodePort: number;
  /** Auto scaling groups of the node groups, by node group role; each is registered with the target group. */
  readonly autoScalingGroupNames: Readonly<Record<string, string>>;
  /** Security group of the nodes that accepts the ALB's traffic. */
  readonly nodeSecurityGroupId: string;
  /** Security group of the ALB (the only allowed source). */
  readonly albSecurityGroupId: string;
  /** Health-check path on the NodePort. @default "/healthz" */
  readonly healthCheckPath?: string;
}

/**
 * How the ALB reaches the ingress controller: an `instance` target group on the controller's fixed
 * NodePort, with every node group's auto scaling group attached (nodes register and deregister
 * themselves as they come and go, spot interruptions and parking included), and the node security
 * group opened on that port to the ALB's security group only. Listener rules forward to
 * `targetGroupArn`; the controller routes by host and path to the services.
 */
export class IngressTarget extends Construct {
  public readonly targetGroupArn: string;
  public readonly nodePort: number;

  constructor(scope: Construct, id: string, props: IngressTargetProps) {
    super(scope, id);
    if (!Number.isInteger(props.nodePort) || props.nodePort < 30000 || props.nodePort > 32767) {
      throw new Error(`IngressTarget: nodePort must be a NodePort (30000-32767), got ${props.nodePort}`);
    }
    if (props.name.length > 32) throw new Error(`IngressTarget: name must be at most 32 characters (a target group limit), got ${props.name} (${props.name.length})`);
    if (Object.keys(props.autoScalingGroupNames).length === 0) throw new Error("IngressTarget: autoScalingGroupNames must name at least one group");
    const tg = new LbTargetGroup(this, "target-group", {
      name: props.name,
      vpcId: props.vpcId,
      targetType: "instance",
      port: props.nodePort,
      protocol: "HTTP",
      deregistrationDelay: "30",
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath ?? "/healthz",
        port: "traffic-port",
        protocol: "HTTP",
        matcher: "200",
        interval: 15,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
    for (const [role, asg] of Object.entries(props.autoScalingGroupNames).sort(([a], [b]) => a.localeCompare(b))) {
      new AutoscalingAttachment(this, `attach-${role}`, { autoscalingGroupName: asg, lbTargetGroupArn: tg.arn });
    }
    new VpcSecurityGroupIngressRule(this, "from-alb", {
      securityGroupId: props.nodeSecurityGroupId,
      description: `Ingress controller NodePort ${props.nodePort} from the load balancer`,
      ipProtocol: "tcp",
      fromPort: props.nodePort,
      toPort: props.nodePort,
      referencedSecurityGroupId: props.albSecurityGroupId,
    });
    this.targetGroupArn = tg.arn;
    this.nodePort = props.nodePort;
  }
}
