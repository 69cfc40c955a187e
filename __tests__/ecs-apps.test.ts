import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { Environment } from "../environments/schema";
import { ServiceCatalog, loadServiceCatalog } from "../modules/compose";
import { MemoryAllocationStore } from "../modules/edge/listener-rules";
import { EcsAppsStack, serviceRoutes } from "../stacks/ecs-apps-stack";
import { EcsPlatformStack } from "../stacks/ecs-platform-stack";
import { EdgeStack } from "../stacks/edge-stack";
import { GlobalStack } from "../stacks/global-stack";
import { NetworkStack } from "../stacks/network-stack";
import { disableTokenStackTraces } from "../app/token-stack-traces";
import { installSynthShortcuts } from "../app/stack-resolve";
import { envInput, Json, ofType, fixtureGlobal, resources, tmpDir, validated } from "./helpers";
import { catalogFor } from "./fixtures/services/synth";

/**
 * Builds one ECS environment's stacks the way app/app.ts does, but with the edge's listener-rule
 * allocations kept in memory (the app's default writes environments/edge-routes/<env>.json).
 */
function synthEcs(env: Environment, catalog: ServiceCatalog, store = new MemoryAllocationStore()): { stack: (name: string) => Json; store: MemoryAllocationStore } {
  disableTokenStackTraces();
  installSynthShortcuts();
  const outdir = tmpDir("ecs-apps");
  const app = new App({ outdir, stackTraces: false });
  const global = new GlobalStack(app, fixtureGlobal(), { services: catalog.names });
  const network = new NetworkStack(app, env);
  const platform = new EcsPlatformStack(app, env, { network });
  const services = catalog.forEnvironment(env.name);
  const edge = env.edge.enabled ? new EdgeStack(app, env, { network, global, routes: serviceRoutes(services), allocationRecord: store.record }) : undefined;
  new EcsAppsStack(app, env, { network, platform, registry: global.repositories, edge, services });
  app.synth();
  // What main.ts does after a successful synth: keep the extended record for the next one.
  if (edge?.allocation.added.length) store.save(edge.allocation.record);
  return { stack: (name) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Json, store };
}

/** Resources of one service (construct id = service name). */
function ofService(stack: Json, type: string, service: string): Json[] {
  return Object.entries((stack.resource?.[type] ?? {}) as Record<string, Json>)
    .filter(([, v]) => v["//"]?.metadata?.path?.split("/")[1] === service)
    .map(([, v]) => v);
}

/** keyed's parameter ARN: the account from the deploying account's caller identity, never a literal account. */
const BRAVO_PARAMETER_ARN = /^arn:aws:ssm:us-east-1:\$\{[^}]*caller_identity[^}]*account_id\}:parameter\/harbor\/keyed\/api-key$/;

describe("<env>-apps on ECS with the fixture services", () => {
  // GIVEN small (ECS, edge enabled) and the fixture services front, keyed (public) and worker (internal)
  const [env] = validated(envInput({ name: "small", vpc: { cidr: "10.10.0.0/16" } }));
  const { stack } = synthEcs(env, catalogFor([env]));
  const apps = stack("small-apps");

  test.each(["front", "keyed"])("public %s: one target group, listener rule, service, log group and autoscaling target", (svc) => {
    expect(ofService(apps, "aws_lb_target_group", svc)).toHaveLength(1);
    expect(ofService(apps, "aws_lb_listener_rule", svc)).toHaveLength(1);
    expect(ofService(apps, "aws_ecs_service", svc)).toHaveLength(1);
    expect(ofService(apps, "aws_ecs_task_definition", svc)).toHaveLength(1);
    expect(ofService(apps, "aws_cloudwatch_log_group", svc)).toEqual([expect.objectContaining({ name: `/ecs/harbor-small/${svc}`, kms_key_id: expect.stringMatching(/remote_state/) })]);
    expect(ofService(apps, "aws_appautoscaling_target", svc)).toHaveLength(1);
    expect(ofService(apps, "aws_appautoscaling_policy", svc).length).toBeGreaterThanOrEqual(1);
  });

  test("internal worker: a service, log group and autoscaling, but no target group or rule", () => {
    expect(ofService(apps, "aws_ecs_service", "worker")).toHaveLength(1);
    expect(ofService(apps, "aws_cloudwatch_log_group", "worker")).toHaveLength(1);
    expect(ofService(apps, "aws_appautoscaling_target", "worker")).toHaveLength(1);
    expect(ofService(apps, "aws_lb_target_group", "worker")).toHaveLength(0);
    expect(ofService(apps, "aws_lb_listener_rule", "worker")).toHaveLength(0);
    expect(ofService(apps, "aws_ecs_service", "worker")[0].load_balancer).toBeUndefined();
    expect(ofType(apps, "aws_lb_target_group")).toHaveLength(2);
  });

  test("task definitions: bridge mode, dynamic host ports, cpu and memory, awslogs, read-only root, not privileged", () => {
    const [td] = ofService(apps, "aws_ecs_task_definition", "front");
    // The task: the container's 256 CPU units and 512 MiB plus the Service Connect proxy's 256 and 64.
    expect(td).toMatchObject({ network_mode: "bridge", requires_compatibilities: ["EC2"], cpu: "512", memory: "576", family: "harbor-small-front" });
    const [c] = JSON.parse(td.container_definitions);
    expect(c.portMappings).toEqual([{ name: "http", containerPort: 8080, hostPort: 0, protocol: "tcp", appProtocol: "http" }]);
    expect(c).toMatchObject({ cpu: 256, memory: 512, memoryReservation: 256, readonlyRootFilesystem: true, privileged: false, essential: true });
    expect(c.logConfiguration).toEqual({ logDriver: "awslogs", options: { "awslogs-group": "/ecs/harbor-small/front", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "front", mode: "non-blocking" } });
    expect(c.image).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-global\.outputs\.[\w-]+ecr_front[\w-]+repository_url\}:1\.0\.0$/);
    // keyed: the container health check and the secret as a reference
    const [b] = JSON.parse(ofService(apps, "aws_ecs_task_definition", "keyed")[0].container_definitions);
    expect(b.healthCheck).toEqual({ command: ["CMD", "wget", "-q", "-O", "-", "http://localhost:8080/keyed/health"], interval: 20, timeout: 5, retries: 3, startPeriod: 30 });
    // Named in the descriptor, built in the deploying account (the network stack's caller identity).
    expect(b.secrets).toEqual([{ name: "API_KEY", valueFrom: expect.stringMatching(BRAVO_PARAMETER_ARN) }]);
    const [l] = JSON.parse(ofService(apps, "aws_ecs_task_definition", "worker")[0].container_definitions);
    expect(l.portMappings).toEqual([{ name: "http", containerPort: 8080, hostPort: 0, protocol: "tcp", appProtocol: "http" }]);
    expect(l.linuxParameters.tmpfs).toEqual([{ containerPath: "/tmp", size: 64 }]);
  });

  test("a task role separate from the execution role; the execution role reads only the service's own secrets", () => {
    const [td] = ofService(apps, "aws_ecs_task_definition", "keyed");
    expect(td.execution_role_arn).toMatch(/aws_iam_role\.keyed_execution-role_\w+\.arn/);
    expect(td.task_role_arn).toMatch(/aws_iam_role\.keyed_task-role_\w+\.arn/);
    const policies = Object.fromEntries(ofService(apps, "aws_iam_role_policy", "keyed").map((p) => [p.name, JSON.parse(p.policy)]));
    const statements = policies["task-execution"].Statement as Json[];
    expect(statements.find((s) => s.Sid === "Parameters")).toEqual({ Sid: "Parameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: [expect.stringMatching(BRAVO_PARAMETER_ARN)] });
    expect(statements.find((s) => s.Sid === "PullOwnImage")!.Resource).toMatch(/ecr_keyed.*arn\}$/);
    const frontExec = ofService(apps, "aws_iam_role_policy", "front").find((p) => p.name === "task-execution")!;
    expect(JSON.parse(frontExec.policy).Statement.map((s: Json) => s.Sid)).toEqual(["Logs", "RegistryToken", "PullOwnImage"]);
    for (const p of ofType(apps, "aws_iam_role_policy")) {
      for (const s of JSON.parse(p.policy).Statement) expect([s.Action].flat()).not.toContain("*");
    }
  });

  test("target groups: instance targets, health check from x-health, deregistration delay", () => {
    const [tg] = ofService(apps, "aws_lb_target_group", "front");
    expect(tg).toMatchObject({ target_type: "instance", protocol: "HTTP", port: 8080, deregistration_delay: "30", name: "harbor-small-front" });
    expect(tg.health_check).toMatchObject({ path: "/front/health", interval: 15, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 3, matcher: "200-399", port: "traffic-port" });
    expect(ofService(apps, "aws_lb_target_group", "keyed")[0].health_check).toMatchObject({ path: "/keyed/health", interval: 20 });
  });

  test("listener rules: path patterns, the edge's origin-verify header, the edge's listener and priority", () => {
    const [rule] = ofService(apps, "aws_lb_listener_rule", "front");
    expect(rule.condition[0]).toEqual({ path_pattern: { values: ["/front", "/front/*"] } });
    expect(rule.condition.find((c: Json) => c.http_header?.http_header_name === "X-Origin-Verify")!.http_header.values[0]).toMatch(/remote_state\.cross-stack-reference-input-small-edge/);
    expect(rule.listener_arn).toMatch(/remote_state\.cross-stack-reference-input-small-edge.*https-443/);
    expect(rule.action).toEqual([{ type: "forward", target_group_arn: expect.stringMatching(/aws_lb_target_group\.front_target-group/) }]);
    expect(ofService(apps, "aws_lb_listener_rule", "keyed")[0].priority).not.toBe(rule.priority);
  });

  test("services: capacity provider strategy, AZ spread then binpack on memory, circuit breaker with rollback, grace period", () => {
    const [svc] = ofService(apps, "aws_ecs_service", "front");
    expect(svc.capacity_provider_strategy).toEqual([
      { base: 1, weight: 1, capacity_provider: expect.stringMatching(/remote_state.*small-platform/) },
      { base: 0, weight: 3, capacity_provider: expect.stringMatching(/remote_state.*small-platform/) },
    ]);
    expect(svc.launch_type).toBeUndefined();
    expect(svc.ordered_placement_strategy).toEqual([
      { type: "spread", field: "attribute:ecs.availability-zone" },
      { type: "binpack", field: "memory" },
    ]);
    expect(svc.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(svc).toMatchObject({ deployment_minimum_healthy_percent: 100, deployment_maximum_percent: 200, health_check_grace_period_seconds: 60, desired_count: 2, enable_execute_command: true });
    expect(svc.load_balancer).toEqual([{ container_name: "front", container_port: 8080, target_group_arn: expect.stringMatching(/front_target-group/) }]);
    expect(svc.lifecycle.ignore_changes).toEqual(["desired_count"]);
    expect(svc.depends_on).toEqual([expect.stringMatching(/^aws_lb_listener_rule\.front_rule/)]);
  });

  test("autoscaling: target tracking on CPU and on requests per target (ALB and target group labels)", () => {
    const [target] = ofService(apps, "aws_appautoscaling_target", "front");
    expect(target).toMatchObject({ min_capacity: 2, max_capacity: 6, scalable_dimension: "ecs:service:DesiredCount", service_namespace: "ecs" });
    const policies = Object.fromEntries(ofService(apps, "aws_appautoscaling_policy", "front").map((p) => [p.name, p.target_tracking_scaling_policy_configuration]));
    // x-scaling.cpu 60 means 60 % of front's own 256 units: 30 % of the 512-unit task (proxy included).
    expect(policies["front-cpu"]).toMatchObject({ target_value: 30, predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" } });
    expect(policies["front-requests"]).toMatchObject({ target_value: 1000, predefined_metric_specification: { predefined_metric_type: "ALBRequestCountPerTarget" } });
    expect(policies["front-requests"].predefined_metric_specification.resource_label).toMatch(/small-edge.*\/\$\{aws_lb_target_group\.front_target-group_\w+\.arn_suffix\}$/);
  });

  test("alarms: CPU, memory and tasks below desired per service, unhealthy hosts per target group, to the alarm topic", () => {
    const names = ofType(apps, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name).sort();
    expect(names).toEqual(
      [
        ...["front", "keyed", "worker"].flatMap((s) => [`harbor-small-ecs-${s}-cpu`, `harbor-small-ecs-${s}-memory`, `harbor-small-ecs-${s}-tasks-below-desired`]),
        "harbor-small-front-unhealthy-hosts",
        "harbor-small-keyed-unhealthy-hosts",
      ].sort(),
    );
    for (const a of ofType(apps, "aws_cloudwatch_metric_alarm")) expect(a.alarm_actions[0]).toMatch(/small-network/);
  });

  test("no secret values and no plain-text origin-verify value in the JSON", () => {
    const text = JSON.stringify(apps);
    expect(text).not.toMatch(/"X-Origin-Verify"[^$]*"values":\["[^$]/);
    expect(text).not.toMatch(/hunter2|password=/i);
  });
});

describe("<env>-apps on ECS without an edge", () => {
  test("services run without target groups or listener rules; request-count scaling is left out; serviceAlarms: false adds no alarms", () => {
    const [env] = validated(envInput({ name: "small", vpc: { cidr: "10.10.0.0/16" }, edge: { enabled: false }, platform: { kind: "ecs", serviceAlarms: false } } as never));
    const apps = synthEcs(env, catalogFor([env])).stack("small-apps");
    expect(ofType(apps, "aws_cloudwatch_metric_alarm")).toHaveLength(0);
    expect(ofType(apps, "aws_ecs_service")).toHaveLength(3);
    expect(ofType(apps, "aws_lb_target_group")).toHaveLength(0);
    expect(ofType(apps, "aws_lb_listener_rule")).toHaveLength(0);
    for (const s of ofType(apps, "aws_ecs_service")) expect(s.load_balancer).toBeUndefined();
    expect(ofType(apps, "aws_appautoscaling_policy").map((p) => p.name).sort()).toEqual(["front-cpu", "keyed-cpu", "worker-cpu"]);
  });
});

describe("250 services", () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `svc-${String(i).padStart(3, "0")}`);
  const write = (dir: string, svc: string) =>
    fs.writeFileSync(
      path.join(dir, `${svc}.yaml`),
      `services:\n  ${svc}:\n    image: ${svc}:1.0.0\n    ports: ["8080"]\n    x-expose: public\n    x-route: { path: /${svc} }\n    x-health: { path: /${svc}/health }\n    x-scaling: { min: 1, max: 4, cpu: 60 }\n`,
    );
  const dir = path.join(tmpDir("ecs-250"), "services");
  fs.mkdirSync(dir);
  names(250).forEach((s) => write(dir, s));
  // Routes past listener 0 are reached through CloudFront cache behaviors (one per route and port): raise that quota.
  const [env] = validated(envInput({ name: "scale", vpc: { cidr: "10.60.0.0/16" }, edge: { cdn: { maxCacheBehaviors: 1000 } } } as never));
  const load = () => loadServiceCatalog(dir, { environments: ["scale"] });
  const store = new MemoryAllocationStore();
  const before = synthEcs(env, load(), store).stack("scale-apps");

  test("synthesize, with rules spilled across listeners", () => {
    expect(ofType(before, "aws_ecs_service")).toHaveLength(250);
    expect(ofType(before, "aws_lb_listener_rule")).toHaveLength(250);
    const listeners = new Set(ofType(before, "aws_lb_listener_rule").map((r) => r.listener_arn));
    expect(listeners.size).toBeGreaterThanOrEqual(3);
    const priorities = ofType(before, "aws_lb_listener_rule").map((r) => r.priority);
    expect(new Set(priorities).size).toBe(250);
  });

  test("adding one service changes no existing address, rule, listener or priority", () => {
    write(dir, "svc-new");
    const after = synthEcs(env, load(), store).stack("scale-apps");
    const a = resources(before);
    const b = resources(after);
    expect(b.size).toBeGreaterThan(a.size);
    for (const [address, config] of a) expect(b.get(address)).toEqual(config);
    expect([...b.keys()].filter((k) => !a.has(k)).every((k) => k.includes("svc-new"))).toBe(true);
  });
});
