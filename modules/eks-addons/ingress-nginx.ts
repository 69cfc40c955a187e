import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { INGRESS_CLASS, INGRESS_NAMESPACE } from "./identities";
import { Resources } from "./values";

export const ingressNginxDefaults: ChartDefaults = {
  name: "ingress-nginx",
  namespace: INGRESS_NAMESPACE,
  chart: "ingress-nginx",
  repository: "https://kubernetes.github.io/ingress-nginx",
  version: "4.13.3",
};

export interface IngressNginxValues {
  readonly controller: {
    readonly replicaCount: number;
    readonly ingressClass: string;
    readonly ingressClassResource: { readonly name: string; readonly enabled: boolean; readonly default: boolean; readonly controllerValue: string };
    readonly service: {
      readonly type: "NodePort";
      readonly externalTrafficPolicy: "Cluster" | "Local";
      readonly enableHttps: boolean;
      readonly nodePorts: { readonly http: number };
    };
    /** The ingress-nginx ConfigMap: strings only. */
    readonly config: Readonly<Record<string, string>>;
    readonly extraArgs: Readonly<Record<string, string>>;
    readonly metrics: { readonly enabled: boolean; readonly serviceMonitor: { readonly enabled: boolean } };
    readonly resources: Resources;
    readonly minAvailable: number;
    readonly topologySpreadConstraints: readonly {
      readonly maxSkew: number;
      readonly topologyKey: string;
      readonly whenUnsatisfiable: "ScheduleAnyway" | "DoNotSchedule";
      readonly labelSelector: { readonly matchLabels: Readonly<Record<string, string>> };
    }[];
  };
}

export interface IngressNginxAddOnProps extends HelmAddOnProps<IngressNginxValues> {
  /** The fixed NodePort the ALB target group forwards to (30000-32767). */
  readonly nodePort: number;
  /** VPC CIDR: the ALB's addresses, trusted for X-Forwarded-For. */
  readonly vpcCidr: string;
  /** Address written into every Ingress's status (external-dns points names at it). @default none */
  readonly publishStatusAddress?: string;
  /** Controller replicas. @default 2 */
  readonly replicas?: number;
}

/**
 * ingress-nginx behind the environment's ALB: a NodePort service on a fixed port (the ALB target
 * group's port) so that CloudFront -> ALB -> nodes -> controller -> Service needs no manual
 * step; TLS ends at the ALB, so only HTTP is exposed; forwarded headers from the VPC are trusted.
 */
export class IngressNginxAddOn extends HelmAddOn<IngressNginxValues> {
  constructor(scope: Construct, id: string, props: IngressNginxAddOnProps) {
    if (!Number.isInteger(props.nodePort) || props.nodePort < 30000 || props.nodePort > 32767) {
      throw new Error(`IngressNginxAddOn: nodePort must be a NodePort (30000-32767), got ${props.nodePort}`);
    }
    const replicas = props.replicas ?? 2;
    const values: IngressNginxValues = {
      controller: {
        replicaCount: replicas,
        ingressClass: INGRESS_CLASS,
        ingressClassResource: { name: INGRESS_CLASS, enabled: true, default: false, controllerValue: "k8s.io/ingress-nginx" },
        service: { type: "NodePort", externalTrafficPolicy: "Cluster", enableHttps: false, nodePorts: { http: props.nodePort } },
        config: {
          "use-forwarded-headers": "true",
          "compute-full-forwarded-for": "true",
          "proxy-real-ip-cidr": props.vpcCidr,
          "server-tokens": "false",
          "ssl-redirect": "false",
          "allow-snippet-annotations": "false",
        },
        extraArgs: props.publishStatusAddress ? { "publish-status-address": props.publishStatusAddress } : {},
        metrics: { enabled: true, serviceMonitor: { enabled: true } },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        minAvailable: Math.max(1, replicas - 1),
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" } } },
        ],
      },
    };
    super(scope, id, ingressNginxDefaults, values, props);
  }
}
