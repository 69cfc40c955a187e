import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Environment } from "../environments/schema";
import { EksClusterSettings, EksPlatformConfig, eksClusterSettings, sharedClusterHost } from "../environments/features/eks";
import { EksCluster, PodIdentityRole, PolicyStatement } from "../modules/eks-cluster";
import { loadBalancerControllerPolicy } from "../modules/eks-cluster/load-balancer-controller-policy";
import { ADDON_IDENTITIES } from "../modules/eks-addons/identities";
import { EksClusterAlarms } from "../modules/observability/alarms";
import { EnvironmentStack } from "./environment-stack";
import type { EksClusterRef, HostedZoneRef, NetworkRef } from "./contracts";

export interface EksPlatformStackProps {
  readonly network: NetworkRef;
  /** The zone external-dns may change. @default no external-dns role (the addons stack then skips external-dns) */
  readonly hostedZone?: HostedZoneRef;
}

/**
 * `<env>-platform` of an EKS host: the cluster and its node groups (modules/eks-cluster) and the
 * Pod Identity roles of the add-ons that call AWS (cluster-autoscaler, external-dns, the AWS Load
 * Balancer Controller with its documented policy). AWS resources only, so the real Terraform check
 * covers it; the Kubernetes side lives in `<env>-addons`. A guest environment has no platform stack.
 */
export class EksPlatformStack extends EnvironmentStack implements EksClusterRef {
  public readonly settings: EksClusterSettings;
  public readonly cluster: EksCluster;
  public readonly clusterName: string;
  public readonly hostName: string;
  /** The cluster's VPC (the AWS Load Balancer Controller's `vpcId`). */
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  /** The hosted zone external-dns manages, when one was given. */
  public readonly hostedZone: HostedZoneRef | undefined;

  constructor(scope: Construct, env: Environment, props: EksPlatformStackProps) {
    super(scope, env, "platform");
    if (env.platform.kind !== "eks") throw new Error(`EksPlatformStack: ${env.name} has platform.kind ${env.platform.kind}, not eks`);
    const settings = eksClusterSettings(env.platform as EksPlatformConfig);
    if (!settings) throw new Error(`EksPlatformStack: ${env.name} is a guest of ${sharedClusterHost(env.platform)}'s cluster and has no platform stack`);
    this.settings = settings;
    this.hostName = env.name;
    this.vpcCidr = env.vpc.cidr;
    const { network } = props;
    const sgs = network.securityGroups;
    const azs = [...env.azs];

    this.cluster = new EksCluster(this, "eks", {
      namePrefix: this.namePrefix,
      version: settings.version,
      subnetIds: azs.map((az) => network.privateSubnetIds[az]),
      publicAccessCidrs: settings.publicAccessCidrs,
      admins: settings.admins,
      addonVersions: settings.addonVersions,
      nodeGroups: settings.nodeGroups,
      nodeSecurityGroupIds: [sgs.appSgId],
      logsKeyArn: network.logsKeyArn,
      logRetentionDays: env.observability.logRetentionDays,
      accountId: network.accountId,
      partition: network.partition,
      parking: env.parking,
      protect: env.production,
    });
    this.clusterName = this.cluster.clusterName;
    // Node count and pod restart alarms (Container Insights). A parked cluster has no nodes at
    // night by design, so parked environments leave them out rather than page every evening.
    if (!env.parking) {
      new EksClusterAlarms(this, "alarms", {
        namePrefix: this.namePrefix,
        topicArn: network.alarmTopicArn,
        thresholds: env.observability.thresholds,
        clusterName: this.clusterName,
        minNodes: settings.nodeGroups.system.min + settings.nodeGroups.spot.min,
      });
    }

    // kubectl from the bastions (SSH or Session Manager port forwarding) to the private endpoint.
    new VpcSecurityGroupIngressRule(this, "api-from-bastion", {
      securityGroupId: this.cluster.clusterSecurityGroupId,
      description: "Kubernetes API (private endpoint) from the bastions",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: sgs.bastionSgId,
    });

    this.vpcId = network.vpcId;
    this.hostedZone = props.hostedZone;
    this.addonRoles(network.partition);
    new TerraformOutput(this, "cluster_name", { value: this.clusterName });
  }

  /**
   * The Pod Identity roles of the add-ons that call AWS: the AWS Load Balancer Controller (its
   * documented policy), cluster-autoscaler (this cluster's groups only) and, with a hosted zone,
   * external-dns (that zone only).
   */
  private addonRoles(partition: string): void {
    this.addonRole("aws-load-balancer-controller", ADDON_IDENTITIES.loadBalancerController, loadBalancerControllerPolicy(partition));
    // The cluster name is known up front, so the tag condition needs no reference.
    const clusterName = `${this.namePrefix}-eks`;
    this.addonRole("cluster-autoscaler", ADDON_IDENTITIES.clusterAutoscaler, [
        {
          Sid: "ScaleOwnGroupsOnly",
          Effect: "Allow",
          Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
          Resource: "*",
          Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
        },
        {
          // Describe calls support no resource-level permissions.
          Sid: "Discover",
          Effect: "Allow",
          Action: [
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements",
            "eks:DescribeNodegroup",
          ],
          Resource: "*",
        },
    ]);
    if (this.hostedZone) {
      const zoneArn = `arn:${partition}:route53:::hostedzone/${this.hostedZone.zoneId}`;
      this.addonRole("external-dns", ADDON_IDENTITIES.externalDns, [
        { Sid: "ChangeProjectZoneOnly", Effect: "Allow", Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResource"], Resource: zoneArn },
        // ListHostedZones supports no resource-level permissions; the chart's zone-id filter keeps it to one zone.
        { Sid: "ListZones", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
      ]);
    }
  }

  /** The Pod Identity role of an add-on's service account, named after the add-on. */
  private addonRole(id: string, identity: { readonly namespace: string; readonly serviceAccount: string }, statements: readonly PolicyStatement[]): PodIdentityRole {
    return new PodIdentityRole(this, id, { name: this.name(id), clusterName: this.clusterName, namespace: identity.namespace, serviceAccount: identity.serviceAccount, statements });
  }
}
