import * as fs from "fs";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { allowedCalls, callersOf, loadServiceCatalog } from "../modules/compose";
import { DYNAMIC_HOST_PORTS, SERVICE_CONNECT_PROXY, taskSize, taskUtilizationTarget } from "../modules/ecs-fleet";
import { ServiceCallPolicies } from "../modules/eks-addons";
import { envInput, FIXTURE_SERVICES, fixtureEnvironmentInputs, Json, ofType, tmpDir, validated } from "./helpers";
import { catalogFor, synthWithServices } from "./fixtures/services/synth";

const PARKING = { stop: "0 20 * * *", start: "0 7 * * MON-FRI", timeZone: "Europe/Berlin" };
const byName = (stack: Json, type: string) => Object.fromEntries(ofType(stack, type).map((r) => [r.name, r])) as Record<string, Json>;

describe("ECS Service Connect in small-apps (the fixture services: front calls worker)", () => {
  // GIVEN small on ECS, parked at night, and services/ where front declares x-calls: [worker:8080]
  const envs = validated(envInput({ name: "small", vpc: { cidr: "10.10.0.0/16" }, parking: PARKING, edge: { enabled: false } } as never));
  const out = synthWithServices(envs);
  const platform = out.stack("small-platform");
  const apps = out.stack("small-apps");
  const services = byName(apps, "aws_ecs_service");
  const tasks = Object.fromEntries(ofType(apps, "aws_ecs_task_definition").map((t) => [JSON.parse(t.container_definitions)[0].name, t])) as Record<string, Json>;

  test("one Cloud Map HTTP namespace named after the environment, in the platform stack, exported to the apps stack", () => {
    const namespaces = ofType(platform, "aws_service_discovery_http_namespace");
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0].name).toBe("harbor-small");
    expect(Object.keys(platform.output)).toContainEqual(expect.stringMatching(/aws_service_discovery_http_namespace.*arn$/));
    expect(ofType(apps, "aws_service_discovery_http_namespace")).toHaveLength(0);
  });

  test("every service has a Service Connect configuration in the environment's namespace, its proxy logging to the service's log group", () => {
    expect(Object.keys(services).sort()).toEqual(["harbor-small-front", "harbor-small-keyed", "harbor-small-worker"]);
    for (const [name, svc] of Object.entries(services)) {
      const short = name.replace("harbor-small-", "");
      const sc = svc.service_connect_configuration;
      expect(sc.enabled).toBe(true);
      expect(sc.namespace).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-small-platform\.outputs\.cross-stack-output-aws_service_discovery_http_namespace[\w-]+arn\}$/);
      expect(sc.log_configuration).toEqual({ log_driver: "awslogs", options: { "awslogs-group": `/ecs/harbor-small/${short}`, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "service-connect" } });
    }
  });

  test("exactly one endpoint: worker, discovery name and client alias worker:8080 on its named port mapping; front and keyed are clients only", () => {
    expect(services["harbor-small-worker"].service_connect_configuration.service).toEqual([{ port_name: "http", discovery_name: "worker", client_alias: { dns_name: "worker", port: 8080 } }]);
    expect(services["harbor-small-front"].service_connect_configuration.service).toBeUndefined();
    expect(services["harbor-small-keyed"].service_connect_configuration.service).toBeUndefined();
    const [worker] = JSON.parse(tasks.worker.container_definitions);
    expect(worker.portMappings).toEqual([{ name: "http", containerPort: 8080, hostPort: 0, protocol: "tcp", appProtocol: "http" }]);
    expect(services["harbor-small-front"].tags).toEqual({ "harbor:calls": "worker:8080" });
    expect(services["harbor-small-worker"].tags).toEqual({ "harbor:callers": "front" });
    expect(services["harbor-small-keyed"].tags).toEqual({});
  });

  test("the app group accepts itself on the dynamic host-port range only (the proxies' ports in bridge mode), once, naming the call", () => {
    const rules = ofType(apps, "aws_vpc_security_group_ingress_rule");
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ ip_protocol: "tcp", from_port: DYNAMIC_HOST_PORTS.from, to_port: DYNAMIC_HOST_PORTS.to, description: "Service Connect proxies on dynamic host ports: front to worker:8080" });
    expect(rules[0].referenced_security_group_id).toBe(rules[0].security_group_id);
    expect(rules[0].security_group_id).toMatch(/small-network.*sg_app/);
    // The network stack itself still has no app-to-app rule.
    const network = out.stack("small-network");
    const appIngress = ofType(network, "aws_vpc_security_group_ingress_rule").filter((r) => /sg_app/.test(r.security_group_id) && /sg_app/.test(r.referenced_security_group_id ?? ""));
    expect(appIngress).toEqual([]);
  });

  test.each([
    ["front", 256, 512, 30],
    ["keyed", 512, 1024, 40],
    ["worker", 256, 512, 35],
  ])("%s: the task is the container (%i units, %i MiB) plus the proxy; the CPU target is scaled to the container's share", (name, cpu, mem, target) => {
    const td = tasks[name];
    expect([Number(td.cpu), Number(td.memory)]).toEqual([cpu + SERVICE_CONNECT_PROXY.cpu, mem + SERVICE_CONNECT_PROXY.memoryMiB]);
    const [c] = JSON.parse(td.container_definitions);
    expect([c.cpu, c.memory]).toEqual([cpu, mem]);
    const policy = ofType(apps, "aws_appautoscaling_policy").find((p) => p.name === `${name}-cpu`)!;
    expect(policy.target_tracking_scaling_policy_configuration.target_value).toBe(target);
  });

  test("parking still scales every service to zero and back; the Service Connect configuration (and worker's registration) does not depend on the count", () => {
    for (const name of ["front", "keyed", "worker"]) {
      const park = ofType(apps, "aws_appautoscaling_scheduled_action").find((a) => a.name === `${name}-park`)!;
      expect(park.scalable_target_action).toEqual({ min_capacity: "0", max_capacity: "0" });
      expect(services[`harbor-small-${name}`].lifecycle.ignore_changes).toEqual(["desired_count"]);
    }
    expect(services["harbor-small-worker"].service_connect_configuration.service).toHaveLength(1);
  });
});

describe("no declared calls: no endpoints and no app-to-app rule", () => {
  test("GIVEN the services without x-calls THEN every service is a Service Connect client only and the app group stays closed to itself", () => {
    const dir = path.join(tmpDir("sc-none"), "services");
    fs.mkdirSync(dir);
    for (const f of fs.readdirSync(FIXTURE_SERVICES)) fs.writeFileSync(path.join(dir, f), fs.readFileSync(path.join(FIXTURE_SERVICES, f), "utf8").replace(/ *x-calls:\n *- worker:8080\n/, ""));
    const envs = validated(envInput({ name: "small", vpc: { cidr: "10.10.0.0/16" }, edge: { enabled: false } } as never));
    const apps = synthWithServices(envs, catalogFor(envs, dir)).stack("small-apps");
    expect(ofType(apps, "aws_ecs_service")).toHaveLength(3);
    for (const s of ofType(apps, "aws_ecs_service")) expect(s.service_connect_configuration).toMatchObject({ enabled: true });
    for (const s of ofType(apps, "aws_ecs_service")) expect(s.service_connect_configuration.service).toBeUndefined();
    expect(ofType(apps, "aws_vpc_security_group_ingress_rule")).toHaveLength(0);
  });
});

describe("call graph and sizing helpers", () => {
  const services = loadServiceCatalog(FIXTURE_SERVICES, { environments: ["small"], knownEnvironments: fixtureEnvironmentInputs().map((e) => e.name) }).forEnvironment("small");
  test("allowedCalls and callersOf: exactly front -> worker:8080", () => {
    expect(allowedCalls(services)).toEqual([{ from: "front", to: "worker", port: 8080 }]);
    expect(callersOf(services, "worker")).toEqual(["front"]);
    expect(callersOf(services, "front")).toEqual([]);
  });
  test("taskSize adds the proxy only with Service Connect; utilization targets never fall below 1", () => {
    expect(taskSize({ cpu: 256, memoryMiB: 512 }, false)).toEqual({ cpu: 256, memoryMiB: 512 });
    expect(taskSize({ cpu: 256, cpuLimit: 512, memoryMiB: 1024 }, true)).toEqual({ cpu: 768, memoryMiB: 1088 });
    expect(taskUtilizationTarget(60, 256, 512)).toBe(30);
    expect(taskUtilizationTarget(10, 128, 16384)).toBe(1);
  });
});

describe("ServiceCallPolicies (Kubernetes)", () => {
  test("one ingress policy per callee (its callers, its port) and one egress policy per caller (its callees, their ports)", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    new ServiceCallPolicies(stack, "calls", {
      namespace: "small",
      calls: [
        { from: "front", to: "worker", port: 8080 },
        { from: "keyed", to: "worker", port: 8080 },
        { from: "front", to: "audit", port: 9000 },
      ],
    });
    const policies = Object.fromEntries(ofType(JSON.parse(Testing.synth(stack)) as Json, "kubernetes_network_policy_v1").map((p) => [p.metadata.name, p])) as Record<string, Json>;
    expect(Object.keys(policies).sort()).toEqual(["calls-from-front", "calls-from-keyed", "calls-to-audit", "calls-to-worker"]);
    expect(policies["calls-to-worker"].spec).toEqual({
      pod_selector: { match_labels: { "app.kubernetes.io/name": "worker" } },
      policy_types: ["Ingress"],
      ingress: [{ from: [{ pod_selector: { match_labels: { "app.kubernetes.io/name": "front" } } }, { pod_selector: { match_labels: { "app.kubernetes.io/name": "keyed" } } }], ports: [{ port: "8080", protocol: "TCP" }] }],
    });
    expect(policies["calls-from-front"].spec.egress).toEqual([
      { to: [{ pod_selector: { match_labels: { "app.kubernetes.io/name": "worker" } } }], ports: [{ port: "8080", protocol: "TCP" }] },
      { to: [{ pod_selector: { match_labels: { "app.kubernetes.io/name": "audit" } } }], ports: [{ port: "9000", protocol: "TCP" }] },
    ]);
    for (const p of Object.values(policies)) expect(p.metadata.namespace).toBe("small");
  });
  test("no calls, no policies", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    new ServiceCallPolicies(stack, "calls", { namespace: "small", calls: [] });
    expect(ofType(JSON.parse(Testing.synth(stack)) as Json, "kubernetes_network_policy_v1")).toHaveLength(0);
  });
});
