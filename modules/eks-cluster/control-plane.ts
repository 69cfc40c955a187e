import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { awsArn } from "./iam-roles";
import type { EksClusterProps } from "./index";

/** The EKS control plane: its log group, the cluster resource, and the admins' access entries. */

/** The control-plane log types; all are enabled. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * The ARN of an IAM principal given as a role name (resolved in `accountId`) or as a full ARN
 * (returned as is, for principals in other accounts).
 */
export function principalArn(nameOrArn: string, accountId: string, partition: string): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn : `arn:${partition}:iam::${accountId}:role/${nameOrArn}`;
}

/** What the control plane is built from besides the props. */
export interface ControlPlaneInputs {
  /** The cluster name, `<prefix>-eks`. */
  readonly name: string;
  readonly roleArn: string;
  readonly secretsKeyArn: string;
}

/**
 * The cluster in private subnets (public endpoint only from the listed CIDRs), all control-plane
 * logs into a log group created first, secrets envelope-encrypted, `API` authentication mode.
 */
export function controlPlane(scope: Construct, props: EksClusterProps, { name, roleArn, secretsKeyArn }: ControlPlaneInputs): EksClusterResource {
  const cidrs = props.publicAccessCidrs ?? [];
  // EKS writes to /aws/eks/<name>/cluster; creating it first sets retention and encryption.
  const logGroup = new CloudwatchLogGroup(scope, "control-plane-logs", {
    name: `/aws/eks/${name}/cluster`,
    retentionInDays: props.logRetentionDays,
    kmsKeyId: props.logsKeyArn,
  });

  return new EksClusterResource(scope, "cluster", {
    name,
    version: props.version,
    roleArn,
    vpcConfig: {
      subnetIds: [...props.subnetIds],
      endpointPrivateAccess: true,
      endpointPublicAccess: cidrs.length > 0,
      publicAccessCidrs: cidrs.length > 0 ? [...cidrs] : undefined,
    },
    enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKeyArn } },
    // API mode: access only through access entries (no aws-auth ConfigMap). The deploying
    // principal keeps admin so that the addons and apps stacks can reach the API.
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
    // The add-ons are EKS managed add-ons at pinned versions, not the unmanaged defaults.
    bootstrapSelfManagedAddons: false,
    // Standard support only: an unplanned extended-support bill is worse than an upgrade nudge.
    upgradePolicy: { supportType: "STANDARD" },
    dependsOn: [logGroup],
    lifecycle: props.protect ? { preventDestroy: true } : undefined,
  });
}

/** An access entry with AmazonEKSClusterAdminPolicy for each of `props.admins`. */
export function adminAccessEntries(scope: Construct, clusterName: string, props: EksClusterProps): void {
  (props.admins ?? []).forEach((admin) => {
    // Keyed by what the config says: a name's address does not depend on the account.
    const key = `admin-${(admin.startsWith("arn:") ? admin.replace(/^arn:[^:]+:iam::/, "") : `role-${admin}`).replace(/[^A-Za-z0-9]+/g, "-")}`;
    const principal = principalArn(admin, props.accountId, props.partition);
    const entry = new EksAccessEntry(scope, key, { clusterName, principalArn: principal, type: "STANDARD" });
    new EksAccessPolicyAssociation(scope, `${key}-policy`, {
      clusterName,
      principalArn: entry.principalArn,
      policyArn: awsArn(props.partition, "eks", "aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"),
      accessScope: { type: "cluster" },
    });
  });
}
