import { Testing, TerraformStack } from "cdktf";
import { buildApp } from "../app/app";
import { KubernetesWorkload, secretName } from "../modules/eks-addons";
import { Json, ofType, fixtureProject, fixtureProjectSynth, fixtureServices, tmpDir } from "./helpers";

const out = fixtureProjectSynth();
const catalog = fixtureServices();

/** The synthesized JSON of an environment's EKS apps stack. */
function appsOf(env: string): Json {
  return out.stack(`${env}-apps`);
}

const host = appsOf("host");
const byService = (type: string, stack: Json = host): Record<string, Json> => Object.fromEntries(ofType(stack, type).map((r) => [r.metadata.name, r]));
const deployments = byService("kubernetes_deployment_v1");
const services = byService("kubernetes_service_v1");
const manifests = (stack: Json = host, kind?: string): Json[] => ofType(stack, "kubernetes_manifest").map((m) => m.manifest).filter((m) => !kind || m.kind === kind);
const bindings: Record<string, Json> = Object.fromEntries(manifests(host, "TargetGroupBinding").map((m) => [m.metadata.name, m]));
/** The synthesized JSON of another stack of the same synth. */
function stackOf(name: string): Json {
  return out.stack(name);
}
const hpas = byService("kubernetes_horizontal_pod_autoscaler_v2");
const pdbs = byService("kubernetes_pod_disruption_budget_v1");
const container = (name: string) => deployments[name].spec.template.spec.container[0];

describe("<env>-apps on EKS: the Compose services as Kubernetes workloads", () => {
  test("GIVEN the three fixture services THEN host and guest (its guest) get apps stacks, the ECS environments do not", () => {
    expect(Object.keys(deployments).sort()).toEqual(["front", "keyed", "worker"]);
    const { environments } = buildApp(fixtureProject(), tmpDir("eks-apps"));
    expect(environments.get("guest")!.eks!.apps).toBeDefined();
    expect(environments.get("small")!.eks).toBeUndefined();
  });

  test("every object lives in the environment's namespace (from the addons stack)", () => {
    for (const kind of [deployments, services, bindings, hpas, pdbs]) {
      for (const r of Object.values(kind)) expect(r.metadata.namespace).toMatch(/remote_state\.cross-stack-reference-input-host-addons\.outputs\..*kubernetes_namespace_v1/);
    }
    const guest = appsOf("guest");
    expect(ofType(guest, "kubernetes_deployment_v1")[0].metadata.namespace).toMatch(/cross-stack-reference-input-guest-addons/);
    expect(guest.data.aws_eks_cluster.cluster.name).toMatch(/cross-stack-reference-input-host-platform/);
  });

  // Values straight from the fixture descriptors (fixtures/project/services/*.yaml).
  test.each([
    ["front", { replicas: "2", requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "250m", memory: "512Mi" }, args: ["-listen=:8080", "-text=front"] }],
    ["keyed", { replicas: "2", requests: { cpu: "500m", memory: "1024Mi" }, limits: { cpu: "500m", memory: "1024Mi" }, args: ["-listen=:8080", "-text=keyed"] }],
    ["worker", { replicas: "1", requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "250m", memory: "512Mi" }, args: ["worker", "--queue", "worker-events"] }],
  ])("Deployment %s: replicas, resources and arguments from its Compose file", (name, want) => {
    expect(deployments[name].spec.replicas).toBe(want.replicas);
    expect(container(name).resources).toEqual({ requests: want.requests, limits: want.limits });
    expect(container(name).args).toEqual(want.args);
    expect(container(name).image).toMatch(new RegExp(`remote_state\\.cross-stack-reference-input-global\\.outputs\\..*ecr_${name}_.*repository_url\\}:1\\.0\\.0$`));
    expect(deployments[name].lifecycle).toEqual({ ignore_changes: ["spec[0].replicas"] });
  });

  test.each([["front"], ["keyed"], ["worker"]])("Deployment %s: non-root, read-only root filesystem, no privilege escalation, no capabilities", (name) => {
    expect(container(name).security_context).toEqual({ run_as_non_root: true, read_only_root_filesystem: true, allow_privilege_escalation: false, privileged: false, capabilities: { drop: ["ALL"] } });
    expect(deployments[name].spec.template.spec.security_context).toEqual({ run_as_non_root: true, run_as_user: "10001", seccomp_profile: { type: "RuntimeDefault" } });
    expect(deployments[name].spec.template.spec.automount_service_account_token).toBe(false);
  });

  test("no Ingress anywhere: public services are bound to the edge's target groups instead", () => {
    expect(ofType(host, "kubernetes_ingress_v1")).toHaveLength(0);
    expect(ofType(appsOf("guest"), "kubernetes_ingress_v1")).toHaveLength(0);
  });

  test("probes: front from x-health, keyed from its healthcheck's URL, worker runs its healthcheck command", () => {
    expect(container("front").readiness_probe).toEqual({ http_get: { path: "/front/health", port: "8080" }, period_seconds: 15, timeout_seconds: 5, success_threshold: 2, failure_threshold: 3 });
    expect(container("front").liveness_probe).toMatchObject({ http_get: { path: "/front/health", port: "8080" }, period_seconds: 15, success_threshold: 1, failure_threshold: 3 });
    expect(container("keyed").liveness_probe).toMatchObject({ http_get: { path: "/keyed/health", port: "8080" }, period_seconds: 20, timeout_seconds: 5, initial_delay_seconds: 30 });
    expect(container("worker").liveness_probe).toEqual({ exec: { command: ["/bin/sh", "-c", "test -f /tmp/healthy"] }, period_seconds: 30, timeout_seconds: 5, failure_threshold: 3, initial_delay_seconds: 0 });
  });

  test("env: plain variables as values, secrets only as references to the Secret the CSI driver syncs", () => {
    expect(container("front").env).toEqual([{ name: "LOG_LEVEL", value: "info" }]);
    expect(container("keyed").env).toEqual([
      { name: "LOG_LEVEL", value: "info" },
      { name: "API_KEY", value_from: { secret_key_ref: { name: secretName("keyed"), key: "API_KEY" } } },
    ]);
    expect(JSON.stringify(ofType(host, "kubernetes_deployment_v1"))).not.toMatch(/parameter\/harbor\/keyed\/api-key/);
  });

  test.each([["host"], ["guest"]])("%s: keyed's API_KEY comes from the SSM parameter through the Secrets Store CSI driver and its own Pod Identity role", (env) => {
    const apps = appsOf(env);
    const deployment = ofType(apps, "kubernetes_deployment_v1").find((d) => d.metadata.name === "keyed")!;
    const pod = deployment.spec.template.spec;
    // Its own ServiceAccount, the CSI volume of its SecretProviderClass, mounted read-only.
    const [sa] = ofType(apps, "kubernetes_service_account_v1");
    expect(sa.metadata.name).toBe("keyed");
    expect(pod.service_account_name).toMatch(/^\$\{kubernetes_service_account_v1\.keyed_service-account_[0-9A-F]+\.metadata\[0\]\.name\}$/);
    expect(pod.volume).toEqual([{ name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", read_only: true, volume_attributes: { secretProviderClass: "keyed-secrets" } } }]);
    expect(pod.container[0].volume_mount).toEqual([{ name: "secrets", mount_path: "/mnt/secrets-store", read_only: true }]);
    // The SecretProviderClass reads the parameter by the ARN the ECS task definition uses, and creates exactly the Secret the env var reads.
    const spc = manifests(apps, "SecretProviderClass")[0];
    expect(spc.metadata.name).toBe("keyed-secrets");
    expect(spc.spec.provider).toBe("aws");
    expect(spc.spec.parameters.usePodIdentity).toBe("true");
    expect(JSON.parse(spc.spec.parameters.objects)).toEqual([{ objectName: "arn:aws:ssm:us-east-1:${data.aws_caller_identity.account.account_id}:parameter/harbor/keyed/api-key", objectType: "ssmparameter", objectAlias: "API_KEY" }]);
    expect(spc.spec.secretObjects).toEqual([{ secretName: "keyed-secrets", type: "Opaque", labels: expect.any(Object), data: [{ objectName: "API_KEY", key: "API_KEY" }] }]);
    const ecs = JSON.parse(ofType(stackOf("small-apps"), "aws_ecs_task_definition").find((t) => t.family === "harbor-small-keyed")!.container_definitions)[0];
    // Both built by modules/compose secretArn from the deploying account (each stack reads its own) and region.
    const shape = (arn: string) => arn.replace(/\$\{[^}]+\}/g, "<token>");
    expect(shape(JSON.parse(spc.spec.parameters.objects)[0].objectName)).toBe(shape(ecs.secrets[0].valueFrom));
    expect(shape(ecs.secrets[0].valueFrom)).toBe("arn:aws:ssm:us-east-1:<token>:parameter/harbor/keyed/api-key");
    // Least privilege: keyed's role reads that one parameter, bound to keyed's service account in the environment's namespace.
    const policy = JSON.parse(ofType(apps, "aws_iam_role_policy")[0].policy);
    expect(policy.Statement).toEqual([{ Sid: "OwnParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: ["arn:aws:ssm:us-east-1:${data.aws_caller_identity.account.account_id}:parameter/harbor/keyed/api-key"] }]);
    const [assoc] = ofType(apps, "aws_eks_pod_identity_association");
    expect(assoc).toMatchObject({ service_account: pod.service_account_name, namespace: expect.stringMatching(new RegExp(`cross-stack-reference-input-${env}-addons`)), cluster_name: expect.stringMatching(/host-platform/) });
    expect(ofType(apps, "aws_iam_role")[0].name).toBe(`harbor-${env}-keyed-secrets`);
  });

  test("worker's tmpfs /tmp is an in-memory emptyDir (its root filesystem is read-only)", () => {
    expect(container("worker").volume_mount).toEqual([{ name: "tmpfs-0", mount_path: "/tmp" }]);
    expect(deployments.worker.spec.template.spec.volume).toEqual([{ name: "tmpfs-0", empty_dir: { medium: "Memory", size_limit: expect.stringMatching(/^\d+Mi$/) } }]);
    expect(container("front").volume_mount).toBeUndefined();
  });

  test("Services: ClusterIP on the Compose port (http://<service>:8080, as on ECS) for every service with a port, the internal worker too", () => {
    expect(Object.keys(services).sort()).toEqual(["front", "keyed", "worker"]);
    for (const s of Object.values(services)) expect(s.spec).toMatchObject({ type: "ClusterIP", selector: { "app.kubernetes.io/name": s.metadata.name }, port: [{ port: 8080, target_port: "http" }] });
    expect(container("front").port).toEqual([{ name: "http", container_port: 8080, protocol: "TCP" }]);
  });

  test.each([["front"], ["keyed"]])("TargetGroupBinding %s: IP targets of its Service's port (the Compose port, 8080) into the edge's target group", (name) => {
    expect(bindings[name].apiVersion).toBe("elbv2.k8s.aws/v1beta1");
    expect(bindings[name].spec).toEqual({
      serviceRef: { name, port: 8080 },
      targetGroupARN: expect.stringMatching(new RegExp(`cross-stack-reference-input-host-edge\\.outputs\\..*pod-targets_${name}-target-group.*arn`)),
      targetType: "ip",
    });
    expect(bindings.worker).toBeUndefined();
  });

  test.each([
    ["front", 2, 6, 60],
    ["keyed", 2, 8, 60],
    ["worker", 1, 4, 70],
  ])("HPA %s: %i to %i replicas at %i%% CPU, targeting its Deployment", (name, min, max, cpu) => {
    const spec = hpas[name].spec;
    expect(spec).toMatchObject({ min_replicas: min, max_replicas: max, scale_target_ref: { api_version: "apps/v1", kind: "Deployment" } });
    expect(spec.metric).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: cpu } } }]);
  });

  test.each([["front"], ["keyed"], ["worker"]])("PDB %s: one replica may go at a time", (name) => {
    expect(pdbs[name].spec).toEqual({ max_unavailable: "1", selector: { match_labels: { "app.kubernetes.io/name": name } } });
  });

  test("x-environments overrides reach the workloads (live's replicas) through the shared descriptor loader", () => {
    const liveFront = catalog.forEnvironment("live").find((s) => s.name === "front")!;
    const stack = new TerraformStack(Testing.app(), "t");
    new KubernetesWorkload(stack, "front", { service: liveFront, namespace: "live", image: "x" });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(ofType(json, "kubernetes_deployment_v1")[0].spec.replicas).toBe("3");
    expect(ofType(json, "kubernetes_horizontal_pod_autoscaler_v2")[0].spec).toMatchObject({ min_replicas: 3, max_replicas: 12 });
  });
});

describe("ALB -> pods: a listener rule and an ip target group per public service on each environment's own ALB", () => {
  test.each([["host"], ["guest"]])("%s-edge: one ip target group on the container port and one listener rule per public service", (env) => {
    const edge = stackOf(`${env}-edge`);
    const tgs = ofType(edge, "aws_lb_target_group");
    expect(tgs.map((t) => t.name).sort()).toEqual([`harbor-${env}-front`, `harbor-${env}-keyed`]);
    for (const tg of tgs) expect(tg).toMatchObject({ target_type: "ip", port: 8080, protocol: "HTTP", vpc_id: expect.stringMatching(new RegExp(`cross-stack-reference-input-${env}-network`)) });
    const rules = ofType(edge, "aws_lb_listener_rule").filter((r) => r.action[0].type === "forward");
    expect(rules).toHaveLength(2);
    for (const name of ["front", "keyed"]) {
      const r = rules.find((x) => JSON.stringify(x.condition).includes(`"/${name}"`))!;
      expect(r.action).toEqual([{ type: "forward", target_group_arn: expect.stringMatching(new RegExp(`^\\$\\{aws_lb_target_group\\.pod-targets_${name}-target-group_[0-9A-F]+\\.arn\\}$`)) }]);
      expect(r.listener_arn).toMatch(/^\$\{aws_lb_listener\.alb_https-443/);
      expect(r.condition).toContainEqual({ http_header: { http_header_name: "X-Origin-Verify", values: [expect.stringMatching(/origin-verify/)] } });
    }
  });
  test("no listener rules or target groups in the apps stacks (the edge owns them, as on ECS the apps stack owns its own)", () => {
    expect(host.resource.aws_lb_listener_rule).toBeUndefined();
    expect(appsOf("guest").resource.aws_lb_listener_rule).toBeUndefined();
  });
});

describe("the same three services on ECS (small) and Kubernetes (host) are equivalent", () => {
  const ecs = out.stack("small-apps");
  const ecsBy = (type: string, name: string) => ofType(ecs, type).find((r) => JSON.stringify(r).includes(`harbor-small-${name}`) || r.family === `harbor-small-${name}`);
  const taskContainer = (name: string) => {
    const td = ofType(ecs, "aws_ecs_task_definition").find((t) => JSON.parse(t.container_definitions)[0].name === name)!;
    return JSON.parse(td.container_definitions)[0] as Json;
  };
  const miB = (q: string) => Number(/^(\d+)Mi$/.exec(q)![1]);
  const units = (q: string) => Math.round((Number(/^(\d+)m$/.exec(q)![1]) * 1024) / 1000);
  test.each([["front"], ["keyed"], ["worker"]])("%s: replicas, scaling range, CPU and memory", (name) => {
    const svc = ofType(ecs, "aws_ecs_service").find((s) => s.name === `harbor-small-${name}`)!;
    expect(Number(deployments[name].spec.replicas)).toBe(svc.desired_count);
    const target = ofType(ecs, "aws_appautoscaling_target").find((t) => t.resource_id.includes(`${name}_service`))!;
    expect([hpas[name].spec.min_replicas, hpas[name].spec.max_replicas]).toEqual([target.min_capacity, target.max_capacity]);
    const c = taskContainer(name);
    expect(units(container(name).resources.requests.cpu)).toBe(c.cpu);
    expect(miB(container(name).resources.limits.memory)).toBe(c.memory);
    expect(miB(container(name).resources.requests.memory)).toBe(c.memoryReservation ?? c.memory);
    expect(container(name).args).toEqual(c.command);
    expect(container(name).security_context.read_only_root_filesystem).toBe(c.readonlyRootFilesystem);
  });
  test.each([["front"], ["keyed"]])("%s: the same listener-rule conditions and target-group health check on both platforms, matching the probes", (name) => {
    const eksEdge = stackOf("host-edge");
    const rule = ofType(ecs, "aws_lb_listener_rule").find((r) => JSON.stringify(r.condition).includes(`"/${name}"`))!;
    const eksRule = ofType(eksEdge, "aws_lb_listener_rule").find((r) => JSON.stringify(r.condition).includes(`"/${name}"`))!;
    expect(eksRule.condition.find((c: Json) => c.path_pattern)).toEqual(rule.condition.find((c: Json) => c.path_pattern));
    const tg = ecsBy("aws_lb_target_group", name)!;
    const eksTg = ofType(eksEdge, "aws_lb_target_group").find((t) => t.name === `harbor-host-${name}`)!;
    expect(eksTg.health_check).toEqual(tg.health_check);
    const probe = container(name).readiness_probe;
    expect(probe.http_get.path).toBe(tg.health_check.path);
    expect([probe.period_seconds, probe.timeout_seconds, probe.success_threshold, probe.failure_threshold]).toEqual([tg.health_check.interval, tg.health_check.timeout, tg.health_check.healthy_threshold, tg.health_check.unhealthy_threshold]);
  });
  test("discovery names, ports and allowed callers: the same on both (exactly front -> worker:8080)", () => {
    type Reachable = { name: string; port: number; callers: string[]; calls: string[] };
    // Kubernetes: the Service (name and port) and the call policies in the namespace.
    const policies = Object.fromEntries(ofType(host, "kubernetes_network_policy_v1").map((p) => [p.metadata.name, p.spec]));
    expect(Object.keys(policies).sort()).toEqual(["calls-from-front", "calls-to-worker"]);
    const k8s: Reachable[] = Object.keys(deployments)
      .sort()
      .map((name) => ({
        name: services[name].metadata.name,
        port: services[name].spec.port[0].port,
        callers: (policies[`calls-to-${name}`]?.ingress ?? []).flatMap((r: Json) => r.from.map((f: Json) => f.pod_selector.match_labels["app.kubernetes.io/name"])),
        calls: (policies[`calls-from-${name}`]?.egress ?? []).map((r: Json) => `${r.to[0].pod_selector.match_labels["app.kubernetes.io/name"]}:${r.ports[0].port}`),
      }));
    expect(policies["calls-to-worker"].ingress[0].ports).toEqual([{ port: "8080", protocol: "TCP" }]);
    // ECS: the Service Connect endpoint (discovery name, client alias) and the declared calls.
    const ecsServices = ofType(ecs, "aws_ecs_service");
    const ecsSide: Reachable[] = ecsServices
      .map((svc) => {
        const name = svc.name.replace("harbor-small-", "");
        const endpoint = svc.service_connect_configuration.service?.[0];
        if (endpoint) expect(endpoint.discovery_name).toBe(endpoint.client_alias.dns_name);
        return {
          name: endpoint?.client_alias.dns_name ?? name,
          port: endpoint?.client_alias.port ?? taskContainer(name).portMappings[0].containerPort,
          callers: svc.tags?.["harbor:callers"]?.split(" ") ?? [],
          calls: svc.tags?.["harbor:calls"]?.split(" ") ?? [],
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(ecsSide).toEqual(k8s);
    expect(k8s).toEqual([
      { name: "front", port: 8080, callers: [], calls: ["worker:8080"] },
      { name: "keyed", port: 8080, callers: [], calls: [] },
      { name: "worker", port: 8080, callers: ["front"], calls: [] },
    ]);
    // Only callees are Service Connect endpoints; every service is in the namespace.
    expect(ecsServices.filter((s) => s.service_connect_configuration.service).map((s) => s.name)).toEqual(["harbor-small-worker"]);
    for (const svc of ecsServices) expect(svc.service_connect_configuration.namespace).toMatch(/small-platform.*aws_service_discovery_http_namespace/);
  });
  test("worker: internal on both (no target group or listener rule on ECS, no target-group binding on Kubernetes), same health command", () => {
    expect(ofType(ecs, "aws_lb_target_group").some((t) => t.name === "harbor-small-worker")).toBe(false);
    expect(bindings.worker).toBeUndefined();
    const hc = taskContainer("worker").healthCheck;
    expect(container("worker").liveness_probe.exec.command).toEqual(hc.command[0] === "CMD-SHELL" ? ["/bin/sh", "-c", hc.command[1]] : hc.command.slice(1));
    expect(container("worker").liveness_probe.period_seconds).toBe(hc.interval);
  });
});
