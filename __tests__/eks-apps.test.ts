import * as fs from "fs";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { loadServiceCatalog } from "../modules/compose";
import { buildApp } from "../stacks/app";
import { KubernetesWorkload, secretName } from "../modules/eks-addons";
import { Json, ofType, repoEnvironments, repoGlobal, tmpDir } from "./helpers";

const envs = repoEnvironments();
const catalog = loadServiceCatalog(path.join(__dirname, "..", "services"), { environments: envs.map((e) => e.name) });
const outdir = tmpDir("eks-apps");
const built = buildApp({ global: repoGlobal(), environments: envs, services: catalog }, outdir);
const { environments } = built;
built.app.synth();
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Json;

/** The synthesized JSON of an environment's EKS apps stack. */
function appsOf(env: string): Json {
  return JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[`${env}-apps`].synthesizedStackPath), "utf8")) as Json;
}

const staging = appsOf("staging");
const byService = (type: string, stack: Json = staging): Record<string, Json> => Object.fromEntries(ofType(stack, type).map((r) => [r.metadata.name, r]));
const deployments = byService("kubernetes_deployment_v1");
const services = byService("kubernetes_service_v1");
const ingresses = byService("kubernetes_ingress_v1");
const hpas = byService("kubernetes_horizontal_pod_autoscaler_v2");
const pdbs = byService("kubernetes_pod_disruption_budget_v1");
const container = (name: string) => deployments[name].spec.template.spec.container[0];

describe("<env>-apps on EKS: the Compose services as Kubernetes workloads", () => {
  test("GIVEN the three example services THEN staging and qa (guest) get apps stacks, the ECS environments do not", () => {
    expect(Object.keys(deployments).sort()).toEqual(["alpha", "bravo", "ledger"]);
    expect(environments.get("qa")!.eks!.apps).toBeDefined();
    expect(environments.get("dev")!.eks).toBeUndefined();
  });

  test("every object lives in the environment's namespace (from the addons stack)", () => {
    for (const kind of [deployments, services, ingresses, hpas, pdbs]) {
      for (const r of Object.values(kind)) expect(r.metadata.namespace).toMatch(/remote_state\.cross-stack-reference-input-staging-addons\.outputs\..*kubernetes_namespace_v1/);
    }
    const qa = appsOf("qa");
    expect(ofType(qa, "kubernetes_deployment_v1")[0].metadata.namespace).toMatch(/cross-stack-reference-input-qa-addons/);
    expect(qa.data.aws_eks_cluster.cluster.name).toMatch(/cross-stack-reference-input-staging-platform/);
  });

  // Values straight from services/*.yaml.
  test.each([
    ["alpha", { replicas: "2", requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "250m", memory: "512Mi" }, args: ["-listen=:8080", "-text=alpha"] }],
    ["bravo", { replicas: "2", requests: { cpu: "500m", memory: "1024Mi" }, limits: { cpu: "500m", memory: "1024Mi" }, args: ["-listen=:8080", "-text=bravo"] }],
    ["ledger", { replicas: "1", requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "250m", memory: "512Mi" }, args: ["worker", "--queue", "ledger-events"] }],
  ])("Deployment %s: replicas, resources and arguments from its Compose file", (name, want) => {
    expect(deployments[name].spec.replicas).toBe(want.replicas);
    expect(container(name).resources).toEqual({ requests: want.requests, limits: want.limits });
    expect(container(name).args).toEqual(want.args);
    expect(container(name).image).toMatch(new RegExp(`remote_state\\.cross-stack-reference-input-global\\.outputs\\..*ecr_${name}_.*repository_url\\}:1\\.0\\.0$`));
    expect(deployments[name].lifecycle).toEqual({ ignore_changes: ["spec[0].replicas"] });
  });

  test.each([["alpha"], ["bravo"], ["ledger"]])("Deployment %s: non-root, read-only root filesystem, no privilege escalation, no capabilities", (name) => {
    expect(container(name).security_context).toEqual({ run_as_non_root: true, read_only_root_filesystem: true, allow_privilege_escalation: false, privileged: false, capabilities: { drop: ["ALL"] } });
    expect(deployments[name].spec.template.spec.security_context).toEqual({ run_as_non_root: true, run_as_user: "10001", seccomp_profile: { type: "RuntimeDefault" } });
    expect(deployments[name].spec.template.spec.automount_service_account_token).toBe(false);
  });

  test("probes: alpha from x-health, bravo from its healthcheck's URL, ledger runs its healthcheck command", () => {
    expect(container("alpha").readiness_probe).toEqual({ http_get: { path: "/alpha/health", port: "8080" }, period_seconds: 15, timeout_seconds: 5, success_threshold: 2, failure_threshold: 3 });
    expect(container("alpha").liveness_probe).toMatchObject({ http_get: { path: "/alpha/health", port: "8080" }, period_seconds: 15, success_threshold: 1, failure_threshold: 3 });
    expect(container("bravo").liveness_probe).toMatchObject({ http_get: { path: "/bravo/health", port: "8080" }, period_seconds: 20, timeout_seconds: 5, initial_delay_seconds: 30 });
    expect(container("ledger").liveness_probe).toEqual({ exec: { command: ["/bin/sh", "-c", "test -f /tmp/healthy"] }, period_seconds: 30, timeout_seconds: 5, failure_threshold: 3, initial_delay_seconds: 0 });
  });

  test("env: plain variables as values, secrets only as references", () => {
    expect(container("alpha").env).toEqual([{ name: "LOG_LEVEL", value: "info" }]);
    expect(container("bravo").env).toEqual([
      { name: "LOG_LEVEL", value: "info" },
      { name: "API_KEY", value_from: { secret_key_ref: { name: secretName("bravo"), key: "API_KEY" } } },
    ]);
    expect(JSON.stringify(staging)).not.toMatch(/parameter\/harbor\/bravo\/api-key"/);
  });

  test("ledger's tmpfs /tmp is an in-memory emptyDir (its root filesystem is read-only)", () => {
    expect(container("ledger").volume_mount).toEqual([{ name: "tmpfs-0", mount_path: "/tmp" }]);
    expect(deployments.ledger.spec.template.spec.volume).toEqual([{ name: "tmpfs-0", empty_dir: { medium: "Memory", size_limit: expect.stringMatching(/^\d+Mi$/) } }]);
    expect(container("alpha").volume_mount).toBeUndefined();
  });

  test("Services: ClusterIP on the Compose port (http://<service>:8080, as on ECS) for every service with a port, the internal ledger too", () => {
    expect(Object.keys(services).sort()).toEqual(["alpha", "bravo", "ledger"]);
    for (const s of Object.values(services)) expect(s.spec).toMatchObject({ type: "ClusterIP", selector: { "app.kubernetes.io/name": s.metadata.name }, port: [{ port: 8080, target_port: "http" }] });
    expect(container("alpha").port).toEqual([{ name: "http", container_port: 8080, protocol: "TCP" }]);
  });

  test.each([
    ["alpha", "/alpha"],
    ["bravo", "/bravo"],
  ])("Ingress %s: the controller's class, path prefix %s to its Service", (name, prefix) => {
    expect(ingresses[name].spec.ingress_class_name).toBe("nginx");
    const rules = ingresses[name].spec.rule;
    expect(rules).toHaveLength(1);
    expect(rules[0].host).toBeUndefined();
    expect(rules[0].http.path).toEqual([{ path: prefix, path_type: "Prefix", backend: { service: { name: expect.stringMatching(new RegExp(`^\\$\\{kubernetes_service_v1\\.${name}_service_.*metadata\\[0\\]\\.name\\}$`)), port: { number: 8080 } } } }]);
    expect(ingresses.ledger).toBeUndefined();
  });

  test.each([
    ["alpha", 2, 6, 60],
    ["bravo", 2, 8, 60],
    ["ledger", 1, 4, 70],
  ])("HPA %s: %i to %i replicas at %i%% CPU, targeting its Deployment", (name, min, max, cpu) => {
    const spec = hpas[name].spec;
    expect(spec).toMatchObject({ min_replicas: min, max_replicas: max, scale_target_ref: { api_version: "apps/v1", kind: "Deployment" } });
    expect(spec.metric).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: cpu } } }]);
  });

  test.each([["alpha"], ["bravo"], ["ledger"]])("PDB %s: one replica may go at a time", (name) => {
    expect(pdbs[name].spec).toEqual({ max_unavailable: "1", selector: { match_labels: { "app.kubernetes.io/name": name } } });
  });

  test("x-environments overrides reach the workloads (prod's replicas) through the shared descriptor loader", () => {
    const prodAlpha = catalog.forEnvironment("prod").find((s) => s.name === "alpha")!;
    const stack = new TerraformStack(Testing.app(), "t");
    new KubernetesWorkload(stack, "alpha", { service: prodAlpha, namespace: "prod", image: "x" });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(ofType(json, "kubernetes_deployment_v1")[0].spec.replicas).toBe("3");
    expect(ofType(json, "kubernetes_horizontal_pod_autoscaler_v2")[0].spec).toMatchObject({ min_replicas: 3, max_replicas: 12 });
  });
});

describe("ALB -> ingress controller", () => {
  test("GIVEN staging hosts its cluster THEN each routed public service gets a listener rule at the edge's address forwarding to the ingress target group", () => {
    const rules = Object.fromEntries(Object.entries((staging.resource.aws_lb_listener_rule ?? {}) as Record<string, Json>).map(([k, v]) => [k.split("-rule")[0], v]));
    expect(Object.keys(rules).sort()).toEqual(["alpha", "bravo"]);
    for (const [name, r] of Object.entries(rules)) {
      expect(r.action).toEqual([{ type: "forward", target_group_arn: expect.stringMatching(/cross-stack-reference-input-staging-platform\.outputs\..*aws_lb_target_group.*arn/) }]);
      expect(r.listener_arn).toMatch(/cross-stack-reference-input-staging-edge/);
      expect(r.condition).toContainEqual({ path_pattern: { values: [`/${name}`, `/${name}/*`] } });
      expect(r.condition).toContainEqual({ http_header: { http_header_name: "X-Origin-Verify", values: [expect.stringMatching(/staging-edge/)] } });
    }
  });
  test("a guest's ALB cannot reach its host's nodes: no listener rules for qa", () => {
    expect(appsOf("qa").resource.aws_lb_listener_rule).toBeUndefined();
  });
});

describe("the same three services on ECS (dev) and Kubernetes (staging) are equivalent", () => {
  const ecs = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks["dev-apps"].synthesizedStackPath), "utf8")) as Json;
  const ecsBy = (type: string, name: string) => ofType(ecs, type).find((r) => JSON.stringify(r).includes(`harbor-dev-${name}`) || r.family === `harbor-dev-${name}`);
  const taskContainer = (name: string) => {
    const td = ofType(ecs, "aws_ecs_task_definition").find((t) => JSON.parse(t.container_definitions)[0].name === name)!;
    return JSON.parse(td.container_definitions)[0] as Json;
  };
  const miB = (q: string) => Number(/^(\d+)Mi$/.exec(q)![1]);
  const units = (q: string) => Math.round((Number(/^(\d+)m$/.exec(q)![1]) * 1024) / 1000);
  test.each([["alpha"], ["bravo"], ["ledger"]])("%s: replicas, scaling range, CPU and memory", (name) => {
    const svc = ofType(ecs, "aws_ecs_service").find((s) => s.name === `harbor-dev-${name}`)!;
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
  test.each([["alpha"], ["bravo"]])("%s: the ALB path patterns match the Ingress prefix, the target-group health check the probes", (name) => {
    const rule = ofType(ecs, "aws_lb_listener_rule").find((r) => JSON.stringify(r.condition).includes(`"/${name}"`))!;
    const patterns = rule.condition.find((c: Json) => c.path_pattern).path_pattern.values;
    const prefix = ingresses[name].spec.rule[0].http.path[0].path;
    expect(patterns).toEqual([prefix, `${prefix}/*`]);
    const tg = ecsBy("aws_lb_target_group", name)!;
    const probe = container(name).readiness_probe;
    expect(probe.http_get.path).toBe(tg.health_check.path);
    expect([probe.period_seconds, probe.timeout_seconds, probe.success_threshold, probe.failure_threshold]).toEqual([tg.health_check.interval, tg.health_check.timeout, tg.health_check.healthy_threshold, tg.health_check.unhealthy_threshold]);
  });
  test("discovery names, ports and allowed callers: the same on both (exactly alpha -> ledger:8080)", () => {
    type Reachable = { name: string; port: number; callers: string[]; calls: string[] };
    // Kubernetes: the Service (name and port) and the call policies in the namespace.
    const policies = Object.fromEntries(ofType(staging, "kubernetes_network_policy_v1").map((p) => [p.metadata.name, p.spec]));
    expect(Object.keys(policies).sort()).toEqual(["calls-from-alpha", "calls-to-ledger"]);
    const k8s: Reachable[] = Object.keys(deployments)
      .sort()
      .map((name) => ({
        name: services[name].metadata.name,
        port: services[name].spec.port[0].port,
        callers: (policies[`calls-to-${name}`]?.ingress ?? []).flatMap((r: Json) => r.from.map((f: Json) => f.pod_selector.match_labels["app.kubernetes.io/name"])),
        calls: (policies[`calls-from-${name}`]?.egress ?? []).map((r: Json) => `${r.to[0].pod_selector.match_labels["app.kubernetes.io/name"]}:${r.ports[0].port}`),
      }));
    expect(policies["calls-to-ledger"].ingress[0].ports).toEqual([{ port: "8080", protocol: "TCP" }]);
    // ECS: the Service Connect endpoint (discovery name, client alias) and the declared calls.
    const ecsServices = ofType(ecs, "aws_ecs_service");
    const ecsSide: Reachable[] = ecsServices
      .map((svc) => {
        const name = svc.name.replace("harbor-dev-", "");
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
      { name: "alpha", port: 8080, callers: [], calls: ["ledger:8080"] },
      { name: "bravo", port: 8080, callers: [], calls: [] },
      { name: "ledger", port: 8080, callers: ["alpha"], calls: [] },
    ]);
    // Only callees are Service Connect endpoints; every service is in the namespace.
    expect(ecsServices.filter((s) => s.service_connect_configuration.service).map((s) => s.name)).toEqual(["harbor-dev-ledger"]);
    for (const svc of ecsServices) expect(svc.service_connect_configuration.namespace).toMatch(/dev-platform.*aws_service_discovery_http_namespace/);
  });
  test("ledger: internal on both (no target group or listener rule on ECS, no Ingress on Kubernetes), same health command", () => {
    expect(ofType(ecs, "aws_lb_target_group").some((t) => t.name === "harbor-dev-ledger")).toBe(false);
    expect(ingresses.ledger).toBeUndefined();
    const hc = taskContainer("ledger").healthCheck;
    expect(container("ledger").liveness_probe.exec.command).toEqual(hc.command[0] === "CMD-SHELL" ? ["/bin/sh", "-c", hc.command[1]] : hc.command.slice(1));
    expect(container("ledger").liveness_probe.period_seconds).toBe(hc.interval);
  });
});
