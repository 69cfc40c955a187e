import { Construct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Environment } from "../environments/schema";
import { EksPlatformConfig, eksNamespace } from "../environments/features/eks";
import {
  ClusterAutoscalerAddOn,
  EnvironmentNamespace,
  ExternalDnsAddOn,
  HelmAddOn,
  IngressNginxAddOn,
  KubePrometheusStackAddOn,
  MetricsServerAddOn,
  NodeTerminationHandlerAddOn,
} from "../modules/eks-addons";
import { EnvironmentStack } from "./environment-stack";
import { EksPlatformStack } from "./eks-platform-stack";
import { ClusterAccess, configureClusterAccess } from "./eks-cluster-access";

/** Default StorageClass the add-ons' volumes use: encrypted gp3 through the EBS CSI driver. */
export const STORAGE_CLASS = "gp3-encrypted";

export interface EksAddonsStackProps {
  /** Platform stack of the cluster the environment runs in (its own, or its host's for a guest). */
  readonly cluster: EksPlatformStack;
}

/**
 * `<env>-addons`: reads the cluster (never creates it) and configures the kubernetes and helm
 * providers from it. Every EKS environment gets its namespace with guard rails here; the host also
 * installs the cluster-wide add-ons (a guest shares its host's): a default encrypted gp3
 * StorageClass, metrics-server, kube-prometheus-stack, ingress-nginx on the ALB's NodePort,
 * cluster-autoscaler, aws-node-termination-handler and (with a hosted zone) external-dns.
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
    this.guest = host.env.name !== env.name;
    this.access = configureClusterAccess(this, host.clusterName, { helm: !this.guest });
    const vpcCidr = host.env.vpc.cidr;

    const ns = new EnvironmentNamespace(this, "namespace", {
      name: eksNamespace({ name: env.name, platform }),
      environment: env.name,
      quota: platform.quota,
      vpcCidr,
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
    // After Prometheus: the controller's ServiceMonitor needs the operator's CRDs.
    add(new IngressNginxAddOn(this, "ingress-nginx", { nodePort: settings.ingressNodePort, vpcCidr, dependsOn: [prometheus.release] }));
    add(new ClusterAutoscalerAddOn(this, "cluster-autoscaler", { clusterName: this.access.clusterName, region: env.region, kubernetesVersion: settings.version }));
    add(new NodeTerminationHandlerAddOn(this, "node-termination-handler"));
    if (host.hostedZone) {
      add(new ExternalDnsAddOn(this, "external-dns", { region: env.region, zoneId: host.hostedZone.zoneId, domain: host.hostedZone.name, ownerId: this.name("eks") }));
    }
  }
}
