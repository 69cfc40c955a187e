/**
 * The EKS managed add-ons every cluster gets: the environment schema pins a version for each
 * (environments/features/eks-versions.ts) and the cluster module creates each
 * (modules/eks-cluster/addons.ts), so the list lives here, once.
 */
export const MANAGED_ADDONS = ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver"] as const;
export type ManagedAddon = (typeof MANAGED_ADDONS)[number];
