import { Testing, TerraformStack } from "cdktf";
import { selectStacks } from "../scripts/terraform-check";
import { EksPlatformStack } from "../stacks/eks-platform-stack";
import { EksAddonsStack } from "../stacks/eks-addons-stack";
import { NetworkStack } from "../stacks/network-stack";
import { MetricsServerAddOn, SecretsStoreCsiAwsAddOn, mergeValues } from "../modules/eks-addons";
import { Json, dataOfType, ofType, fixtureEnvironments, fixtureProjectSynth } from "./helpers";

const out = fixtureProjectSynth();
const hostAddons = () => {
  const app = Testing.app();
  const host = fixtureEnvironments().find((e) => e.name === "host")!;
  const cluster = new EksPlatformStack(app, host, { network: new NetworkStack(app, host), hostedZone: { zoneId: "Z0123456789ABC", domain: "harbor.example.com" } });
  return new EksAddonsStack(app, host, { cluster });
};
const host = out.stack("host-addons");
const guest = out.stack("guest-addons");
const releases = ofType(host, "helm_release");
const release = (name: string) => {
  const r = releases.find((x) => x.name === name);
  if (!r) throw new Error(`no helm_release ${name}`);
  return { ...r, v: JSON.parse(r.values[0]) as Json } as Json;
};

describe("<env>-addons: providers from the cluster, never in the stack that creates it", () => {
  test.each([["host-addons"], ["guest-addons"]])("%s reads the cluster by name and authenticates with aws eks get-token", (name) => {
    const stack = out.stack(name);
    expect(dataOfType(stack, "aws_eks_cluster")).toEqual([expect.objectContaining({ name: expect.stringMatching(/remote_state\.cross-stack-reference-input-host-platform\.outputs\./) })]);
    const k8s = stack.provider.kubernetes[0];
    expect(k8s.host).toBe("${data.aws_eks_cluster.cluster.endpoint}");
    expect(k8s.cluster_ca_certificate).toBe("${base64decode(data.aws_eks_cluster.cluster.certificate_authority[0].data)}");
    expect(k8s.exec).toEqual([{ api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "${data.aws_eks_cluster.cluster.name}", "--region", "us-east-1", "--output", "json"] }]);
    expect(k8s.token).toBeUndefined();
  });

  test("the helm provider of the host uses the same exec authentication; the platform stack has neither provider", () => {
    expect(host.provider.helm[0].kubernetes.exec.command).toBe("aws");
    expect(host.provider.helm[0].kubernetes.host).toBe("${data.aws_eks_cluster.cluster.endpoint}");
    const platform = out.stack("host-platform");
    expect(Object.keys(platform.provider)).toEqual(["aws"]);
    expect(Object.keys(platform.terraform.required_providers)).toEqual(["aws"]);
  });

  test("kubernetes/helm stacks are reported as not checkable here, the EKS platform stack is checkable", () => {
    const selection = selectStacks(out.outdir, process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins");
    expect(selection.notCheckable).toEqual(expect.arrayContaining([{ stack: "host-addons", missing: expect.arrayContaining(["helm", "kubernetes"]) }, { stack: "guest-addons", missing: ["kubernetes"] }]));
    expect(selection.checkable).toContain("host-platform");
  });
});

describe("namespace guard rails (host and guest)", () => {
  test.each([
    ["host-addons", "host"],
    ["guest-addons", "guest"],
  ])("%s: namespace %s with pod security restricted, a quota and default container limits", (name, ns) => {
    const stack = out.stack(name);
    const [namespace] = ofType(stack, "kubernetes_namespace_v1");
    expect(namespace.metadata.name).toBe(ns);
    expect(namespace.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted", "harbor.io/environment": ns, "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" });
    const [quota] = ofType(stack, "kubernetes_resource_quota_v1");
    // Computed from the services at their autoscalers' maximum plus 25% surge: front 6+2, keyed 8+2, worker 4+1 pods.
    expect(quota.spec.hard).toEqual({ "requests.cpu": "8250m", "requests.memory": "14848Mi", "limits.cpu": "8250m", "limits.memory": "16896Mi", pods: "23" });
    expect(quota.metadata.namespace).toMatch(/kubernetes_namespace_v1\..*\.metadata\[0\]\.name/);
    const [limits] = ofType(stack, "kubernetes_limit_range_v1");
    expect(limits.spec.limit).toEqual([{ type: "Container", default_request: { cpu: "250m", memory: "256Mi" }, default: { cpu: "500m", memory: "512Mi" } }]);
  });

  test("network policies: default deny, then only the environment's own ALB subnets (service ports), Prometheus, DNS and egress out (no pod-to-pod: the apps stack allows each declared call)", () => {
    const policies = Object.fromEntries(ofType(guest, "kubernetes_network_policy_v1").map((p) => [p.metadata.name, p.spec]));
    expect(Object.keys(policies).sort()).toEqual(["allow-dns", "allow-egress", "allow-from-load-balancer", "allow-from-monitoring", "default-deny"]);
    expect(policies["default-deny"]).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
    // guest's ALB lives in guest's own public subnets (10.20.0.0/16), peered with host's VPC where the pods run.
    expect(policies["allow-from-load-balancer"].ingress).toEqual([
      { from: ["10.20.232.0/22", "10.20.236.0/22", "10.20.240.0/22"].map((cidr) => ({ ip_block: { cidr } })), ports: [{ port: "8080", protocol: "TCP" }] },
    ]);
    const hostPolicy = ofType(host, "kubernetes_network_policy_v1").find((p) => p.metadata.name === "allow-from-load-balancer")!;
    expect(hostPolicy.spec.ingress[0].from.map((f: Json) => f.ip_block.cidr)).toEqual(["10.30.232.0/22", "10.30.236.0/22", "10.30.240.0/22"]);
    expect(policies["allow-dns"].egress[0].ports).toEqual([{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }]);
    // The guest's pods run in the host's VPC (host, 10.30.0.0/16).
    expect(policies["allow-egress"].egress).toEqual([
      { to: [{ ip_block: { cidr: "0.0.0.0/0", except: ["10.30.0.0/16"] } }] },
      { to: [{ ip_block: { cidr: "10.30.0.0/16" } }], ports: ["3306", "5432", "443"].map((port) => ({ port, protocol: "TCP" })) },
    ]);
  });

  test("the guest installs no cluster-wide add-ons (it shares its host's)", () => {
    expect(ofType(guest, "helm_release")).toHaveLength(0);
    expect(ofType(guest, "kubernetes_storage_class_v1")).toHaveLength(0);
  });
});

describe("Helm releases of the host, at pinned chart versions from the official repositories", () => {
  test.each([
    ["aws-load-balancer-controller", "aws-load-balancer-controller", "https://aws.github.io/eks-charts", "3.5.0", "kube-system"],
    ["secrets-store-csi-driver-provider-aws", "secrets-store-csi-driver-provider-aws", "https://aws.github.io/secrets-store-csi-driver-provider-aws", "3.1.1", "kube-system"],
    ["kube-prometheus-stack", "kube-prometheus-stack", "https://prometheus-community.github.io/helm-charts", "77.14.0", "monitoring"],
    ["cluster-autoscaler", "cluster-autoscaler", "https://kubernetes.github.io/autoscaler", "9.50.1", "kube-system"],
    ["metrics-server", "metrics-server", "https://kubernetes-sigs.github.io/metrics-server/", "3.13.0", "kube-system"],
  ])("%s", (name, chart, repository, version, namespace) => {
    expect(release(name)).toMatchObject({ chart, repository, version, namespace, atomic: true, cleanup_on_fail: true, create_namespace: true });
  });

  test("no ingress-nginx and no node termination handler: the ALB targets pods, managed node groups drain spot nodes", () => {
    expect(releases.map((r) => r.name).sort()).toEqual(["aws-load-balancer-controller", "cluster-autoscaler", "external-dns", "kube-prometheus-stack", "metrics-server", "secrets-store-csi-driver-provider-aws"]);
    expect(JSON.stringify(out.stack("host-addons"))).not.toMatch(/ingress-nginx|termination-handler/);
  });

  test("aws-load-balancer-controller: this cluster, region and VPC given (pods cannot reach IMDS), no IngressClass, WAF left to Terraform", () => {
    const v = release("aws-load-balancer-controller").v;
    expect(v).toMatchObject({
      clusterName: "${data.aws_eks_cluster.cluster.name}",
      region: "us-east-1",
      vpcId: expect.stringMatching(/remote_state\.cross-stack-reference-input-host-network\.outputs\..*vpc/),
      serviceAccount: { create: true, name: "aws-load-balancer-controller" },
      createIngressClassResource: false,
      ingressClassParams: { create: false },
      enableWafv2: false,
      enableShield: false,
    });
    const assoc = ofType(out.stack("host-platform"), "aws_eks_pod_identity_association").find((a) => a.service_account === v.serviceAccount.name)!;
    expect(assoc.namespace).toBe(release("aws-load-balancer-controller").namespace);
  });

  test("secrets store CSI driver + AWS provider: the driver bundled, Secret sync on, Pod Identity token audience", () => {
    const v = release("secrets-store-csi-driver-provider-aws").v;
    expect(v["secrets-store-csi-driver"]).toEqual({ install: true, syncSecret: { enabled: true }, tokenRequests: [{ audience: "pods.eks.amazonaws.com" }] });
  });

  test("every release's values use only keys its pinned chart version defines", () => {
    const addons = [...hostAddons().addons.values()];
    expect(addons.map((a) => a.releaseName).sort()).toEqual(["aws-load-balancer-controller", "cluster-autoscaler", "external-dns", "kube-prometheus-stack", "metrics-server", "secrets-store-csi-driver-provider-aws"]);
    for (const a of addons) expect([a.releaseName, Object.keys(a.values).filter((k) => !a.knownKeys.includes(k))]).toEqual([a.releaseName, []]);
  });

  test("kube-prometheus-stack: Prometheus, Alertmanager and Grafana on persistent encrypted volumes with sane retention", () => {
    const v = release("kube-prometheus-stack").v;
    expect(v.prometheus.prometheusSpec).toMatchObject({ retention: "15d", retentionSize: "45GB" });
    expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec).toEqual({ storageClassName: "gp3-encrypted", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } } });
    expect(v.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe("10Gi");
    expect(v.grafana.persistence).toMatchObject({ enabled: true, storageClassName: "gp3-encrypted", size: "10Gi" });
    // No password literal: the Grafana chart generates one into its Secret.
    expect(v.grafana.adminPassword).toBe("");
    const [sc] = ofType(host, "kubernetes_storage_class_v1");
    expect(sc).toMatchObject({ storage_provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" }, volume_binding_mode: "WaitForFirstConsumer" });
    expect(sc.metadata).toMatchObject({ name: "gp3-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } });
  });

  test("cluster-autoscaler: auto-discovers this cluster's groups with the service account the Pod Identity role is bound to", () => {
    const v = release("cluster-autoscaler").v;
    expect(v.autoDiscovery.clusterName).toBe("${data.aws_eks_cluster.cluster.name}");
    expect(v.rbac.serviceAccount).toEqual({ create: true, name: "cluster-autoscaler" });
    expect(v.image.tag).toBe("v1.33.0");
    expect(v.awsRegion).toBe("us-east-1");
    const assoc = ofType(out.stack("host-platform"), "aws_eks_pod_identity_association").find((a) => a.service_account === "cluster-autoscaler")!;
    expect(assoc.namespace).toBe(release("cluster-autoscaler").namespace);
  });

  test("metrics-server serves the HPAs with two replicas and a PDB", () => {
    expect(release("metrics-server").v).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
  });

  test("external-dns is restricted to the project's zone (installed when the platform has a hosted zone)", () => {
    const envs = fixtureEnvironments();
    // Built directly so that the zone is known whatever the global config says.
    const app = Testing.app();
    const host = envs.find((e) => e.name === "host")!;
    const platform = new EksPlatformStack(app, host, { network: new NetworkStack(app, host), hostedZone: { zoneId: "Z0123456789ABC", domain: "harbor.example.com" } });
    const addons = new EksAddonsStack(app, host, { cluster: platform });
    const json = JSON.parse(Testing.synth(addons)) as Json;
    const r = ofType(json, "helm_release").find((x) => x.name === "external-dns")!;
    expect(r).toMatchObject({ chart: "external-dns", repository: "https://kubernetes-sigs.github.io/external-dns/", version: "1.19.0", namespace: "external-dns" });
    const v = JSON.parse(r.values[0]);
    expect(v).toMatchObject({ provider: { name: "aws" }, domainFilters: ["harbor.example.com"], policy: "upsert-only", registry: "txt", serviceAccount: { name: "external-dns" } });
    expect(v.extraArgs).toContain("--zone-id-filter=Z0123456789ABC");
    const policy = JSON.parse(ofType(JSON.parse(Testing.synth(platform)), "aws_iam_role_policy").find((p) => /external-dns/.test(p.role))!.policy);
    expect(policy.Statement[0]).toEqual({ Sid: "ChangeProjectZoneOnly", Effect: "Allow", Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResource"], Resource: "arn:aws:route53:::hostedzone/Z0123456789ABC" });
  });
});

describe("Helm add-on base class", () => {
  const stack = () => new TerraformStack(Testing.app(), "t");
  test("caller values merge over the add-on's (objects deep, arrays replace)", () => {
    expect(mergeValues({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] }, d: 1 });
    const m = new MetricsServerAddOn(stack(), "m", { values: { replicas: 3 } });
    expect(m.values.replicas).toBe(3);
    expect(m.values.podDisruptionBudget.enabled).toBe(true);
  });
  test("a floating chart version is rejected", () => {
    expect(() => new MetricsServerAddOn(stack(), "m", { version: "3.x" })).toThrow("MetricsServerAddOn: version must pin an exact chart version (x.y.z), got 3.x");
  });
  test("a plain-HTTP repository is rejected", () => {
    expect(() => new MetricsServerAddOn(stack(), "m", { repository: "http://charts.example.com" })).toThrow("MetricsServerAddOn: repository must be an https:// chart repository, got http://charts.example.com");
  });
  test("a release name over 53 characters is rejected", () => {
    expect(() => new MetricsServerAddOn(stack(), "m", { name: "m".repeat(54) })).toThrow(/MetricsServerAddOn: name must be a DNS label of at most 53 characters/);
  });
  test("a values key the pinned chart does not define is rejected, naming the chart and version", () => {
    expect(() => new MetricsServerAddOn(stack(), "m", { values: { replica: 3 } as never })).toThrow(/MetricsServerAddOn: values key replica not defined by chart metrics-server 3\.13\.0 \(its top-level keys: image, /);
    expect(() => new SecretsStoreCsiAwsAddOn(stack(), "s", { values: { "secrets-store-csi-driver": { syncSecrets: { enabled: true } } } as never })).toThrow(
      /SecretsStoreCsiAwsAddOn: values key secrets-store-csi-driver\.syncSecrets not defined by the bundled secrets-store-csi-driver chart/,
    );
  });
});
