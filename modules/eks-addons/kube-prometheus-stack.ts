import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { MONITORING_NAMESPACE } from "./identities";
import { PvcTemplate, Resources } from "./values";

/** Top-level keys of the pinned chart version's values.yaml. */
export const kubePrometheusStackChartKeys = ["nameOverride", "namespaceOverride", "kubeTargetVersionOverride", "kubeVersionOverride", "fullnameOverride", "commonLabels", "crds", "customRules", "defaultRules", "additionalPrometheusRulesMap", "global", "windowsMonitoring", "prometheus-windows-exporter", "alertmanager", "grafana", "kubernetesServiceMonitors", "kubeApiServer", "kubelet", "kubeControllerManager", "coreDns", "kubeDns", "kubeEtcd", "kubeScheduler", "kubeProxy", "kubeStateMetrics", "kube-state-metrics", "nodeExporter", "prometheus-node-exporter", "prometheusOperator", "prometheus", "thanosRuler", "cleanPrometheusOperatorObjectNames", "extraManifests"] as const;

export const kubePrometheusStackDefaults: ChartDefaults = {
  name: "kube-prometheus-stack",
  namespace: MONITORING_NAMESPACE,
  chart: "kube-prometheus-stack",
  repository: "https://prometheus-community.github.io/helm-charts",
  // Confirmed in prometheus-community/helm-charts charts/kube-prometheus-stack/Chart.yaml (version: 77.14.0, commit 727ebf9, 2025-10-07); chart repository as above.
  version: "77.14.0",
  knownKeys: kubePrometheusStackChartKeys,
};

export interface KubePrometheusStackValues {
  readonly prometheus: {
    readonly prometheusSpec: {
      readonly retention: string;
      readonly retentionSize: string;
      readonly replicas: number;
      readonly resources: Resources;
      /** Pick up ServiceMonitors and PodMonitors of every release and namespace. */
      readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
      readonly podMonitorSelectorNilUsesHelmValues: boolean;
      readonly storageSpec: { readonly volumeClaimTemplate: PvcTemplate };
    };
  };
  readonly alertmanager: {
    readonly alertmanagerSpec: { readonly retention: string; readonly storage: { readonly volumeClaimTemplate: PvcTemplate } };
  };
  readonly grafana: {
    /** Empty: the Grafana chart generates a random admin password into its Secret (no literal here). */
    readonly adminPassword: string;
    readonly persistence: { readonly enabled: boolean; readonly type: "pvc"; readonly storageClassName: string; readonly size: string; readonly accessModes: readonly ["ReadWriteOnce"] };
    readonly defaultDashboardsEnabled: boolean;
  };
}

export interface KubePrometheusStackAddOnProps extends HelmAddOnProps<KubePrometheusStackValues> {
  /** StorageClass of every volume (encrypted gp3). */
  readonly storageClass: string;
  /** Prometheus retention. @default "15d" */
  readonly retention?: string;
  /** Prometheus volume size. @default "50Gi" */
  readonly prometheusStorage?: string;
}

const pvc = (storageClassName: string, storage: string): PvcTemplate => ({
  spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage } } },
});

/** Parses a Kubernetes size like 50Gi into GiB. */
function gib(size: string): number {
  const m = /^(\d+)(Gi|Ti)$/.exec(size);
  if (!m) throw new Error(`KubePrometheusStackAddOn: prometheusStorage must be a size in Gi or Ti such as 50Gi, got ${size}`);
  return Number(m[1]) * (m[2] === "Ti" ? 1024 : 1);
}

/**
 * Prometheus, Alertmanager and Grafana (kube-prometheus-stack) with persistent encrypted volumes:
 * Prometheus keeps `retention` (15 days) and never more than 90% of its volume (retentionSize),
 * Alertmanager 5 days of silences and notifications, Grafana its dashboards and users.
 */
export class KubePrometheusStackAddOn extends HelmAddOn<KubePrometheusStackValues> {
  constructor(scope: Construct, id: string, props: KubePrometheusStackAddOnProps) {
    const retention = props.retention ?? "15d";
    if (!/^\d+[hdwy]$/.test(retention)) throw new Error(`KubePrometheusStackAddOn: retention must be a Prometheus duration such as 15d, got ${retention}`);
    const storage = props.prometheusStorage ?? "50Gi";
    const values: KubePrometheusStackValues = {
      prometheus: {
        prometheusSpec: {
          retention,
          // Leave headroom on the volume: size-based retention kicks in before the disk fills.
          retentionSize: `${Math.floor(gib(storage) * 0.9)}GB`,
          replicas: 1,
          resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } },
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          storageSpec: { volumeClaimTemplate: pvc(props.storageClass, storage) },
        },
      },
      alertmanager: { alertmanagerSpec: { retention: "120h", storage: { volumeClaimTemplate: pvc(props.storageClass, "10Gi") } } },
      grafana: {
        adminPassword: "",
        persistence: { enabled: true, type: "pvc", storageClassName: props.storageClass, size: "10Gi", accessModes: ["ReadWriteOnce"] },
        defaultDashboardsEnabled: true,
      },
    };
    super(scope, id, kubePrometheusStackDefaults, values, props);
  }
}
