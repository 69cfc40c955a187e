import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { Resources } from "./values";

/** Top-level keys of the pinned chart version's values.yaml. */
export const metricsServerChartKeys = ["image", "imagePullSecrets", "nameOverride", "fullnameOverride", "serviceAccount", "rbac", "apiService", "commonLabels", "podLabels", "podAnnotations", "podSecurityContext", "securityContext", "priorityClassName", "containerPort", "hostNetwork", "replicas", "revisionHistoryLimit", "updateStrategy", "podDisruptionBudget", "defaultArgs", "args", "livenessProbe", "readinessProbe", "service", "addonResizer", "metrics", "serviceMonitor", "resources", "extraVolumeMounts", "extraVolumes", "nodeSelector", "tolerations", "affinity", "topologySpreadConstraints", "dnsConfig", "deploymentAnnotations", "schedulerName", "tmpVolume", "tls"] as const;

export const metricsServerDefaults: ChartDefaults = {
  name: "metrics-server",
  namespace: "kube-system",
  chart: "metrics-server",
  repository: "https://kubernetes-sigs.github.io/metrics-server/",
  // Confirmed in kubernetes-sigs/metrics-server charts/metrics-server/Chart.yaml (version: 3.13.0, commit e8b1075, 2025-07-15); chart repository as above.
  version: "3.13.0",
  knownKeys: metricsServerChartKeys,
};

export interface MetricsServerValues {
  readonly replicas: number;
  readonly args: readonly string[];
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable: number };
  readonly resources: Resources;
}

/** metrics-server: the resource metrics API the HorizontalPodAutoscalers read. Two replicas, a PDB. */
export class MetricsServerAddOn extends HelmAddOn<MetricsServerValues> {
  constructor(scope: Construct, id: string, props: HelmAddOnProps<MetricsServerValues> = {}) {
    const values: MetricsServerValues = {
      replicas: 2,
      args: ["--kubelet-preferred-address-types=InternalIP"],
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      resources: { requests: { cpu: "100m", memory: "200Mi" } },
    };
    super(scope, id, metricsServerDefaults, values, props);
  }
}
