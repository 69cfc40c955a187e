import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { ASSUME_WITH_TAGS, IdentityPolicyStatement, policyDocument, serviceTrustPolicy } from "../iam/policy";

/** One statement of the role's policy (named, scoped to resources). */
export type PolicyStatement = IdentityPolicyStatement;

export interface PodIdentityRoleProps {
  /** Physical name of the role, `<project>-<env>-<role>`. */
  readonly name: string;
  readonly clusterName: string;
  /** Namespace and service account whose pods get the role. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The role's inline policy statements. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: trusted only by
 * `pods.eks.amazonaws.com` (AssumeRole + TagSession) and associated with exactly one namespace and
 * service account of one cluster. No OIDC provider or annotations needed.
 */
export class PodIdentityRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    if (props.statements.length === 0) throw new Error(`PodIdentityRole ${props.name}: statements must not be empty`);
    if (props.name.length > 64) throw new Error(`PodIdentityRole: name must be at most 64 characters, got ${props.name} (${props.name.length})`);
    const role = new IamRole(this, "role", {
      name: props.name,
      description: `EKS Pod Identity: ${props.namespace}/${props.serviceAccount}`,
      assumeRolePolicy: serviceTrustPolicy("pods.eks.amazonaws.com", { sid: "EksPodIdentity", actions: ASSUME_WITH_TAGS }),
    });
    new IamRolePolicy(this, "policy", {
      name: "least-privilege",
      role: role.name,
      policy: policyDocument(props.statements),
    });
    new EksPodIdentityAssociation(this, "association", {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: role.arn,
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
