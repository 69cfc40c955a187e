import * as fs from "fs";
import * as path from "path";
import { ConfigError, EnvironmentSource } from "../environments/load";
import { loadProject } from "../app/project";
import { imageOf, loadServiceCatalog } from "../modules/compose";
import { peakPods, quotaNeed } from "../modules/eks-addons/quota";
import { EksPlatformConfig, resolveNamespaceQuota } from "../environments/features/eks";
import { FIXTURE_SERVICES, fixtureEnvironments, fixtureProjectSources, fixtureProjectSynth, tmpDir } from "./helpers";

const SERVICES = FIXTURE_SERVICES;
const catalog = loadServiceCatalog(SERVICES, { environments: fixtureEnvironments().map((e) => e.name) });
/** The fixture project's environment sources (environments/<name>.ts). */
const declared = fixtureProjectSources().environments;

/** The fixture project's environments with host's platform changed. */
function withHost(platform: Record<string, unknown>): EnvironmentSource[] {
  return declared.map((s) => (s.file === "environments/host.ts" ? { ...s, input: { ...(s.input as object), platform: { ...((s.input as { platform: object }).platform), ...platform } } } : s));
}
function rejection(sources: EnvironmentSource[], servicesDir?: string): string[] {
  try {
    loadProject({ ...fixtureProjectSources(), environments: sources, servicesDir: servicesDir ?? FIXTURE_SERVICES });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n");
  }
  throw new Error("expected the configuration to be rejected");
}

describe("namespace quotas follow the services", () => {
  test("peak pods: the autoscaler's maximum plus the 25% rolling surge, rounded up", () => {
    const by = Object.fromEntries(catalog.forEnvironment("host").map((s) => [s.name, peakPods(s)]));
    expect(by).toEqual({ front: { max: 6, surge: 2, total: 8 }, keyed: { max: 8, surge: 2, total: 10 }, worker: { max: 4, surge: 1, total: 5 } });
  });

  test("GIVEN no quota in config THEN each field is the services' sum at peak (the issue's 6.5 CPU / 11.5 GiB at max, plus surge)", () => {
    const host = fixtureEnvironments().find((e) => e.name === "host")!;
    const services = catalog.forEnvironment("host");
    const atMax = services.reduce((n, s) => n + s.scaling!.max * Math.round((s.resources.cpu * 1000) / 1024), 0);
    expect(atMax).toBe(6500);
    expect(services.reduce((n, s) => n + s.scaling!.max * (s.resources.memoryReservationMiB ?? s.resources.memoryMiB), 0)).toBe(11776); // 11.5 GiB
    expect(resolveNamespaceQuota(host.platform as EksPlatformConfig, services)).toEqual({
      requestsCpu: "8250m",
      requestsMemory: "14848Mi",
      limitsCpu: "8250m",
      limitsMemory: "16896Mi",
      pods: 23,
      defaultRequest: { cpu: "250m", memory: "256Mi" },
      defaultLimit: { cpu: "500m", memory: "512Mi" },
    });
  });

  test("a given quota that cannot hold the services is rejected, naming each service and the numbers", () => {
    const lines = rejection(withHost({ quota: { requestsCpu: "4", requestsMemory: "8Gi", pods: 20 } }));
    expect(lines).toEqual([
      "environments/host.ts: platform.quota.requestsCpu: cannot hold the services at their autoscalers' maximum plus rolling surge: front (6 max + 2 surge) x 250m = 2000m, keyed (8 max + 2 surge) x 500m = 5000m, worker (4 max + 1 surge) x 250m = 1250m; together 8250m: raise it to at least 8250m or leave it out to compute it (got \"4\")",
      "environments/host.ts: platform.quota.requestsMemory: cannot hold the services at their autoscalers' maximum plus rolling surge: front (6 max + 2 surge) x 256Mi = 2048Mi, keyed (8 max + 2 surge) x 1024Mi = 10240Mi, worker (4 max + 1 surge) x 512Mi = 2560Mi; together 14848Mi: raise it to at least 14848Mi or leave it out to compute it (got \"8Gi\")",
      "environments/host.ts: platform.quota.pods: cannot hold the services' 23 pods at peak (front 6 + 2, keyed 8 + 2, worker 4 + 1): raise it to at least 23 or leave it out (got 20)",
    ]);
  });

  test("a quota that holds them is kept as given", () => {
    const config = loadProject({ ...fixtureProjectSources(), environments: withHost({ quota: { requestsCpu: "10", limitsMemory: "20Gi" } }) });
    const host = config.environments.find((e) => e.name === "host")!;
    expect(resolveNamespaceQuota(host.platform as EksPlatformConfig, config.services!.forEnvironment("host"))).toMatchObject({ requestsCpu: "10", limitsMemory: "20Gi", requestsMemory: "14848Mi" });
  });

  test("LimitRange defaults: the default request within the default limit", () => {
    expect(rejection(withHost({ quota: { defaultRequest: { cpu: "1", memory: "1Gi" }, defaultLimit: { cpu: "500m", memory: "512Mi" } } }))).toEqual([
      "environments/host.ts: platform.quota.defaultRequest.cpu: must not exceed defaultLimit.cpu (500m): a container given both defaults would be rejected (got \"1\")",
      "environments/host.ts: platform.quota.defaultRequest.memory: must not exceed defaultLimit.memory (512Mi): a container given both defaults would be rejected (got \"1Gi\")",
    ]);
  });

  test("LimitRange defaults: a service without a CPU limit must not request more than the default limit it inherits", () => {
    const dir = path.join(tmpDir("eks-quota"), "services");
    fs.mkdirSync(dir);
    for (const f of fs.readdirSync(SERVICES)) fs.copyFileSync(path.join(SERVICES, f), path.join(dir, f));
    // worker reserves 1 CPU and sets no CPU limit: it inherits the LimitRange's 500m.
    fs.writeFileSync(path.join(dir, "worker.yaml"), fs.readFileSync(path.join(SERVICES, "worker.yaml"), "utf8").replace('        limits:\n          cpus: "0.25"\n          memory: 512m', "        limits:\n          memory: 2g\n        reservations:\n          cpus: \"1\""));
    const lines = rejection(declared as EnvironmentSource[], dir);
    expect(lines).toEqual([
      expect.stringMatching(/^environments\/guest\.ts: platform\.quota\.defaultLimit\.cpu: is below service worker's CPU request \(1000m, services\/worker\.yaml\), which sets no CPU limit and so inherits this one: raise it to at least 1000m or give the service deploy\.resources\.limits\.cpus \(got "500m"\)$/),
      expect.stringMatching(/^environments\/host\.ts: platform\.quota\.defaultLimit\.cpu: is below service worker's CPU request/),
    ]);
  });

  test("limits count the LimitRange's default CPU limit for a container without one", () => {
    const worker = catalog.forEnvironment("host").find((s) => s.name === "worker")!;
    const noLimit = { ...worker, resources: { ...worker.resources, cpuLimit: undefined } };
    expect(quotaNeed([noLimit], 500).totals.limitsCpu).toBe(5 * 500);
  });
});

describe("images are always pinned, on both platforms", () => {
  const untagged = (dir: string) => {
    fs.mkdirSync(dir);
    for (const f of fs.readdirSync(SERVICES)) fs.copyFileSync(path.join(SERVICES, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, "front.yaml"), fs.readFileSync(path.join(SERVICES, "front.yaml"), "utf8").replace("image: front:1.0.0", "image: front"));
  };
  const allEks = declared.map((src) => {
    const input = src.input as { platform: { kind: string } };
    return input.platform.kind === "ecs" ? { ...src, input: { ...input, platform: { kind: "eks", cluster: { shared: "host" } } } } : src;
  });
  test.each([
    ["ECS and EKS environments (the fixture project's)", declared as EnvironmentSource[]],
    ["every environment on EKS (small and live as guests of host)", allEks],
  ])("an untagged Compose image is a validation error with %s", (_what, sources) => {
    const dir = path.join(tmpDir("untagged"), "services");
    untagged(dir);
    expect(rejection(sources, dir)).toEqual([expect.stringMatching(/^services\/front\.yaml: services\.front\.image: needs a tag or digest/)]);
  });

  test("the one image function of both apps stacks never falls back to a floating tag", () => {
    const front = catalog.forEnvironment("host").find((s) => s.name === "front")!;
    const urls = new Map([["front", "123456789012.dkr.ecr.us-east-1.amazonaws.com/harbor/front"]]);
    expect(imageOf(front, urls)).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/harbor/front:1.0.0");
    const bare = { ...front, image: { kind: "repository" as const, repository: "front" } };
    expect(() => imageOf(bare, urls)).toThrow("services/front.yaml: services.front.image needs a version tag or a digest (got none): images are always pinned");
  });

  test("no :latest anywhere in the synthesized output; every container image carries the descriptor's tag", () => {
    const out = fixtureProjectSynth();
    for (const name of out.stacks) expect([name, /:latest\b/.test(JSON.stringify(out.stack(name)))]).toEqual([name, false]);
    const images = ["host-apps", "guest-apps"].flatMap((n) => Object.values((out.stack(n).resource.kubernetes_deployment_v1 ?? {}) as Record<string, { spec: { template: { spec: { container: { image: string }[] } } } }>)).map((d) => d.spec.template.spec.container[0].image);
    expect(images).toHaveLength(6);
    for (const i of images) expect(i).toMatch(/repository_url\}:1\.0\.0$/);
  });
});
