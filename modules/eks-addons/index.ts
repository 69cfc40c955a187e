/**
 * What the `<env>-addons` stack installs in an EKS cluster: the environment namespace with its
 * guard rails, and one small class per Helm add-on (EKS Blueprints' pattern: pinned chart
 * coordinates in module-level defaults, typed values, a shared base class).
 */
export * from "./identities";
export { HelmAddOn, mergeValues } from "./helm-addon";
export type { HelmAddOnProps, ChartDefaults, DeepPartial } from "./helm-addon";
export { EnvironmentNamespace } from "./namespace";
export type { EnvironmentNamespaceProps, NamespaceQuota } from "./namespace";
export * from "./aws-load-balancer-controller";
export * from "./secrets-store-csi";
export * from "./kube-prometheus-stack";
export * from "./external-dns";
export * from "./cluster-autoscaler";
export * from "./metrics-server";
export { KubernetesWorkload, DEFAULT_RUN_AS_USER, SECRETS_MOUNT_PATH, cpuQuantity, secretName, secretProviderClassName, secretSourceArn, secretProviderObjects } from "./workload";
export type { KubernetesWorkloadProps } from "./workload";
export { ServiceCallPolicies, callPolicyName } from "./call-policies";
export type { ServiceCallPoliciesProps } from "./call-policies";
