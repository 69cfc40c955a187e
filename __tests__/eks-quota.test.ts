import * as fs from "fs";
import * as path from "path";
import { ConfigError, EnvironmentSource } from "../environments/load";
import { environments as declared } from "../environments";
import { loadProject } from "../app/project";
import { imageOf, loadServiceCatalog } from "../modules/compose";
import { peakPods, quotaNeed } from "../modules/eks-addons/quota";
import { EksPlatformConfig, resolveNamespaceQuota } from "../environments/features/eks";
import { repoEnvironments, repoProjectSynth, tmpDir } from "./helpers";

const SERVICES = path.join(__dirname, "..", "services");
const catalog = loadServiceCatalog(SERVICES, { environments: repoEnvironments().map((e) => e.name) });

/** The repository's environments with staging's platform changed. */
function withStaging(platform: Record<string, unknown>): EnvironmentSource[] {
  return declared.map((s) => (s.file === "environments/staging.ts" ? { ...s, input: { ...(s.input as object), platform: { ...((s.input as { platform: object }).platform), ...platform } } } : s));
}
function rejection(sources: EnvironmentSource[], servicesDir?: string): string[] {
  try {
    loadProject({ environments: sources, servicesDir });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n");
  }
  throw new Error("expected the configuration to be rejected");
}

describe("namespace quotas follow the services", () => {
  test("peak pods: the autoscaler's maximum plus the 25% rolling surge, rounded up", () => {
    const by = Object.fromEntries(catalog.forEnvironment("staging").map((s) => [s.name, peakPods(s)]));
    expect(by).toEqual({ alpha: { max: 6, surge: 2, total: 8 }, bravo: { max: 8, surge: 2, total: 10 }, ledger: { max: 4, surge: 1, total: 5 } });
  });

  test("GIVEN no quota in config THEN each field is the services' sum at peak (the issue's 6.5 CPU / 11.5 GiB at max, plus surge)", () => {
    const staging = repoEnvironments().find((e) => e.name === "staging")!;
    const services = catalog.forEnvironment("staging");
    const atMax = services.reduce((n, s) => n + s.scaling!.max * Math.round((s.resources.cpu * 1000) / 1024), 0);
    expect(atMax).toBe(6500);
    expect(services.reduce((n, s) => n + s.scaling!.max * (s.resources.memoryReservationMiB ?? s.resources.memoryMiB), 0)).toBe(11776); // 11.5 GiB
    expect(resolveNamespaceQuota(staging.platform as EksPlatformConfig, services)).toEqual({
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
    const lines = rejection(withStaging({ quota: { requestsCpu: "4", requestsMemory: "8Gi", pods: 20 } }));
    expect(lines).toEqual([
      "environments/staging.ts: platform.quota.requestsCpu: cannot hold the services at their autoscalers' maximum plus rolling surge: alpha (6 max + 2 surge) x 250m = 2000m, bravo (8 max + 2 surge) x 500m = 5000m, ledger (4 max + 1 surge) x 250m = 1250m; together 8250m: raise it to at least 8250m or leave it out to compute it (got \"4\")",
      "environments/staging.ts: platform.quota.requestsMemory: cannot hold the services at their autoscalers' maximum plus rolling surge: alpha (6 max + 2 surge) x 256Mi = 2048Mi, bravo (8 max + 2 surge) x 1024Mi = 10240Mi, ledger (4 max + 1 surge) x 512Mi = 2560Mi; together 14848Mi: raise it to at least 14848Mi or leave it out to compute it (got \"8Gi\")",
      "environments/staging.ts: platform.quota.pods: cannot hold the services' 23 pods at peak (alpha 6 + 2, bravo 8 + 2, ledger 4 + 1): raise it to at least 23 or leave it out (got 20)",
    ]);
  });

  test("a quota that holds them is kept as given", () => {
    const config = loadProject({ environments: withStaging({ quota: { requestsCpu: "10", limitsMemory: "20Gi" } }) });
    const staging = config.environments.find((e) => e.name === "staging")!;
    expect(resolveNamespaceQuota(staging.platform as EksPlatformConfig, config.services!.forEnvironment("staging"))).toMatchObject({ requestsCpu: "10", limitsMemory: "20Gi", requestsMemory: "14848Mi" });
  });

  test("LimitRange defaults: the default request within the default limit", () => {
    expect(rejection(withStaging({ quota: { defaultRequest: { cpu: "1", memory: "1Gi" }, defaultLimit: { cpu: "500m", memory: "512Mi" } } }))).toEqual([
      "environments/staging.ts: platform.quota.defaultRequest.cpu: must not exceed defaultLimit.cpu (500m): a container given both defaults would be rejected (got \"1\")",
      "environments/staging.ts: platform.quota.defaultRequest.memory: must not exceed defaultLimit.memory (512Mi): a container given both defaults would be rejected (got \"1Gi\")",
    ]);
  });

  test("LimitRange defaults: a service without a CPU limit must not request more than the default limit it inherits", () => {
    const dir = path.join(tmpDir("eks-quota"), "services");
    fs.mkdirSync(dir);
    for (const f of fs.readdirSync(SERVICES)) fs.copyFileSync(path.join(SERVICES, f), path.join(dir, f));
    // ledger reserves 1 CPU and sets no CPU limit: it inherits the LimitRange's 500m.
    fs.writeFileSync(path.join(dir, "ledger.yaml"), fs.readFileSync(path.join(SERVICES, "ledger.yaml"), "utf8").replace('        limits:\n          cpus: "0.25"\n          memory: 512m', "        limits:\n          memory: 2g\n        reservations:\n          cpus: \"1\""));
    const lines = rejection(declared as EnvironmentSource[], dir);
    expect(lines).toEqual([
      expect.stringMatching(/^environments\/qa\.ts: platform\.quota\.defaultLimit\.cpu: is below service ledger's CPU request \(1000m, services\/ledger\.yaml\), which sets no CPU limit and so inherits this one: raise it to at least 1000m or give the service deploy\.resources\.limits\.cpus \(got "500m"\)$/),
      expect.stringMatching(/^environments\/staging\.ts: platform\.quota\.defaultLimit\.cpu: is below service ledger's CPU request/),
    ]);
  });

  test("limits count the LimitRange's default CPU limit for a container without one", () => {
    const ledger = catalog.forEnvironment("staging").find((s) => s.name === "ledger")!;
    const noLimit = { ...ledger, resources: { ...ledger.resources, cpuLimit: undefined } };
    expect(quotaNeed([noLimit], 500).totals.limitsCpu).toBe(5 * 500);
  });
});

describe("images are always pinned, on both platforms", () => {
  const untagged = (dir: string) => {
    fs.mkdirSync(dir);
    for (const f of fs.readdirSync(SERVICES)) fs.copyFileSync(path.join(SERVICES, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, "alpha.yaml"), fs.readFileSync(path.join(SERVICES, "alpha.yaml"), "utf8").replace("image: alpha:1.0.0", "image: alpha"));
  };
  const allEks = declared.map((src) => {
    const input = src.input as { platform: { kind: string } };
    return input.platform.kind === "ecs" ? { ...src, input: { ...input, platform: { kind: "eks", cluster: { shared: "staging" } } } } : src;
  });
  test.each([
    ["ECS and EKS environments (the repository's)", declared as EnvironmentSource[]],
    ["every environment on EKS (dev and prod as guests of staging)", allEks],
  ])("an untagged Compose image is a validation error with %s", (_what, sources) => {
    const dir = path.join(tmpDir("untagged"), "services");
    untagged(dir);
    expect(rejection(sources, dir)).toEqual([expect.stringMatching(/^services\/alpha\.yaml: services\.alpha\.image: needs a tag or digest/)]);
  });

  test("the one image function of both apps stacks never falls back to a floating tag", () => {
    const alpha = catalog.forEnvironment("staging").find((s) => s.name === "alpha")!;
    const urls = new Map([["alpha", "123456789012.dkr.ecr.us-east-1.amazonaws.com/harbor/alpha"]]);
    expect(imageOf(alpha, urls)).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/harbor/alpha:1.0.0");
    const bare = { ...alpha, image: { kind: "repository" as const, repository: "alpha" } };
    expect(() => imageOf(bare, urls)).toThrow("services/alpha.yaml: services.alpha.image needs a version tag or a digest (got none): images are always pinned");
  });

  test("no :latest anywhere in the synthesized output; every container image carries the descriptor's tag", () => {
    const out = repoProjectSynth();
    for (const name of out.stacks) expect([name, /:latest\b/.test(JSON.stringify(out.stack(name)))]).toEqual([name, false]);
    const images = ["staging-apps", "qa-apps"].flatMap((n) => Object.values((out.stack(n).resource.kubernetes_deployment_v1 ?? {}) as Record<string, { spec: { template: { spec: { container: { image: string }[] } } } }>)).map((d) => d.spec.template.spec.container[0].image);
    expect(images).toHaveLength(6);
    for (const i of images) expect(i).toMatch(/repository_url\}:1\.0\.0$/);
  });
});
