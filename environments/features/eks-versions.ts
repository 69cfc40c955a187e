/** The Kubernetes versions an EKS environment may run, and the managed add-on versions pinned for each. */
import type { ManagedAddon } from "../../lib/eks-addons";

/** Kubernetes versions EKS supports (standard support) that this project accepts. */
export const EKS_VERSIONS = ["1.32", "1.33", "1.34"] as const;
export type EksVersion = (typeof EKS_VERSIONS)[number];
/** The default cluster version. */
export const DEFAULT_EKS_VERSION: EksVersion = "1.33";

/** The EKS managed add-ons every cluster gets (one list for the schema and the cluster module). */
export { MANAGED_ADDONS, type ManagedAddon } from "../../lib/eks-addons";

/**
 * Pinned managed add-on versions per Kubernetes version (`aws eks describe-addon-versions
 * --kubernetes-version <v> --addon-name <name>`). kube-proxy follows the cluster's minor version.
 *
 * Where they were checked: the AWS compatibility tables, "latest version of the Amazon EKS add-on
 * type for each Kubernetes version", in the EKS User Guide pages managing-vpc-cni (vpc-cni v1.20.1
 * for 1.27-1.33), managing-coredns (coredns v1.11.4 for 1.29-1.32, v1.12.x for 1.33-1.34),
 * managing-kube-proxy (kube-proxy v1.<minor>.x per cluster minor), eks-pod-identity-agent and
 * the EBS CSI driver page. Those tables list the newest eksbuild of each line and move on; the
 * exact `-eksbuild.N` pins below were not in the copies available when this comment was written,
 * so confirm each with `describe-addon-versions` before an upgrade (the minor lines match).
 */
export const DEFAULT_ADDON_VERSIONS: Readonly<Record<EksVersion, Readonly<Record<ManagedAddon, string>>>> = {
  "1.32": {
    "vpc-cni": "v1.20.1-eksbuild.1",
    coredns: "v1.11.4-eksbuild.14",
    "kube-proxy": "v1.32.6-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "aws-ebs-csi-driver": "v1.46.0-eksbuild.1",
  },
  "1.33": {
    "vpc-cni": "v1.20.1-eksbuild.1",
    coredns: "v1.12.2-eksbuild.4",
    "kube-proxy": "v1.33.3-eksbuild.4",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "aws-ebs-csi-driver": "v1.46.0-eksbuild.1",
  },
  "1.34": {
    "vpc-cni": "v1.20.1-eksbuild.1",
    coredns: "v1.12.3-eksbuild.1",
    "kube-proxy": "v1.34.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "aws-ebs-csi-driver": "v1.48.0-eksbuild.2",
  },
};
