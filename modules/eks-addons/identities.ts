/**
 * Where each add-on that calls AWS runs: namespace and service account. The platform stack
 * associates an IAM role with each through EKS Pod Identity; the addons stack installs the chart
 * with exactly this service account. One table so that the two cannot drift apart.
 */
export const ADDON_IDENTITIES = {
  clusterAutoscaler: { namespace: "kube-system", serviceAccount: "cluster-autoscaler" },
  externalDns: { namespace: "external-dns", serviceAccount: "external-dns" },
} as const;

/** Namespace of the ingress controller. */
export const INGRESS_NAMESPACE = "ingress-nginx";
/** Namespace of kube-prometheus-stack. */
export const MONITORING_NAMESPACE = "monitoring";
/** Ingress class of the controller; every app Ingress names it. */
export const INGRESS_CLASS = "nginx";
/** Path the ALB target group health-checks on the controller's NodePort (served by its default server). */
export const INGRESS_HEALTH_PATH = "/healthz";
