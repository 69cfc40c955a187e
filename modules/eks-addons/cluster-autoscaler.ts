import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { ADDON_IDENTITIES } from "./identities";
import { Resources } from "./values";

export const clusterAutoscalerDefaults: ChartDefaults = {
  name: "cluster-autoscaler",
  namespace: ADDON_IDENTITIES.clusterAutoscaler.namespace,
  chart: "cluster-autoscaler",
  repository: "https://kubernetes.github.io/autoscaler",
  version: "9.50.1",
};

/** The autoscaler image minor must match the cluster's: image tag per Kubernetes version. */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
  "1.32": "v1.32.1",
  "1.33": "v1.33.0",
  "1.34": "v1.34.0",
};

export interface ClusterAutoscalerValues {
  readonly cloudProvider: "aws";
  readonly awsRegion: string;
  readonly autoDiscovery: { readonly clusterName: string };
  readonly image: { readonly tag: string };
  readonly rbac: { readonly serviceAccount: { readonly create: boolean; readonly name: string } };
  readonly extraArgs: Readonly<Record<string, string | boolean>>;
  readonly resources: Resources;
}

export interface ClusterAutoscalerAddOnProps extends HelmAddOnProps<ClusterAutoscalerValues> {
  readonly clusterName: string;
  readonly region: string;
  readonly kubernetesVersion: string;
}

/**
 * cluster-autoscaler (chosen over Karpenter): it scales the managed node groups' own auto scaling
 * groups, found by the tags EKS puts on them, so the node groups, their launch templates and the
 * shared parking schedules stay the single source of capacity; Karpenter would launch nodes
 * outside any ASG, which neither parking nor the ALB target-group attachment would see.
 */
export class ClusterAutoscalerAddOn extends HelmAddOn<ClusterAutoscalerValues> {
  constructor(scope: Construct, id: string, props: ClusterAutoscalerAddOnProps) {
    const tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[props.kubernetesVersion];
    if (!tag) throw new Error(`ClusterAutoscalerAddOn: no autoscaler image for Kubernetes ${props.kubernetesVersion}; known: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}`);
    const values: ClusterAutoscalerValues = {
      cloudProvider: "aws",
      awsRegion: props.region,
      autoDiscovery: { clusterName: props.clusterName },
      image: { tag },
      rbac: { serviceAccount: { create: true, name: ADDON_IDENTITIES.clusterAutoscaler.serviceAccount } },
      extraArgs: {
        "balance-similar-node-groups": true,
        "skip-nodes-with-system-pods": false,
        expander: "least-waste",
        "scale-down-unneeded-time": "10m",
      },
      resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
    };
    super(scope, id, clusterAutoscalerDefaults, values, props);
  }
}
