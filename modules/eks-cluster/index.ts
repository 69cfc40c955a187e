import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { customerManagedKey } from "../kms-key";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { ParkingSchedule } from "../parking";
import { ManagedNodeGroup } from "./node-group";
import { ASSUME_WITH_TAGS, serviceTrustPolicy, policyDocument } from "../iam/policy";
import { publicAccessCidrProblem } from "./rules";

export { ManagedNodeGroup } from "./node-group";
export type { ManagedNodeGroupProps, CapacityType } from "./node-group";
export { PodIdentityRole } from "./pod-identity-role";
export type { PodIdentityRoleProps, PolicyStatement } from "./pod-identity-role";

/** The control-plane log types; all are enabled. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Managed add-ons created before any node joins (networking and credentials for the nodes' pods). */
export const BEFORE_COMPUTE_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const;

/** Service account of the EBS CSI controller (the add-on's default). */
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

/** Size and instance types of one node group. */
export interface NodeGroupSpec {
  readonly instanceTypes: readonly string[];
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  /** @default 50 */
  readonly diskGiB?: number;
}

/**
 * The ARN of an IAM principal given as a role name (resolved in `accountId`) or as a full ARN
 * (returned as is, for principals in other accounts).
 */
export function principalArn(nameOrArn: string, accountId: string, partition: string): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn : `arn:${partition}:iam::${accountId}:role/${nameOrArn}`;
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
    const cidrs = props.publicAccessCidrs ?? [];
    if (!/^1\.\d{2}$/.test(props.version)) throw new Error(`EksCluster: version must be a Kubernetes minor version such as 1.33, got ${props.version}`);
    if (props.subnetIds.length < 2) throw new Error(`EksCluster: subnetIds must list subnets in at least two AZs, got ${props.subnetIds.length}`);
    for (const c of cidrs) {
      const problem = publicAccessCidrProblem(c);
      if (problem) throw new Error(`EksCluster: publicAccessCidrs entry ${c} ${problem}`);
    }
    for (const a of ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver"]) {
      if (!props.addonVersions[a]) throw new Error(`EksCluster: addonVersions must pin ${a}`);
    }
    const retention = props.logRetentionDays;
    const name = `${props.namePrefix}-eks`;
    const arn = (service: string, resource: string) => `arn:${props.partition}:${service}::${resource}`;
    const lifecycle = props.protect ? { preventDestroy: true } : undefined;

    // Secrets encryption key: rotates yearly; the account decides through IAM who may use it.
    const key = customerManagedKey(this, {
      description: `${name} Kubernetes secrets encryption`,
      alias: `${name}-secrets`,
      accountId: props.accountId,
      partition: props.partition,
      protect: props.protect,
      ids: { key: "secrets-key", alias: "secrets-key-alias" },
    });

    const clusterRole = new IamRole(this, "cluster-role", {
      name: `${name}-cluster`,
      description: `EKS control plane of ${name}`,
      assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com", { actions: ASSUME_WITH_TAGS }),
    });
    new IamRolePolicyAttachment(this, "cluster-policy", { role: clusterRole.name, policyArn: arn("iam", "aws:policy/AmazonEKSClusterPolicy") });
    new IamRolePolicy(this, "cluster-secrets-key", {
      name: "secrets-encryption",
      role: clusterRole.name,
      policy: policyDocument([{ Sid: "SecretsEnvelopeEncryption", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: key.arn }]),
    });

    // EKS writes to /aws/eks/<name>/cluster; creating it first sets retention and encryption.
    const logGroup = new CloudwatchLogGroup(this, "control-plane-logs", {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: retention,
      kmsKeyId: props.logsKeyArn,
    });

    const cluster = new EksClusterResource(this, "cluster", {
      name,
      version: props.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: cidrs.length > 0,
        publicAccessCidrs: cidrs.length > 0 ? [...cidrs] : undefined,
      },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
      // API mode: access only through access entries (no aws-auth ConfigMap). The deploying
      // principal keeps admin so that the addons and apps stacks can reach the API.
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      // The add-ons are EKS managed add-ons at pinned versions, not the unmanaged defaults.
      bootstrapSelfManagedAddons: false,
      // Standard support only: an unplanned extended-support bill is worse than an upgrade nudge.
      upgradePolicy: { supportType: "STANDARD" },
      dependsOn: [logGroup],
      lifecycle,
    });

    (props.admins ?? []).forEach((admin) => {
      // Keyed by what the config says: a name's address does not depend on the account.
      const key = `admin-${(admin.startsWith("arn:") ? admin.replace(/^arn:[^:]+:iam::/, "") : `role-${admin}`).replace(/[^A-Za-z0-9]+/g, "-")}`;
      const principal = principalArn(admin, props.accountId, props.partition);
      const entry = new EksAccessEntry(this, key, { clusterName: cluster.name, principalArn: principal, type: "STANDARD" });
      new EksAccessPolicyAssociation(this, `${key}-policy`, {
        clusterName: cluster.name,
        principalArn: entry.principalArn,
        policyArn: arn("eks", "aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"),
        accessScope: { type: "cluster" },
      });
    });

    const nodeRole = new IamRole(this, "node-role", {
      name: `${name}-node`,
      description: `EKS managed nodes of ${name}`,
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    for (const [key, policy] of [
      ["node-worker", "AmazonEKSWorkerNodePolicy"],
      ["node-cni", "AmazonEKS_CNI_Policy"],
      ["node-ecr", "AmazonEC2ContainerRegistryReadOnly"],
    ] as const) {
      new IamRolePolicyAttachment(this, key, { role: nodeRole.name, policyArn: arn("iam", `aws:policy/${policy}`) });
    }

    const ebsRole = new IamRole(this, "ebs-csi-role", {
      name: `${name}-ebs-csi`,
      description: `EKS Pod Identity: kube-system/${EBS_CSI_SERVICE_ACCOUNT}`,
      assumeRolePolicy: serviceTrustPolicy("pods.eks.amazonaws.com", { actions: ASSUME_WITH_TAGS }),
    });
    new IamRolePolicyAttachment(this, "ebs-csi-policy", { role: ebsRole.name, policyArn: arn("iam", "aws:policy/service-role/AmazonEBSCSIDriverPolicy") });

    const addon = (addonName: string, dependsOn: ITerraformDependable[] | undefined, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}) =>
      new EksAddon(this, `addon-${addonName}`, {
        clusterName: cluster.name,
        addonName,
        addonVersion: props.addonVersions[addonName],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        dependsOn,
        ...extra,
      });
    const addons: Record<string, EksAddon> = {};
    for (const a of BEFORE_COMPUTE_ADDONS) {
      // The VPC CNI enforces Kubernetes NetworkPolicies (the namespaces' default-deny) only when asked.
      addons[a] = addon(a, undefined, a === "vpc-cni" ? { configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) } : {});
    }

    const nodeSgs = [cluster.vpcConfig.clusterSecurityGroupId, ...(props.nodeSecurityGroupIds ?? [])];
    const group = (role: "system" | "spot", spec: NodeGroupSpec) =>
      new ManagedNodeGroup(this, role, {
        name: `${props.namePrefix}-${role}`,
        clusterName: cluster.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds: props.subnetIds,
        securityGroupIds: nodeSgs,
        capacityType: role === "spot" ? "SPOT" : "ON_DEMAND",
        instanceTypes: spec.instanceTypes,
        min: spec.min,
        max: spec.max,
        desired: spec.desired,
        diskGiB: spec.diskGiB,
        labels: { "harbor.io/node-role": role },
        parking: props.parking,
        dependsOn: BEFORE_COMPUTE_ADDONS.map((a) => addons[a]),
      });
    const system = group("system", props.nodeGroups.system);
    const spot = group("spot", props.nodeGroups.spot);

    // Deployments need nodes to become healthy.
    const afterNodes = [system.resource, spot.resource];
    addons["coredns"] = addon("coredns", afterNodes);
    addons["aws-ebs-csi-driver"] = addon("aws-ebs-csi-driver", afterNodes, {
      podIdentityAssociation: [{ roleArn: ebsRole.arn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }],
    });

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.clusterEndpoint = cluster.endpoint;
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.nodeRoleArn = nodeRole.arn;
    this.secretsKeyArn = key.arn;
    this.nodeGroups = { system, spot };
    this.addons = addons;
  }
}
