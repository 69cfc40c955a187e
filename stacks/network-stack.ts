import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { Environment } from "../environments/schema";
import { Network } from "../modules/network";
import { SecurityGroupChain } from "../modules/security-groups";
import { LogsKey } from "../modules/logs-key";
import { AlarmTopic } from "../modules/observability/alarm-topic";
import { AutoScalingStatusAlarms, NatGatewayAlarms } from "../modules/observability/network-alarms";
import { Bastion } from "../modules/bastion";
import { bastionAllowsSsh } from "../environments/features/bastion";
import { EnvironmentStack, environmentTags } from "./environment-stack";
import { partitionOf } from "../lib/partition";
import type { NetworkRef } from "./contracts";

/**
 * `<env>-network`: the VPC and everything that lives as long as it does (subnets, NAT, routes,
 * flow logs, endpoints, the security-group chain, the environment's logs KMS key).
 * Later layers read it as a `NetworkRef` (stacks/contracts.ts); cdktf turns those reads into
 * outputs + remote state.
 */
export class NetworkStack extends EnvironmentStack implements NetworkRef {
  public readonly network: Network;
  public readonly securityGroups: SecurityGroupChain;
  /**
   * The bastions: one auto scaling group (`bastion.autoScalingGroupName`) over every AZ's public
   * subnet, one instance per AZ, behind `securityGroups.bastionSgId`.
   */
  public readonly bastion?: Bastion;
  public readonly envName: string;
  /** KMS key for the environment's CloudWatch log groups. */
  public readonly logsKeyArn: string;
  /**
   * The environment's encrypted SNS alarm topic (subscriptions from `observability.alarmSubscriptions`).
   * Every layer's CloudWatch alarms use it as alarm and OK action.
   */
  public readonly alarmTopicArn: string;
  public readonly accountId: string;
  public readonly partition: string;
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly publicSubnetIds: Readonly<Record<string, string>>;
  public readonly privateSubnetIds: Readonly<Record<string, string>>;
  public readonly publicSubnetCidrs: readonly string[];
  public readonly publicRouteTableId: string;
  public readonly privateRouteTableIds: Readonly<Record<string, string>>;
  public readonly natGatewayIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, env: Environment) {
    super(scope, env, "network");
    this.envName = env.name;
    this.accountId = new DataAwsCallerIdentity(this, "account").accountId;
    this.partition = partitionOf(env.region);
    const logsKey = new LogsKey(this, "logs-key", {
      namePrefix: this.namePrefix,
      region: env.region,
      accountId: this.accountId,
      partition: this.partition,
    });
    this.logsKeyArn = logsKey.keyArn;
    this.alarmTopicArn = new AlarmTopic(this, "alarms", {
      namePrefix: this.namePrefix,
      accountId: this.accountId,
      partition: this.partition,
      subscriptions: env.observability.alarmSubscriptions,
    }).topicArn;
    this.network = new Network(this, "network", {
      namePrefix: this.namePrefix,
      region: env.region,
      cidr: env.vpc.cidr,
      azs: env.azs,
      privatePrefixLength: env.vpc.privatePrefixLength,
      publicPrefixLength: env.vpc.publicPrefixLength,
      nat: env.nat,
      parking: env.parking,
      flowLogs: {
        destination: env.flowLogs.destination,
        retentionDays: env.flowLogs.retentionDays,
        trafficType: env.flowLogs.trafficType,
        kmsKeyArn: logsKey.keyArn,
        accountId: this.accountId,
        protect: env.production,
      },
    });
    this.vpcId = this.network.vpcId;
    this.vpcCidr = env.vpc.cidr;
    this.publicSubnetIds = this.network.publicSubnetIds;
    this.privateSubnetIds = this.network.privateSubnetIds;
    this.publicSubnetCidrs = this.network.subnets.map((sn) => sn.publicCidr);
    this.publicRouteTableId = this.network.publicRouteTableId;
    this.privateRouteTableIds = this.network.privateRouteTableIds;
    this.natGatewayIds = this.network.natGatewayIds;
    this.securityGroups = new SecurityGroupChain(this, "sg", {
      namePrefix: this.namePrefix,
      vpcId: this.network.vpcId,
      vpcCidr: env.vpc.cidr,
      // With bastion.access "ssm" the bastion group gets no inbound rule at all.
      sshAllowList: bastionAllowsSsh(env.bastion.access) ? env.ssh.allowList : [],
    });
    this.bastion = env.bastion.enabled
      ? new Bastion(this, "bastion", {
        namePrefix: this.namePrefix,
        subnetIds: this.network.publicSubnetIds,
        securityGroupId: this.securityGroups.bastionSgId,
        partition: this.partition,
        sessionManager: env.bastion.access !== "ssh",
        instanceType: env.bastion.instanceType,
        detailedMonitoring: env.bastion.detailedMonitoring,
        publicKey: env.bastion.publicKey,
        parking: env.parking,
        instanceTags: environmentTags(env, this.stackName),
      })
      : undefined;
    // This layer's default alarms (docs/reference/alarms.md): NAT port allocation, bastion and NAT-instance status checks.
    const alarms = { namePrefix: this.namePrefix, topicArn: this.alarmTopicArn, thresholds: env.observability.thresholds };
    new NatGatewayAlarms(this, "nat-alarms", { ...alarms, natGatewayIds: this.network.natGatewayIds });
    if (this.bastion) new AutoScalingStatusAlarms(this, "bastion-alarms", { ...alarms, role: "bastion", autoScalingGroupNames: { group: this.bastion.autoScalingGroupName } });
    if (this.network.natInstance) {
      new AutoScalingStatusAlarms(this, "nat-instance-alarms", { ...alarms, role: "nat-instance", autoScalingGroupNames: { group: this.network.natInstance.autoScalingGroupName } });
    }
    // For operators (`terraform output`); other stacks use cross-stack references instead.
    new TerraformOutput(this, "vpc_id", { value: this.network.vpcId });
    new TerraformOutput(this, "public_subnet_ids", { value: this.network.publicSubnetIds });
    new TerraformOutput(this, "private_subnet_ids", { value: this.network.privateSubnetIds });
    if (this.bastion) new TerraformOutput(this, "bastion_auto_scaling_group_name", { value: this.bastion.autoScalingGroupName });
  }
}
