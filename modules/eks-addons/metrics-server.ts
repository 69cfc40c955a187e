import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { Resources } from "./values";

export const metricsServerDefaults: ChartDefaults = {
  name: "metrics-server",
  namespace: "kube-system",
  chart: "metrics-server",
  repository: "https://kubernetes-sigs.github.io/metrics-server/",
  version: "3.13.0",
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
