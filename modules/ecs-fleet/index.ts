import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ParkingSchedule } from "../parking";
import { CapacityGroup } from "./capacity-group";
import { serviceTrustPolicy } from "../iam/policy";

export { CapacityGroup } from "./capacity-group";
export type { CapacityGroupProps } from "./capacity-group";

/** Host ports the ECS agent hands out for `hostPort: 0` (bridge mode); only these are open to the ALB. */
export const DYNAMIC_HOST_PORTS = { from: 32768, to: 60999 } as const;

/** SSM public parameters of the ECS-optimized Amazon Linux 2023 AMI, by architecture. */
export const ECS_AMI_PARAMETERS = {
  x86_64: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
  arm64: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
} as const;

/** One entry of a capacity provider strategy. */
export interface CapacityProviderStrategyItem {
  readonly capacityProvider: string;
  readonly base: number;
  readonly weight: number;
}

export interface EcsFleetProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  /** AWS partition, for managed-policy ARNs. @default aws */
  readonly partition?: string;
  /** Private subnets (one per AZ) the instances run in. */
  readonly subnetIds: readonly string[];
  /** The `app` security group: attached to the instances, opened to `albSecurityGroupId` on DYNAMIC_HOST_PORTS only. */
  readonly appSecurityGroupId: string;
  /** The `alb` security group. */
  readonly albSecurityGroupId: string;
  /** @default x86_64 */
  readonly architecture?: "x86_64" | "arm64";
  /** At least two instance types of `architecture`. */
  readonly instanceTypes: readonly string[];
  readonly onDemand: { readonly min: number; readonly max: number };
  readonly spot: { readonly min: number; readonly max: number };
  /** Default capacity provider strategy: the first `onDemandBase` tasks on on-demand, the rest by weight. */
  readonly strategy: { readonly onDemandBase: number; readonly onDemandWeight: number; readonly spotWeight: number };
  /** @default 100 */
  readonly targetCapacityPercent?: number;
  /** @default 30 */
  readonly volumeSizeGiB?: number;
  /** ECS_CONTAINER_STOP_TIMEOUT, seconds. @default 30 */
  readonly containerStopTimeoutSeconds?: number;
  /** KMS key of the environment's log groups (ECS Exec logs and session encryption). */
  readonly logsKeyArn: string;
  /** Retention of the ECS Exec log group, days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Park both groups outside working hours. @default never parked */
  readonly parking?: ParkingSchedule;
}

/**
 * An ECS cluster on EC2 capacity: Container Insights, ECS Exec sessions encrypted and logged to
 * CloudWatch Logs, and two capacity groups in the private subnets (on-demand and spot, each its
 * own capacity provider with managed scaling, termination protection and draining) on the
 * ECS-optimized Amazon Linux 2023 AMI. The instances' role has only the ECS-for-EC2 and SSM
 * managed policies; tasks get their credentials from the agent, never from instance metadata.
 */
export class EcsFleet extends Construct {
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly onDemandCapacityProvider: string;
  public readonly spotCapacityProvider: string;
  /** The cluster's default strategy; services use the same. */
  public readonly defaultStrategy: readonly CapacityProviderStrategyItem[];
  public readonly execLogGroupName: string;
  /** The instance role (for attaching policies a platform add-on may need). */
  public readonly instanceRoleName: string;
  /** Auto scaling group names by purchase option. */
  public readonly autoScalingGroupNames: { readonly onDemand: string; readonly spot: string };

  constructor(scope: Construct, id: string, props: EcsFleetProps) {
    super(scope, id);
    const stop = props.containerStopTimeoutSeconds ?? 30;
    if (!(Number.isInteger(stop) && stop >= 2 && stop <= 120)) throw new Error(`EcsFleet: containerStopTimeoutSeconds must be 2 to 120, got ${stop}`);
    const { onDemandBase, onDemandWeight, spotWeight } = props.strategy;
    if (onDemandWeight + spotWeight <= 0) throw new Error(`EcsFleet: strategy needs a positive onDemandWeight or spotWeight, got ${onDemandWeight} and ${spotWeight}`);
    if (onDemandBase < 0) throw new Error(`EcsFleet: strategy.onDemandBase must not be negative, got ${onDemandBase}`);
    if (props.subnetIds.length === 0) throw new Error("EcsFleet: subnetIds must list the private subnets");
    const clusterName = `${props.namePrefix}-cluster`;

    const { cluster, execLogs } = this.cluster(props, clusterName);
    const { role, profile } = this.instanceProfile(props);
    const ami = new DataAwsSsmParameter(this, "ami", { name: ECS_AMI_PARAMETERS[props.architecture ?? "x86_64"] });
    const userData = ecsUserData(clusterName, stop);

    const group = (key: "on-demand" | "spot", purchase: "onDemand" | "spot", size: { min: number; max: number }) =>
      new CapacityGroup(this, key, {
        name: `${props.namePrefix}-${key}`,
        purchase,
        instanceTypes: props.instanceTypes,
        min: size.min,
        max: size.max,
        subnetIds: props.subnetIds,
        securityGroupIds: [props.appSecurityGroupId],
        imageId: ami.insecureValue,
        instanceProfileArn: profile.arn,
        userData,
        volumeSizeGiB: props.volumeSizeGiB,
        targetCapacityPercent: props.targetCapacityPercent,
        parking: props.parking,
      });
    const onDemand = group("on-demand", "onDemand", props.onDemand);
    const spot = group("spot", "spot", props.spot);

    const strategy: CapacityProviderStrategyItem[] = [
      { capacityProvider: onDemand.capacityProviderName, base: onDemandBase, weight: onDemandWeight },
      { capacityProvider: spot.capacityProviderName, base: 0, weight: spotWeight },
    ];
    new EcsClusterCapacityProviders(this, "capacity-providers", {
      clusterName: cluster.name,
      capacityProviders: [onDemand.capacityProviderName, spot.capacityProviderName],
      defaultCapacityProviderStrategy: strategy.map((s) => ({ ...s })),
    });

    // ALB -> containers: the dynamic host-port range only.
    new VpcSecurityGroupIngressRule(this, "app-from-alb", {
      securityGroupId: props.appSecurityGroupId,
      referencedSecurityGroupId: props.albSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: DYNAMIC_HOST_PORTS.from,
      toPort: DYNAMIC_HOST_PORTS.to,
      description: "Load balancer to ECS tasks on dynamic host ports",
    });

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.onDemandCapacityProvider = onDemand.capacityProviderName;
    this.spotCapacityProvider = spot.capacityProviderName;
    this.defaultStrategy = strategy;
    this.execLogGroupName = execLogs.name;
    this.instanceRoleName = role.name;
    this.autoScalingGroupNames = { onDemand: onDemand.autoScalingGroupName, spot: spot.autoScalingGroupName };
  }

  /** The cluster with Container Insights, and ECS Exec sessions encrypted and logged to their own log group. */
  private cluster(props: EcsFleetProps, clusterName: string): { cluster: EcsCluster; execLogs: CloudwatchLogGroup } {
    const execLogs = new CloudwatchLogGroup(this, "exec-logs", {
      name: `/ecs/${props.namePrefix}/exec`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
    });
    const cluster = new EcsCluster(this, "cluster", {
      name: clusterName,
      setting: [{ name: "containerInsights", value: "enabled" }],
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: props.logsKeyArn,
          logging: "OVERRIDE",
          logConfiguration: { cloudWatchLogGroupName: execLogs.name, cloudWatchEncryptionEnabled: true },
        },
      },
    });
    return { cluster, execLogs };
  }

  /** The container instances' role (the ECS-for-EC2 and SSM managed policies only) and its instance profile. */
  private instanceProfile(props: EcsFleetProps): { role: IamRole; profile: IamInstanceProfile } {
    const partition = props.partition ?? "aws";
    const role = new IamRole(this, "instance-role", {
      name: `${props.namePrefix}-ecs-instance`,
      description: "ECS container instances: the ECS agent and Session Manager only",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "instance-ecs", { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role` });
    new IamRolePolicyAttachment(this, "instance-ssm", { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` });
    const profile = new IamInstanceProfile(this, "instance-profile", { name: `${props.namePrefix}-ecs-instance`, role: role.name });
    return { role, profile };
  }
}

/**
 * The container instances' user data (base64): joins the cluster, drains on spot interruption,
 * gives containers `stopTimeoutSeconds` to stop, and hands out host ports from DYNAMIC_HOST_PORTS.
 */
function ecsUserData(clusterName: string, stopTimeoutSeconds: number): string {
  return Buffer.from(
    [
      "#!/bin/bash",
      "cat >> /etc/ecs/ecs.config <<'EOF'",
      `ECS_CLUSTER=${clusterName}`,
      "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true",
      `ECS_CONTAINER_STOP_TIMEOUT=${stopTimeoutSeconds}s`,
      `ECS_DYNAMIC_HOST_PORT_RANGE=${DYNAMIC_HOST_PORTS.from}-${DYNAMIC_HOST_PORTS.to}`,
      "ECS_ENABLE_CONTAINER_METADATA=true",
      "ECS_ENABLE_TASK_IAM_ROLE=true",
      "EOF",
      "",
    ].join("\n"),
  ).toString("base64");
}

export { EcsAppService, targetGroupName } from "./service";
export type { EcsAppServiceProps, ServiceRoute } from "./service";
export { ServiceConnectTraffic, SERVICE_CONNECT_PROXY, PORT_NAME, serviceConnectConfiguration, taskSize, taskUtilizationTarget } from "./service-connect";
export type { ServiceConnectProps, ServiceConnectTrafficProps } from "./service-connect";
