import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { ADDON_IDENTITIES } from "./identities";
import { Resources, ServiceAccountValues } from "./values";

/** Top-level keys of the pinned chart version's values.yaml. */
export const awsLoadBalancerControllerChartKeys = [
  "replicaCount", "revisionHistoryLimit", "image", "runtimeClassName", "imagePullSecrets", "nameOverride", "fullnameOverride", "autoscaling", "serviceAccount", "rbac",
  "podSecurityContext", "securityContext", "terminationGracePeriodSeconds", "resources", "priorityClassName", "nodeSelector", "tolerations", "affinity", "configureDefaultAffinity",
  "topologySpreadConstraints", "updateStrategy", "serviceAnnotations", "deploymentAnnotations", "podAnnotations", "podLabels", "additionalLabels", "enableCertManager", "certManager",
  "clusterName", "cluster", "ingressClass", "ingressClassParams", "createIngressClassResource", "region", "vpcId", "vpcTags", "awsApiEndpoints", "awsApiThrottle", "awsMaxRetries",
  "defaultTargetType", "defaultLoadBalancerScheme", "enablePodReadinessGateInject", "enableShield", "enableWaf", "enableWafv2", "ingressMaxConcurrentReconciles", "logLevel",
  "metricsBindAddr", "webhookConfig", "webhookBindPort", "webhookTLS", "keepTLSSecret", "webhookNamespaceSelectors", "serviceMaxConcurrentReconciles",
  "targetgroupbindingMaxConcurrentReconciles", "targetgroupbindingMaxExponentialBackoffDelay", "targetgroupbindingRequeueDuration", "albGatewayMaxConcurrentReconciles",
  "nlbGatewayMaxConcurrentReconciles", "globalAcceleratorMaxConcurrentReconciles", "globalAcceleratorMaxExponentialBackoffDelay", "lbStabilizationMonitorInterval", "syncPeriod",
  "watchNamespace", "disableIngressClassAnnotation", "disableIngressGroupNameAnnotation", "tolerateNonExistentBackendService", "tolerateNonExistentBackendAction", "defaultSSLPolicy",
  "livenessProbe", "readinessProbe", "env", "hostNetwork", "dnsPolicy", "extraVolumeMounts", "extraVolumes", "defaultTags", "podDisruptionBudget", "externalManagedTags",
  "enableEndpointSlices", "enableBackendSecurityGroup", "enableManageBackendSecurityGroupRules", "backendSecurityGroup", "disableRestrictedSecurityGroupRules",
  "maxTargetsPerTargetGroup", "controllerConfig", "certManagement", "certDiscovery", "objectSelector", "serviceMonitor", "clusterSecretsPermissions", "ingressClassConfig",
  "enableServiceMutatorWebhook", "serviceMutatorWebhookConfig", "podMutatorWebhookConfig", "serviceTargetENISGTags", "loadBalancerClass",
] as const;

export const awsLoadBalancerControllerDefaults: ChartDefaults = {
  name: "aws-load-balancer-controller",
  namespace: ADDON_IDENTITIES.loadBalancerController.namespace,
  chart: "aws-load-balancer-controller",
  repository: "https://aws.github.io/eks-charts",
  // Confirmed in aws/eks-charts stable/aws-load-balancer-controller/Chart.yaml (version: 3.5.0,
  // appVersion: v3.5.0, commit 5239609, 2026-08-03), published at the repository above.
  version: "3.5.0",
  knownKeys: awsLoadBalancerControllerChartKeys,
};

export interface AwsLoadBalancerControllerValues {
  readonly clusterName: string;
  /** Given explicitly: pods cannot reach IMDS (hop limit 1), where the controller would look them up. */
  readonly region: string;
  readonly vpcId: string;
  readonly replicaCount: number;
  readonly serviceAccount: ServiceAccountValues;
  /** No IngressClass or IngressClassParams: the platform binds target groups, it creates no Ingress. */
  readonly createIngressClassResource: boolean;
  readonly ingressClassParams: { readonly create: boolean };
  /** Only Services that ask for it by loadBalancerClass; no mutation of every LoadBalancer Service in the cluster. */
  readonly enableServiceMutatorWebhook: boolean;
  /** WAF and Shield are the edge stack's (Terraform); the controller never touches them. */
  readonly enableShield: boolean;
  readonly enableWaf: boolean;
  readonly enableWafv2: boolean;
  readonly resources: Resources;
  readonly podDisruptionBudget: { readonly maxUnavailable: number };
}

export interface AwsLoadBalancerControllerAddOnProps extends HelmAddOnProps<AwsLoadBalancerControllerValues> {
  readonly clusterName: string;
  readonly region: string;
  /** The cluster's VPC. */
  readonly vpcId: string;
}

/**
 * The AWS Load Balancer Controller (kubernetes-sigs/aws-load-balancer-controller, maintained by
 * AWS), used only for its TargetGroupBinding: the environment's ALB, listeners, listener rules and
 * target groups are Terraform's (the edge stack); the controller keeps each target group's
 * registered targets equal to the ready pod IPs behind one Service. It runs with its own Pod
 * Identity role (the platform stack, with the IAM policy the project documents). Its CRDs are part
 * of the chart, so the addons stack (applied before the apps stack) brings them.
 */
export class AwsLoadBalancerControllerAddOn extends HelmAddOn<AwsLoadBalancerControllerValues> {
  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerAddOnProps) {
    const values: AwsLoadBalancerControllerValues = {
      clusterName: props.clusterName,
      region: props.region,
      vpcId: props.vpcId,
      replicaCount: 2,
      serviceAccount: { create: true, name: ADDON_IDENTITIES.loadBalancerController.serviceAccount },
      createIngressClassResource: false,
      ingressClassParams: { create: false },
      enableServiceMutatorWebhook: false,
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      podDisruptionBudget: { maxUnavailable: 1 },
    };
    super(scope, id, awsLoadBalancerControllerDefaults, values, props);
  }
}
