import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { Environment } from "../environments/schema";
import { EcsPlatformConfig } from "../environments/features/ecs";
import { ServiceDiscoveryHttpNamespace } from "@cdktf/provider-aws/lib/service-discovery-http-namespace";
import { CapacityProviderStrategyItem, EcsFleet } from "../modules/ecs-fleet";
import { EnvironmentStack } from "./environment-stack";
import type { EcsPlatformRef, NetworkRef } from "./contracts";

export interface EcsPlatformStackProps {
  readonly network: NetworkRef;
}

/**
 * `<env>-platform` of an ECS environment: the cluster and its EC2 fleet (modules/ecs-fleet) in
 * the private subnets, an on-demand and a spot capacity provider, the default strategy from
 * `platform.strategy`, the `app` group opened to the `alb` group on the dynamic host ports, and
 * the environment's Cloud Map HTTP namespace for ECS Service Connect (it lives as long as the
 * cluster: services come and go in `<env>-apps`, and a namespace cannot be deleted while services
 * are registered in it, which the apply/destroy order of the two stacks guarantees).
 * The `<env>-apps` stack reads it as an `EcsPlatformRef` (stacks/contracts.ts).
 */
export class EcsPlatformStack extends EnvironmentStack implements EcsPlatformRef {
  public readonly config: EcsPlatformConfig;
  public readonly fleet: EcsFleet;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  /** ARN of the environment's Cloud Map HTTP namespace (Service Connect), named `<project>-<env>`. */
  public readonly serviceConnectNamespaceArn: string;
  /** Its name. */
  public readonly serviceConnectNamespaceName: string;
  public readonly capacityProviderStrategy: readonly CapacityProviderStrategyItem[];
  public readonly execLogGroupName: string;

  constructor(scope: Construct, env: Environment, props: EcsPlatformStackProps) {
    super(scope, env, "platform");
    if (env.platform.kind !== "ecs") throw new Error(`EcsPlatformStack: ${env.name} has platform.kind ${env.platform.kind}, not ecs`);
    this.config = env.platform as EcsPlatformConfig;
    const { network } = props;
    const cfg = this.config;
    this.fleet = new EcsFleet(this, "ecs", {
      namePrefix: this.namePrefix,
      partition: network.partition,
      subnetIds: env.azs.map((az) => network.privateSubnetIds[az]),
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
    const namespace = new ServiceDiscoveryHttpNamespace(this, "service-connect", {
      name: this.namePrefix,
      description: `ECS Service Connect: the services of ${env.name} reach each other by Compose name`,
    });
    this.serviceConnectNamespaceArn = namespace.arn;
    this.serviceConnectNamespaceName = namespace.name;
    this.clusterName = this.fleet.clusterName;
    this.clusterArn = this.fleet.clusterArn;
    this.capacityProviderStrategy = this.fleet.defaultStrategy;
    this.execLogGroupName = this.fleet.execLogGroupName;
    new TerraformOutput(this, "cluster_name", { value: this.clusterName });
  }
}
