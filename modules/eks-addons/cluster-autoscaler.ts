import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { ADDON_IDENTITIES } from "./identities";
import { Resources } from "./values";

/** Top-level keys of the pinned chart version's values.yaml. */
export const clusterAutoscalerChartKeys = ["affinity", "additionalLabels", "autoDiscovery", "autoscalingGroups", "autoscalingGroupsnamePrefix", "awsAccessKeyID", "awsRegion", "awsSecretAccessKey", "azureClientID", "azureClientSecret", "azureResourceGroup", "azureSubscriptionID", "azureTenantID", "azureUseManagedIdentityExtension", "azureUserAssignedIdentityID", "azureUseWorkloadIdentityExtension", "azureVMType", "azureEnableForceDelete", "civoApiUrl", "civoApiKey", "civoClusterID", "civoRegion", "cloudConfigPath", "cloudProvider", "clusterAPICloudConfigPath", "clusterAPIConfigMapsNamespace", "clusterAPIKubeconfigSecret", "clusterAPIMode", "clusterAPIWorkloadKubeconfigPath", "containerSecurityContext", "deployment", "dnsConfig", "dnsPolicy", "envFromConfigMap", "envFromSecret", "expanderPriorities", "extraArgs", "customArgs", "extraEnv", "extraEnvConfigMaps", "extraEnvSecrets", "extraObjects", "extraVolumeMounts", "extraVolumes", "extraVolumeSecrets", "initContainers", "fullnameOverride", "hostNetwork", "image", "kubeTargetVersionOverride", "kwokConfigMapName", "magnumCABundlePath", "magnumClusterName", "nameOverride", "nodeSelector", "podAnnotations", "podDisruptionBudget", "podLabels", "priorityClassName", "priorityConfigMapAnnotations", "prometheusRule", "rbac", "replicaCount", "resources", "revisionHistoryLimit", "securityContext", "service", "serviceMonitor", "tolerations", "topologySpreadConstraints", "updateStrategy", "vpa", "secretKeyRefNameOverride"] as const;

export const clusterAutoscalerDefaults: ChartDefaults = {
  name: "cluster-autoscaler",
  namespace: ADDON_IDENTITIES.clusterAutoscaler.namespace,
  chart: "cluster-autoscaler",
  repository: "https://kubernetes.github.io/autoscaler",
  // Confirmed in kubernetes/autoscaler charts/cluster-autoscaler/Chart.yaml (version: 9.50.1, commit cb0c862, 2025-08-14); chart repository as above.
  version: "9.50.1",
  knownKeys: clusterAutoscalerChartKeys,
};

/**
 * The autoscaler image minor must match the cluster's: image tag per Kubernetes version. Each is a
 * release tag of kubernetes/autoscaler (cluster-autoscaler-1.32.1, -1.33.0, -1.34.0; the chart
 * 9.50.1's own appVersion is 1.33.0); later patch releases of each line exist.
 */
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
