import type { TerraformStack } from "cdktf";
import type { CapacityProviderStrategyItem } from "../modules/ecs-fleet";
import type { ListenerRoute } from "../modules/edge/listener-rules";
import type { EksClusterSettings } from "../environments/features/eks";

/**
 * The contracts between stacks: what a later layer may read of an earlier one. Each layer's stack
 * implements its interface and consumers take the interface, never the stack, so a layer's
 * internals (its constructs, its config) can change without touching its readers. cdktf turns
 * every read across stacks into an output of the producer and a remote-state lookup in the reader.
 */
export interface LayerRef {
  /**
   * The stack that holds these values, for ordering only: a reader that must be applied after it
   * even while it reads nothing yet (`addDependency`).
   */
  readonly stack: TerraformStack;
}

/** `global`: what environments read of the project-wide stack. */
export interface GlobalRef {
  /** The project's public hosted zone (`dns.domain`), when there is one. */
  readonly zone?: HostedZoneRef;
  /** The services' ECR repositories, by repository name. */
  readonly repositories: ServiceRegistry;
}

/** The services' ECR repositories (modules/ecr ServiceRepositories). */
export interface ServiceRegistry {
  readonly repositoryUrls: ReadonlyMap<string, string>;
  readonly repositoryArns: ReadonlyMap<string, string>;
}

/** The security groups of an environment's chain (modules/security-groups) that other layers use. */
export interface SecurityGroupRefs {
  /** The ALB's group (inbound from CloudFront's origin-facing prefix list only). */
  readonly albSgId: string;
  /** The application hosts' and pods' group. */
  readonly appSgId: string;
  /** The databases' group (inbound from `app` only). */
  readonly dataSgId: string;
  /** The bastions' group. */
  readonly bastionSgId: string;
  /** AWS-managed prefix list of CloudFront's origin-facing addresses. */
  readonly cloudFrontPrefixListId: string;
}

/** `<env>-network`: the VPC and what every later layer runs in or reports to. */
export interface NetworkRef extends LayerRef {
  /** The environment the network belongs to. */
  readonly envName: string;
  /** The deploying account (a `aws_caller_identity` read in the network stack). */
  readonly accountId: string;
  /** The AWS partition of the environment's region (`aws`, `aws-cn`, `aws-us-gov`), from config. */
  readonly partition: string;
  readonly vpcId: string;
  /** The VPC's CIDR block as configured (`vpc.cidr`). */
  readonly vpcCidr: string;
  /** Public subnet id by AZ name. */
  readonly publicSubnetIds: Readonly<Record<string, string>>;
  /** Private subnet id by AZ name. */
  readonly privateSubnetIds: Readonly<Record<string, string>>;
  /** CIDRs of the public subnets (where the ALB's nodes are), in AZ order. */
  readonly publicSubnetCidrs: readonly string[];
  readonly publicRouteTableId: string;
  /** Private route table id by AZ name. */
  readonly privateRouteTableIds: Readonly<Record<string, string>>;
  /** NAT gateway id by the AZ that hosts it (none with a NAT instance). */
  readonly natGatewayIds: Readonly<Record<string, string>>;
  readonly securityGroups: SecurityGroupRefs;
  /** KMS key of the environment's CloudWatch log groups. */
  readonly logsKeyArn: string;
  /** The environment's alarm topic: every layer's alarms notify it. */
  readonly alarmTopicArn: string;
}

/** `<env>-platform` of an ECS environment: the cluster services run on. */
export interface EcsPlatformRef extends LayerRef {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The cluster's default capacity provider strategy (on-demand and spot). */
  readonly capacityProviderStrategy: readonly CapacityProviderStrategyItem[];
  /** The cluster's ECS Exec log group. */
  readonly execLogGroupName: string;
  /** ARN of the environment's Cloud Map HTTP namespace (Service Connect). */
  readonly serviceConnectNamespaceArn: string;
}

/** `<env>-edge`: where public services' listener rules go, and what the dashboard shows. */
export interface EdgeRef {
  /** `aws_lb.arn_suffix` of the ALB (the CloudWatch `LoadBalancer` dimension). */
  readonly albArnSuffix: string;
  /** The CloudFront distribution's id. */
  readonly distributionId: string;
  /** Name of the ALB's (REGIONAL) web ACL. */
  readonly regionalWebAclName: string;
  /** The listener rule of a route key the edge was given. Throws for an unknown key. */
  route(key: string): ListenerRoute;
  /** EKS: the `ip` target group (ARN, `arn_suffix`) of each public service, by service name. */
  readonly podTargetGroups: ReadonlyMap<string, { readonly arn: string; readonly arnSuffix: string }>;
  /** EKS guests: the VPC of the target groups (this environment's), which is not the cluster's. */
  readonly targetVpcId?: string;
}

/** The project's public hosted zone (the edge's names, external-dns). */
export interface HostedZoneRef {
  readonly zoneId: string;
  /** Domain name of the zone, e.g. example.com. */
  readonly domain: string;
}

/**
 * `<host>-platform` of an EKS host: the cluster an environment runs in, its own or (a
 * shared-cluster guest) its host's. Stacks that deploy into it reach its API by name.
 */
export interface EksClusterRef extends LayerRef {
  /** The environment whose platform stack holds the cluster. */
  readonly hostName: string;
  readonly clusterName: string;
  /** The cluster's VPC (the AWS Load Balancer Controller's `vpcId`) and its configured CIDR. */
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** The cluster's resolved settings (node groups, add-on versions, quotas). */
  readonly settings: EksClusterSettings;
  /** The zone external-dns may change, when one was given. */
  readonly hostedZone?: HostedZoneRef;
}
