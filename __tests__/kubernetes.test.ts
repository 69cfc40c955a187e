/*
 * Default configuration: every Kubernetes object of the project as `npm run synth` builds it, checked against the Kubernetes API (helpers.repoProjectSynth).
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import { checkKubernetes, collectObjects, formatProblem, readStacks, Resolver, schemaId } from "../scripts/kubernetes-check";
import { ROLLING_SURGE_PERCENT, parseQuantity } from "../modules/eks-addons/quota";
import { Json, repoProjectSynth } from "./helpers";

const out = repoProjectSynth();
const stacks = readStacks(out.outdir);
const clone = () => new Map([...stacks].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as Json]));
/** The resource of `type` in `stack` whose construct path ends with `suffix`, in a mutable copy. */
const find = (copy: Map<string, Json>, stack: string, type: string, suffix: string): Json => {
  const r = Object.values(copy.get(stack)!.resource[type] as Record<string, Json>).find((x) => (x["//"].metadata.path as string).endsWith(suffix));
  if (!r) throw new Error(`no ${type} ${suffix} in ${stack}`);
  return r;
};
const problemsOf = (copy: Map<string, Json>) => checkKubernetes(copy).problems.map(formatProblem);

describe("every kubernetes_* object of every environment against the Kubernetes API", () => {
  const { objects, problems } = checkKubernetes(stacks);

  test("GIVEN npm run synth THEN every object converts, validates against the OpenAPI schema and passes the cross-object rules", () => {
    expect(problems.map(formatProblem)).toEqual([]);
    const tfCount = [...stacks.values()].reduce((n, s) => n + Object.entries(s.resource ?? {}).filter(([t]) => t.startsWith("kubernetes_")).reduce((m, [, v]) => m + Object.keys(v as Json).length, 0), 0);
    expect(objects).toHaveLength(tfCount);
    expect(new Set(objects.map((o) => o.stack))).toEqual(new Set(["staging-addons", "staging-apps", "qa-addons", "qa-apps"]));
    expect(new Set(objects.map((o) => o.kind))).toEqual(
      new Set(["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "StorageClass", "Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler", "PodDisruptionBudget", "TargetGroupBinding", "SecretProviderClass"]),
    );
  });

  test("the conversion is the API object: Terraform's singular blocks become lists, numeric strings numbers, renamed fields their API names", () => {
    const { objects: all } = collectObjects(stacks);
    const d = all.find((o) => o.stack === "staging-apps" && o.kind === "Deployment" && o.object.metadata.name === "alpha")!.object;
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(d.spec.template.spec.securityContext.runAsUser).toBe(10001);
    expect(d.spec.template.spec.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "alpha" } });
    expect(all.find((o) => o.kind === "StorageClass")!.object.provisioner).toBe("ebs.csi.aws.com");
    expect(schemaId("autoscaling/v2", "HorizontalPodAutoscaler")).toBe("IoK8sApiAutoscalingV2HorizontalPodAutoscaler");
    expect(schemaId("v1", "Namespace")).toBe("IoK8sApiCoreV1Namespace");
  });

  test("staging and qa share one cluster, and no object of one collides with the other's (namespaced names, cluster-scoped objects, Helm releases)", () => {
    const r = new Resolver(stacks);
    expect(["staging-addons", "staging-apps", "qa-addons", "qa-apps"].map((s) => r.cluster(s))).toEqual(["staging-platform", "staging-platform", "staging-platform", "staging-platform"]);
    const keys = objects.map((o) => `${o.apiVersion}/${o.kind}|${o.namespaced ? r.resolve(o.stack, o.object.metadata.namespace) : ""}|${r.resolve(o.stack, o.object.metadata.name)}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Cluster-scoped objects come from the host alone.
    expect(objects.filter((o) => !o.namespaced && o.kind !== "Namespace").map((o) => o.stack)).toEqual(["staging-addons"]);
    expect(Object.keys(stacks.get("qa-addons")!.resource.helm_release ?? {})).toEqual([]);
  });

  test("no Deployment reads a Secret that no stack creates: each one a pod reads is synced by a SecretProviderClass the pod mounts", () => {
    const r = new Resolver(stacks);
    const deployments = objects.filter((o) => o.kind === "Deployment");
    expect(deployments).toHaveLength(6);
    let refs = 0;
    for (const d of deployments) {
      const ns = r.resolve(d.stack, d.object.metadata.namespace);
      const pod = d.object.spec.template.spec;
      for (const e of pod.containers.flatMap((c: Json) => c.env ?? []).filter((e: Json) => e.valueFrom?.secretKeyRef)) {
        refs++;
        const spc = objects.find((o) => o.kind === "SecretProviderClass" && r.resolve(o.stack, o.object.metadata.namespace) === ns && o.object.spec.secretObjects.some((so: Json) => so.secretName === e.valueFrom.secretKeyRef.name))!;
        expect(spc).toBeDefined();
        expect(pod.volumes).toContainEqual(expect.objectContaining({ csi: expect.objectContaining({ volumeAttributes: { secretProviderClass: spc.object.metadata.name } }) }));
      }
    }
    expect(refs).toBe(2); // bravo's API_KEY in staging and in qa
  });

  test("for every namespace, the sum over services of (max replicas + surge) x requests fits its ResourceQuota (computed from the synthesized JSON)", () => {
    const r = new Resolver(stacks);
    const nsOf = (o: (typeof objects)[number]) => `${r.cluster(o.stack)}/${r.resolve(o.stack, o.object.metadata.namespace)}`;
    const quotas = objects.filter((o) => o.kind === "ResourceQuota");
    expect(quotas.map(nsOf).sort()).toEqual(["staging-platform/qa", "staging-platform/staging"]);
    for (const q of quotas) {
      const deployments = objects.filter((o) => o.kind === "Deployment" && nsOf(o) === nsOf(q));
      const sum = { cpu: 0, memory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0 };
      for (const d of deployments) {
        const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler" && nsOf(o) === nsOf(q) && r.resolve(o.stack, o.object.spec.scaleTargetRef.name) === d.object.metadata.name);
        const max = hpa?.object.spec.maxReplicas ?? d.object.spec.replicas;
        expect(d.object.spec.strategy.rollingUpdate.maxSurge).toBe(`${ROLLING_SURGE_PERCENT}%`);
        const pods = max + Math.ceil((max * ROLLING_SURGE_PERCENT) / 100);
        const c = d.object.spec.template.spec.containers[0].resources;
        sum.cpu += pods * parseQuantity(c.requests.cpu, "cpu")!;
        sum.memory += pods * parseQuantity(c.requests.memory, "memory")!;
        sum.limitsCpu += pods * parseQuantity(c.limits.cpu, "cpu")!;
        sum.limitsMemory += pods * parseQuantity(c.limits.memory, "memory")!;
        sum.pods += pods;
      }
      const hard = q.object.spec.hard;
      expect(sum.cpu).toBeLessThanOrEqual(parseQuantity(String(hard["requests.cpu"]), "cpu")!);
      expect(sum.memory).toBeLessThanOrEqual(parseQuantity(String(hard["requests.memory"]), "memory")!);
      expect(sum.limitsCpu).toBeLessThanOrEqual(parseQuantity(String(hard["limits.cpu"]), "cpu")!);
      expect(sum.limitsMemory).toBeLessThanOrEqual(parseQuantity(String(hard["limits.memory"]), "memory")!);
      expect(sum.pods).toBeLessThanOrEqual(Number(hard.pods));
      // The figures: 8.25 CPU and 14.5 GiB of requests, 23 pods, at peak in each namespace.
      expect(sum).toEqual({ cpu: 8250, memory: 14848, limitsCpu: 8250, limitsMemory: 16896, pods: 23 });
    }
  });
});

describe("deliberately broken objects fail, naming the stack and the resource", () => {
  test("a field the Kubernetes API does not have", () => {
    const copy = clone();
    find(copy, "staging-apps", "kubernetes_deployment_v1", "alpha/deployment").spec.template.spec.container[0].bogus_field = "x";
    expect(problemsOf(copy)).toEqual([
      expect.stringMatching(/^staging-apps: kubernetes_deployment_v1\.alpha_deployment_[0-9A-F]+ \(staging-apps\/alpha\/deployment\): field spec\.template\.spec\.container\[0\]\.bogus_field: Container has no field bogusField in the Kubernetes API/),
    ]);
  });

  test("a value of the wrong type or outside an enum (OpenAPI schema)", () => {
    const copy = clone();
    const d = find(copy, "qa-apps", "kubernetes_deployment_v1", "bravo/deployment");
    d.spec.replicas = "two";
    d.spec.template.spec.container[0].image_pull_policy = "Sometimes";
    const lines = problemsOf(copy);
    expect(lines).toContainEqual(expect.stringMatching(/^qa-apps: kubernetes_deployment_v1\.bravo_deployment_[0-9A-F]+ \(qa-apps\/bravo\/deployment\): Deployment \/spec\/replicas must be of type integer \(Kubernetes OpenAPI schema\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/qa-apps: kubernetes_deployment_v1\.bravo_deployment_.*\/spec\/template\/spec\/containers\/0\/imagePullPolicy must be one of Always, IfNotPresent, Never/));
  });

  test("a selector that does not match the pod labels", () => {
    const copy = clone();
    find(copy, "staging-apps", "kubernetes_deployment_v1", "ledger/deployment").spec.selector.match_labels = { "app.kubernetes.io/name": "ledgr" };
    expect(problemsOf(copy)).toContainEqual(
      expect.stringMatching(/^staging-apps: kubernetes_deployment_v1\.ledger_deployment_[0-9A-F]+ \(staging-apps\/ledger\/deployment\): spec\.selector\.matchLabels \{"app\.kubernetes\.io\/name":"ledgr"\} does not match the pod template's labels/),
    );
  });

  test("a privileged container in a restricted namespace", () => {
    const copy = clone();
    const c = find(copy, "qa-apps", "kubernetes_deployment_v1", "alpha/deployment").spec.template.spec.container[0];
    c.security_context = { ...c.security_context, privileged: true, allow_privilege_escalation: true };
    const lines = problemsOf(copy);
    expect(lines).toContainEqual(expect.stringMatching(/^qa-apps: kubernetes_deployment_v1\.alpha_deployment_[0-9A-F]+ \(qa-apps\/alpha\/deployment\): pod template breaks namespace qa's Pod Security level: container alpha: privileged is not allowed \(restricted\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/qa-apps: .*alpha_deployment.*: container alpha: securityContext\.allowPrivilegeEscalation must be false \(restricted\)/));
  });

  test("a Secret no stack creates, and a synced Secret the pod does not mount", () => {
    const copy = clone();
    const env = find(copy, "staging-apps", "kubernetes_deployment_v1", "bravo/deployment").spec.template.spec.container[0].env;
    env.find((e: Json) => e.name === "API_KEY").value_from.secret_key_ref.name = "bravo-secret";
    expect(problemsOf(copy)).toContainEqual(expect.stringMatching(/^staging-apps: kubernetes_deployment_v1\.bravo_deployment_.*: container bravo env API_KEY reads Secret bravo-secret, which no stack creates in namespace staging/));
    const copy2 = clone();
    const pod = find(copy2, "staging-apps", "kubernetes_deployment_v1", "bravo/deployment").spec.template.spec;
    delete pod.volume;
    delete pod.container[0].volume_mount;
    expect(problemsOf(copy2)).toContainEqual(expect.stringMatching(/bravo_deployment.*reads Secret bravo-secrets, which SecretProviderClass bravo-secrets creates only for pods that mount it/));
  });

  test("a target group binding, Service or HPA naming what does not exist", () => {
    const copy = clone();
    const tgb = find(copy, "qa-apps", "kubernetes_manifest", "alpha/target-group-binding");
    tgb.manifest.spec.serviceRef.port = 9090;
    find(copy, "qa-apps", "kubernetes_service_v1", "bravo/service").spec.port[0].target_port = "web";
    find(copy, "qa-apps", "kubernetes_horizontal_pod_autoscaler_v2", "ledger/autoscaler").spec.scale_target_ref.name = "ledgers";
    const lines = problemsOf(copy);
    expect(lines).toContainEqual(expect.stringMatching(/^qa-apps: kubernetes_manifest\.alpha_target-group-binding_[0-9A-F]+ \(qa-apps\/alpha\/target-group-binding\): spec\.serviceRef names port 9090 of Service alpha, which has 8080$/));
    expect(lines).toContainEqual(expect.stringMatching(/^qa-apps: kubernetes_service_v1\.bravo_service_.*: port http: targetPort web is no container port of Deployment bravo/));
    expect(lines).toContainEqual(expect.stringMatching(/^qa-apps: kubernetes_horizontal_pod_autoscaler_v2\.ledger_autoscaler_.*: scaleTargetRef apps\/v1 Deployment ledgers does not exist in namespace qa/));
  });

  test("two environments of one cluster creating the same object collide", () => {
    const copy = clone();
    // qa's namespace renamed to staging's: every namespaced object of qa now lands on staging's.
    find(copy, "qa-addons", "kubernetes_namespace_v1", "namespace/namespace").metadata.name = "staging";
    const lines = problemsOf(copy);
    expect(lines).toContainEqual(expect.stringMatching(/^(qa|staging)-addons: kubernetes_namespace_v1\.namespace_[0-9A-F]+ \(\S+\): Namespace staging collides with (qa|staging)-addons kubernetes_namespace_v1\.namespace_[0-9A-F]+ in cluster staging-platform$/));
    expect(lines).toContainEqual(expect.stringMatching(/^(qa|staging)-apps: kubernetes_deployment_v1\.alpha_deployment_[0-9A-F]+ \(\S+\): Deployment staging\/alpha collides with (qa|staging)-apps /));
  });
});
