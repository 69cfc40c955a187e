import { Construct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Environment } from "../environments/schema";
import { EksPlatformConfig, eksNamespace, resolveNamespaceQuota } from "../environments/features/eks";
import type { ServiceDescriptor } from "../modules/compose";
import {
  AwsLoadBalancerControllerAddOn,
  ClusterAutoscalerAddOn,
  EnvironmentNamespace,
  ExternalDnsAddOn,
  HelmAddOn,
  KubePrometheusStackAddOn,
  MetricsServerAddOn,
  SecretsStoreCsiAwsAddOn,
} from "../modules/eks-addons";
import { EnvironmentStack } from "./environment-stack";
import type { EksClusterRef } from "./contracts";
import { ClusterAccess, configureClusterAccess } from "./eks-cluster-access";

/** Default StorageClass the add-ons' volumes use: encrypted gp3 through the EBS CSI driver. */
export const STORAGE_CLASS = "gp3-encrypted";

export interface EksAddonsStackProps {
  /** Platform stack of the cluster the environment runs in (its own, or its host's for a guest). */
  readonly cluster: EksClusterRef;
  /** The environment's services: the namespace quota is computed from them. @default none */
  readonly services?: readonly ServiceDescriptor[];
  /** Subnets the environment's own ALB sends from (its public subnets). @default no load-balancer traffic */
  readonly loadBalancerCidrs?: readonly string[];
}

/**
 * `<env>-addons`: reads the cluster (never creates it) and configures the kubernetes and helm
 * providers from it. Every EKS environment gets its namespace with guard rails here; the host also
 * installs the cluster-wide add-ons (a guest shares its host's): a default encrypted gp3
 * StorageClass, metrics-server, kube-prometheus-stack, the AWS Load Balancer Controller (target
 * group bindings), the Secrets Store CSI driver with the AWS provider (secrets), cluster-autoscaler
 * and (with a hosted zone) external-dns. No spot termination handler: managed node groups drain
 * spot-interrupted and rebalanced nodes themselves.
 *
 * Every cluster-scoped object here comes from the host alone (one per cluster); a guest adds only
 * namespaced objects in its own namespace, so environments sharing a cluster never collide.
 */
export class EksAddonsStack extends EnvironmentStack {
  public readonly access: ClusterAccess;
  /** The environment's namespace. */
  public readonly namespace: string;
  /** Whether this environment runs in another environment's cluster. */
  public readonly guest: boolean;
  /** The Helm add-ons by release name (hosts only). */
  public readonly addons: ReadonlyMap<string, HelmAddOn<object>>;

  constructor(scope: Construct, env: Environment, props: EksAddonsStackProps) {
    super(scope, env, "addons");
    if (env.platform.kind !== "eks") throw new Error(`EksAddonsStack: ${env.name} has platform.kind ${env.platform.kind}, not eks`);
    const platform = env.platform as EksPlatformConfig;
    const host = props.cluster;
    this.guest = host.hostName !== env.name;
    this.access = configureClusterAccess(this, host.clusterName, { helm: !this.guest });
    const vpcCidr = host.vpcCidr;

    const ns = new EnvironmentNamespace(this, "namespace", {
      name: eksNamespace({ name: env.name, platform }),
      environment: env.name,
      quota: resolveNamespaceQuota(platform, props.services ?? []),
      vpcCidr,
      loadBalancer: {
        cidrs: props.loadBalancerCidrs ?? [],
        ports: (props.services ?? []).filter((s) => s.expose === "public" && s.port !== undefined).map((s) => s.port!),
      },
    });
    this.namespace = ns.name;

    const addons = new Map<string, HelmAddOn<object>>();
    this.addons = addons;
    if (this.guest) return;

    const settings = host.settings;
    const storage = new StorageClassV1(this, "storage-class", {
      metadata: { name: STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storageProvisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
    const add = (a: HelmAddOn<object>) => addons.set(a.releaseName, a);
    add(new MetricsServerAddOn(this, "metrics-server"));
    const prometheus = new KubePrometheusStackAddOn(this, "kube-prometheus-stack", { storageClass: STORAGE_CLASS, dependsOn: [storage] });
    add(prometheus);
    add(new AwsLoadBalancerControllerAddOn(this, "aws-load-balancer-controller", { clusterName: this.access.clusterName, region: env.region, vpcId: host.vpcId }));
    add(new SecretsStoreCsiAwsAddOn(this, "secrets-store-csi"));
    add(new ClusterAutoscalerAddOn(this, "cluster-autoscaler", { clusterName: this.access.clusterName, region: env.region, kubernetesVersion: settings.version }));
    if (host.hostedZone) {
      add(new ExternalDnsAddOn(this, "external-dns", { region: env.region, zoneId: host.hostedZone.zoneId, domain: host.hostedZone.domain, ownerId: this.name("eks") }));
    }
  }
}
