/**
 * Where each add-on that calls AWS runs: namespace and service account. The platform stack
 * associates an IAM role with each through EKS Pod Identity; the addons stack installs the chart
 * with exactly this service account. One table so that the two cannot drift apart.
 */
export const ADDON_IDENTITIES = {
  clusterAutoscaler: { namespace: "kube-system", serviceAccount: "cluster-autoscaler" },
  externalDns: { namespace: "external-dns", serviceAccount: "external-dns" },
  loadBalancerController: { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" },
} as const;

/** Namespace of kube-prometheus-stack. */
export const MONITORING_NAMESPACE = "monitoring";
/**
 * Namespace label that makes the AWS Load Balancer Controller inject a readiness gate into every
 * pod bound to a target group: a rolling update waits until the new pod is healthy in the ALB.
 */
export const READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";
/** The Secrets Store CSI driver's name (the `csi.driver` of a secrets volume). */
export const SECRETS_STORE_CSI_DRIVER = "secrets-store.csi.k8s.io";
