import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";
import { ADDON_IDENTITIES } from "./identities";
import { ServiceAccountValues } from "./values";

/** Top-level keys of the pinned chart version's values.yaml. */
export const externalDnsChartKeys = ["global", "image", "imagePullSecrets", "nameOverride", "fullnameOverride", "commonLabels", "serviceAccount", "service", "rbac", "deploymentAnnotations", "extraContainers", "deploymentStrategy", "revisionHistoryLimit", "podLabels", "podAnnotations", "automountServiceAccountToken", "shareProcessNamespace", "podSecurityContext", "priorityClassName", "terminationGracePeriodSeconds", "dnsPolicy", "dnsConfig", "initContainers", "securityContext", "env", "livenessProbe", "readinessProbe", "extraVolumes", "extraVolumeMounts", "resources", "nodeSelector", "affinity", "topologySpreadConstraints", "tolerations", "serviceMonitor", "logLevel", "logFormat", "interval", "triggerLoopOnEvent", "namespaced", "gatewayNamespace", "sources", "policy", "registry", "txtOwnerId", "txtPrefix", "txtSuffix", "domainFilters", "excludeDomains", "labelFilter", "annotationFilter", "managedRecordTypes", "provider", "extraArgs", "secretConfiguration", "enabled"] as const;

export const externalDnsDefaults: ChartDefaults = {
  name: "external-dns",
  namespace: ADDON_IDENTITIES.externalDns.namespace,
  chart: "external-dns",
  repository: "https://kubernetes-sigs.github.io/external-dns/",
  // Confirmed in kubernetes-sigs/external-dns charts/external-dns/Chart.yaml (version: 1.19.0, commit b740777, 2025-09-08); chart repository as above.
  version: "1.19.0",
  knownKeys: externalDnsChartKeys,
};

export interface ExternalDnsValues {
  readonly provider: { readonly name: "aws" };
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly serviceAccount: ServiceAccountValues;
  readonly sources: readonly ("ingress" | "service")[];
  readonly domainFilters: readonly string[];
  readonly extraArgs: readonly string[];
  /** upsert-only: never deletes records (the edge stack owns its own). */
  readonly policy: "sync" | "upsert-only";
  readonly registry: "txt";
  readonly txtOwnerId: string;
  readonly interval: string;
}

export interface ExternalDnsAddOnProps extends HelmAddOnProps<ExternalDnsValues> {
  readonly region: string;
  /** The one zone external-dns may change (its IAM role is restricted to it too). */
  readonly zoneId: string;
  readonly domain: string;
  /** TXT owner id: records it did not create (owner mismatch) are never touched. */
  readonly ownerId: string;
}

/**
 * external-dns for Route 53, restricted to the project's zone twice: by `--zone-id-filter` and
 * `domainFilters` here, and by its Pod Identity role (ChangeResourceRecordSets on that zone only,
 * created in the platform stack). It only upserts records it owns (TXT registry).
 */
export class ExternalDnsAddOn extends HelmAddOn<ExternalDnsValues> {
  constructor(scope: Construct, id: string, props: ExternalDnsAddOnProps) {
    const values: ExternalDnsValues = {
      provider: { name: "aws" },
      env: [{ name: "AWS_DEFAULT_REGION", value: props.region }],
      serviceAccount: { create: true, name: ADDON_IDENTITIES.externalDns.serviceAccount },
      sources: ["ingress"],
      domainFilters: [props.domain],
      extraArgs: [`--zone-id-filter=${props.zoneId}`, "--aws-zone-type=public"],
      policy: "upsert-only",
      registry: "txt",
      txtOwnerId: props.ownerId,
      interval: "1m",
    };
    super(scope, id, externalDnsDefaults, values, props);
  }
}
