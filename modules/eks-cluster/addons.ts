import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EBS_CSI_SERVICE_ACCOUNT } from "./iam-roles";

/** The cluster's EKS managed add-ons at pinned versions: some before any node joins, the rest once nodes are up. */

/** Managed add-ons created before any node joins (networking and credentials for the nodes' pods). */
export const BEFORE_COMPUTE_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const;

/** Every managed add-on the cluster has (lib/eks-addons.ts); each must be pinned in `addonVersions`. */
export { MANAGED_ADDONS } from "../../lib/eks-addons";

type AddonConfig = ConstructorParameters<typeof EksAddon>[2];

/** Creates the add-ons of one cluster, each `addon-<name>` in `scope`, at its pinned version. */
export class ManagedAddons {
  /** The add-ons created so far, by name. */
  public readonly byName: Record<string, EksAddon> = {};

  constructor(
    private readonly scope: Construct,
    private readonly clusterName: string,
    private readonly versions: Readonly<Record<string, string>>,
  ) {}

  /** The networking and credentials add-ons the nodes' pods need (the VPC CNI with NetworkPolicy enforcement). */
  beforeCompute(): EksAddon[] {
    for (const a of BEFORE_COMPUTE_ADDONS) {
      // The VPC CNI enforces Kubernetes NetworkPolicies (the namespaces' default-deny) only when asked.
      this.add(a, undefined, a === "vpc-cni" ? { configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) } : {});
    }
    return BEFORE_COMPUTE_ADDONS.map((a) => this.byName[a]);
  }

  /** CoreDNS and the EBS CSI driver (its role through EKS Pod Identity): Deployments, which need nodes to become healthy. */
  afterNodes(afterNodes: ITerraformDependable[], ebsCsiRoleArn: string): void {
    this.add("coredns", afterNodes);
    this.add("aws-ebs-csi-driver", afterNodes, {
      podIdentityAssociation: [{ roleArn: ebsCsiRoleArn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }],
    });
  }

  private add(addonName: string, dependsOn: ITerraformDependable[] | undefined, extra: Partial<AddonConfig> = {}): void {
    this.byName[addonName] = new EksAddon(this.scope, `addon-${addonName}`, {
      clusterName: this.clusterName,
      addonName,
      addonVersion: this.versions[addonName],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      dependsOn,
      ...extra,
    });
  }
}
