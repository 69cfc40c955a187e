import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ASSUME_WITH_TAGS, serviceTrustPolicy, policyDocument } from "../iam/policy";

/** The IAM roles of an EKS cluster: the control plane's, the nodes', and the EBS CSI driver's (EKS Pod Identity). */

/** Service account of the EBS CSI controller (the add-on's default). */
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

/** The ARN of an AWS-owned resource (`aws:policy/...`, `aws:cluster-access-policy/...`) in `partition`. */
export function awsArn(partition: string, service: string, resource: string): string {
  return `arn:${partition}:${service}::${resource}`;
}

/** The control plane's role: AmazonEKSClusterPolicy, and use of the secrets key for envelope encryption. */
export function clusterRole(scope: Construct, name: string, partition: string, secretsKeyArn: string): IamRole {
  const role = new IamRole(scope, "cluster-role", {
    name: `${name}-cluster`,
    description: `EKS control plane of ${name}`,
    assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com", { actions: ASSUME_WITH_TAGS }),
  });
  new IamRolePolicyAttachment(scope, "cluster-policy", { role: role.name, policyArn: awsArn(partition, "iam", "aws:policy/AmazonEKSClusterPolicy") });
  new IamRolePolicy(scope, "cluster-secrets-key", {
    name: "secrets-encryption",
    role: role.name,
    policy: policyDocument([{ Sid: "SecretsEnvelopeEncryption", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: secretsKeyArn }]),
  });
  return role;
}

/** The managed nodes' role: worker, CNI and ECR read-only policies. */
export function nodeRole(scope: Construct, name: string, partition: string): IamRole {
  const role = new IamRole(scope, "node-role", {
    name: `${name}-node`,
    description: `EKS managed nodes of ${name}`,
    assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
  });
  for (const [key, policy] of [
    ["node-worker", "AmazonEKSWorkerNodePolicy"],
    ["node-cni", "AmazonEKS_CNI_Policy"],
    ["node-ecr", "AmazonEC2ContainerRegistryReadOnly"],
  ] as const) {
    new IamRolePolicyAttachment(scope, key, { role: role.name, policyArn: awsArn(partition, "iam", `aws:policy/${policy}`) });
  }
  return role;
}

/** The EBS CSI controller's role, assumed through EKS Pod Identity. */
export function ebsCsiRole(scope: Construct, name: string, partition: string): IamRole {
  const role = new IamRole(scope, "ebs-csi-role", {
    name: `${name}-ebs-csi`,
    description: `EKS Pod Identity: kube-system/${EBS_CSI_SERVICE_ACCOUNT}`,
    assumeRolePolicy: serviceTrustPolicy("pods.eks.amazonaws.com", { actions: ASSUME_WITH_TAGS }),
  });
  new IamRolePolicyAttachment(scope, "ebs-csi-policy", { role: role.name, policyArn: awsArn(partition, "iam", "aws:policy/service-role/AmazonEBSCSIDriverPolicy") });
  return role;
}
