import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { Resources } from "./values";

/** Top-level keys of the pinned chart version's values.yaml. */
export const secretsStoreCsiAwsChartKeys = [
  "image", "awsRegion", "nameOverride", "fullnameOverride", "providerVolume", "kubeletPath", "driverWritesSecrets", "commonLabels", "podLabels", "podAnnotations", "affinity",
  "resources", "priorityClassName", "nodeSelector", "tolerations", "port", "updateStrategy", "imagePullSecrets", "rbac", "securityContext", "useFipsEndpoint",
  "podIdentityHttpTimeout", "dnsConfig", "secrets-store-csi-driver",
] as const;

/**
 * Keys the bundled `secrets-store-csi-driver` sub-chart (kubernetes-sigs/secrets-store-csi-driver
 * charts/secrets-store-csi-driver 1.6.0, commit 7273782) defines at its top level, plus the
 * parent's `install` switch and the `fullnameOverride` every chart accepts.
 */
export const secretsStoreCsiDriverChartKeys = [
  "install", "fullnameOverride", "linux", "windows", "logVerbosity", "logFormatJSON", "livenessProbe", "maxCallRecvMsgSize", "rbac", "syncSecret", "enableSecretRotation",
  "rotationPollInterval", "providerHealthCheck", "providerHealthCheckInterval", "imagePullSecrets", "tokenRequests", "automountServiceAccountToken", "commonLabels",
] as const;

export const secretsStoreCsiAwsDefaults: ChartDefaults = {
  name: "secrets-store-csi-driver-provider-aws",
  namespace: "kube-system",
  chart: "secrets-store-csi-driver-provider-aws",
  repository: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
  // Confirmed in aws/secrets-store-csi-driver-provider-aws charts/secrets-store-csi-driver-provider-aws/Chart.yaml
  // (version: 3.1.1, commit 5f47771, 2026-06-01), published at the repository above; it bundles
  // the Secrets Store CSI driver chart (kubernetes-sigs, "^1" from its charts repository).
  version: "3.1.1",
  knownKeys: secretsStoreCsiAwsChartKeys,
};

export interface SecretsStoreCsiAwsValues {
  readonly resources: Resources;
  readonly "secrets-store-csi-driver": {
    /** Install the CSI driver itself with the provider (one release, one version pin). */
    readonly install: boolean;
    /**
     * The driver creates the Kubernetes Secret a SecretProviderClass's `secretObjects` describe
     * when a pod mounts the volume, so the Deployment reads it with `secretKeyRef` (environment
     * variables, as on ECS).
     */
    readonly syncSecret: { readonly enabled: boolean };
    /** Service account tokens the driver passes to the provider: EKS Pod Identity's audience. */
    readonly tokenRequests: readonly { readonly audience: string }[];
  };
}

/**
 * The Secrets Store CSI driver with the AWS provider (ASCP): a pod whose service account has an
 * EKS Pod Identity role mounts its SSM parameters and Secrets Manager secrets, read with that
 * role (so each service reads only its own), and the driver mirrors them into a Kubernetes Secret
 * of the pod's namespace for environment variables.
 */
export class SecretsStoreCsiAwsAddOn extends HelmAddOn<SecretsStoreCsiAwsValues> {
  constructor(scope: Construct, id: string, props: HelmAddOnProps<SecretsStoreCsiAwsValues> = {}) {
    const values: SecretsStoreCsiAwsValues = {
      resources: { requests: { cpu: "50m", memory: "100Mi" }, limits: { memory: "256Mi" } },
      "secrets-store-csi-driver": {
        install: true,
        syncSecret: { enabled: true },
        tokenRequests: [{ audience: "pods.eks.amazonaws.com" }],
      },
    };
    super(scope, id, secretsStoreCsiAwsDefaults, values, props);
    const sub = Object.keys(this.values["secrets-store-csi-driver"] ?? {}).filter((k) => !(secretsStoreCsiDriverChartKeys as readonly string[]).includes(k));
    if (sub.length) throw new Error(`SecretsStoreCsiAwsAddOn: values key secrets-store-csi-driver.${sub.join(", secrets-store-csi-driver.")} not defined by the bundled secrets-store-csi-driver chart (its top-level keys: ${secretsStoreCsiDriverChartKeys.join(", ")})`);
  }
}
