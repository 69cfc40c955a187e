import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { Environment } from "../environments/schema";
import { EcsPlatformConfig } from "../environments/features/ecs";
import { EcsFleet } from "../modules/ecs-fleet";
import { EnvironmentStack } from "./environment-stack";
import { NetworkStack } from "./network-stack";

/** The AWS partition of a region (known from config, so policy ARNs validate at plan time). */
function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface EcsPlatformStackProps {
  readonly network: NetworkStack;
}

/**
 * `<env>-platform` of an ECS environment: the cluster and its EC2 fleet (modules/ecs-fleet) in
 * the private subnets, an on-demand and a spot capacity provider, the default strategy from
 * `platform.strategy`, and the `app` group opened to the `alb` group on the dynamic host ports.
 * The `<env>-apps` stack reads its public fields.
 */
export class EcsPlatformStack extends EnvironmentStack {
  public readonly config: EcsPlatformConfig;
  public readonly fleet: EcsFleet;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  /** AWS partition of the environment's region. */
  public readonly partition: string;

  constructor(scope: Construct, env: Environment, props: EcsPlatformStackProps) {
    super(scope, env, "platform");
    if (env.platform.kind !== "ecs") throw new Error(`EcsPlatformStack: ${env.name} has platform.kind ${env.platform.kind}, not ecs`);
    this.config = env.platform as EcsPlatformConfig;
    const { network } = props;
    const cfg = this.config;
    this.partition = partitionOf(env.region);
    this.fleet = new EcsFleet(this, "ecs", {
      namePrefix: this.namePrefix,
      partition: this.partition,
      subnetIds: env.azs.map((az) => network.network.privateSubnetIds[az]),
      appSecurityGroupId: network.securityGroups.appSgId,
      albSecurityGroupId: network.securityGroups.albSgId,
      architecture: cfg.architecture,
      instanceTypes: cfg.instanceTypes,
      onDemand: cfg.onDemand,
      spot: cfg.spot,
      strategy: cfg.strategy,
      targetCapacityPercent: cfg.targetCapacityPercent,
      volumeSizeGiB: cfg.volumeSizeGiB,
      containerStopTimeoutSeconds: cfg.containerStopTimeoutSeconds,
      logsKeyArn: network.logsKeyArn,
      logRetentionDays: env.observability.logRetentionDays,
      parking: env.parking,
    });
    this.clusterName = this.fleet.clusterName;
    this.clusterArn = this.fleet.clusterArn;
    new TerraformOutput(this, "cluster_name", { value: this.clusterName });
  }
}
