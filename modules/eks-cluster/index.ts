import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { customerManagedKey } from "../kms-key";
import { ParkingSchedule } from "../parking";
import { ManagedNodeGroup } from "./node-group";
import { publicAccessCidrProblem } from "./rules";
import { clusterRole, ebsCsiRole, nodeRole } from "./iam-roles";
import { adminAccessEntries, controlPlane } from "./control-plane";
import { MANAGED_ADDONS, ManagedAddons } from "./addons";

export { ManagedNodeGroup } from "./node-group";
export type { ManagedNodeGroupProps, CapacityType } from "./node-group";
export { PodIdentityRole } from "./pod-identity-role";
export type { PodIdentityRoleProps, PolicyStatement } from "./pod-identity-role";

export { CONTROL_PLANE_LOG_TYPES, principalArn } from "./control-plane";
export { BEFORE_COMPUTE_ADDONS } from "./addons";
export { EBS_CSI_SERVICE_ACCOUNT } from "./iam-roles";

/** Size and instance types of one node group. */
export interface NodeGroupSpec {
  readonly instanceTypes: readonly string[];
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  /** @default 50 */
  readonly diskGiB?: number;
}

export interface EksClusterProps {
  /** Prefix of physical names, `<project>-<env>`; the cluster is `<prefix>-eks`. */
  readonly namePrefix: string;
  /** Kubernetes version, e.g. "1.33". */
  readonly version: string;
  /** Private subnets of the control-plane ENIs and the nodes. */
  readonly subnetIds: readonly string[];
  /** CIDRs allowed to the public API endpoint; empty turns the public endpoint off. @default [] */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * IAM principals given AmazonEKSClusterAdminPolicy through access entries: role names (in
   * `accountId`) or full role/user ARNs. @default []
   */
  readonly admins?: readonly string[];
  /** Managed add-on versions by add-on name (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver). */
  readonly addonVersions: Readonly<Record<string, string>>;
  /** The on-demand `system` group and the `spot` workload group. */
  readonly nodeGroups: { readonly system: NodeGroupSpec; readonly spot: NodeGroupSpec };
  /** Security groups the nodes get besides the cluster security group. @default [] */
  readonly nodeSecurityGroupIds?: readonly string[];
  /** KMS key of the control-plane log group. */
  readonly logsKeyArn: string;
  /** Days to keep control-plane logs (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  readonly accountId: string;
  readonly partition: string;
  /** Park both node groups on this schedule. @default never parked */
  readonly parking?: ParkingSchedule;
  /** prevent_destroy on the cluster and its secrets key (production). @default false */
  readonly protect?: boolean;
}

/**
 * An EKS cluster in private subnets: private endpoint (public only from listed CIDRs), all five
 * control-plane log types into a KMS-encrypted log group, Kubernetes secrets envelope-encrypted
 * with a rotating KMS key, `API` authentication mode with access entries for the admins, EKS Pod
 * Identity for add-on credentials, the managed add-ons at pinned versions, and two managed node
 * groups (on-demand `system`, `spot` workloads) on hardened launch templates.
 */
export class EksCluster extends Construct {
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly clusterEndpoint: string;
  /** The security group EKS creates for the control plane and nodes. */
  public readonly clusterSecurityGroupId: string;
  public readonly nodeRoleArn: string;
  public readonly secretsKeyArn: string;
  /** Node groups by role. */
  public readonly nodeGroups: { readonly system: ManagedNodeGroup; readonly spot: ManagedNodeGroup };
  /** The managed add-ons by name. */
  public readonly addons: Readonly<Record<string, EksAddon>>;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    validateEksClusterProps(props);
    const name = `${props.namePrefix}-eks`;

    // Secrets encryption key: rotates yearly; the account decides through IAM who may use it.
    const key = customerManagedKey(this, {
      description: `${name} Kubernetes secrets encryption`,
      alias: `${name}-secrets`,
      accountId: props.accountId,
      partition: props.partition,
      protect: props.protect,
      ids: { key: "secrets-key", alias: "secrets-key-alias" },
    });
    const role = clusterRole(this, name, props.partition, key.arn);
    const cluster = controlPlane(this, props, { name, roleArn: role.arn, secretsKeyArn: key.arn });
    adminAccessEntries(this, cluster.name, props);
    const nodes = nodeRole(this, name, props.partition);
    const ebsRole = ebsCsiRole(this, name, props.partition);

    const addons = new ManagedAddons(this, cluster.name, props.addonVersions);
    const beforeCompute = addons.beforeCompute();
    const groups = this.nodeGroupsOf(props, { clusterName: cluster.name, nodeRoleArn: nodes.arn, securityGroupIds: [cluster.vpcConfig.clusterSecurityGroupId, ...(props.nodeSecurityGroupIds ?? [])], dependsOn: beforeCompute });
    // Deployments need nodes to become healthy.
    addons.afterNodes([groups.system.resource, groups.spot.resource], ebsRole.arn);

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.clusterEndpoint = cluster.endpoint;
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.nodeRoleArn = nodes.arn;
    this.secretsKeyArn = key.arn;
    this.nodeGroups = groups;
    this.addons = addons.byName;
  }

  /** The on-demand `system` and the `spot` workload node groups, labelled by role, joining after the networking add-ons. */
  private nodeGroupsOf(props: EksClusterProps, on: NodeGroupPlacement): { system: ManagedNodeGroup; spot: ManagedNodeGroup } {
    const group = (role: "system" | "spot", spec: NodeGroupSpec) =>
      new ManagedNodeGroup(this, role, {
        name: `${props.namePrefix}-${role}`,
        clusterName: on.clusterName,
        nodeRoleArn: on.nodeRoleArn,
        subnetIds: props.subnetIds,
        securityGroupIds: on.securityGroupIds,
        capacityType: role === "spot" ? "SPOT" : "ON_DEMAND",
        instanceTypes: spec.instanceTypes,
        min: spec.min,
        max: spec.max,
        desired: spec.desired,
        diskGiB: spec.diskGiB,
        labels: { "harbor.io/node-role": role },
        parking: props.parking,
        dependsOn: on.dependsOn,
      });
    return { system: group("system", props.nodeGroups.system), spot: group("spot", props.nodeGroups.spot) };
  }
}

/** Where the node groups join: the cluster, the node role, the security groups, what must exist first. */
interface NodeGroupPlacement {
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly securityGroupIds: readonly string[];
  readonly dependsOn: ITerraformDependable[];
}

/** Checks the props up front, one rule per throw. */
function validateEksClusterProps(props: EksClusterProps): void {
  const cidrs = props.publicAccessCidrs ?? [];
  if (!/^1\.\d{2}$/.test(props.version)) throw new Error(`EksCluster: version must be a Kubernetes minor version such as 1.33, got ${props.version}`);
  if (props.subnetIds.length < 2) throw new Error(`EksCluster: subnetIds must list subnets in at least two AZs, got ${props.subnetIds.length}`);
  for (const c of cidrs) {
    const problem = publicAccessCidrProblem(c);
    if (problem) throw new Error(`EksCluster: publicAccessCidrs entry ${c} ${problem}`);
  }
  for (const a of MANAGED_ADDONS) {
    if (!props.addonVersions[a]) throw new Error(`EksCluster: addonVersions must pin ${a}`);
  }
}
