import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { ConfigError } from "../environments/load";
import { nextFreeCidr, SandboxRegistry, validateRegistry, sandboxSources } from "../environments/sandboxes";
import { validateConfig } from "../environments/load";
import { selectEnvironments } from "../app/selection";
import { FIXTURE_SANDBOX_REGISTRY, fixtureGlobal, fixtureProjectSources, Json, synthAll, tmpDir } from "./helpers";

/** Runs the compiled commands, as `npm run sandbox` / `npm run synth` do (`npm test` builds first). */
const ROOT = path.resolve(__dirname, "..");
const node = (script: string, args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, "dist", script), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: "" } });

/** The fixture project's registry (pool, cost center, parking, EKS host), for the rules and the stacks. */
const REGISTRY = JSON.parse(fs.readFileSync(FIXTURE_SANDBOX_REGISTRY, "utf8")) as Json;
/**
 * The repository's committed registry: the compiled commands (main.js, scripts/sandbox.js) run on
 * the default configuration (environments/), on purpose, so their registries name its EKS host.
 */
const REPO_REGISTRY = JSON.parse(fs.readFileSync(path.join(ROOT, "environments", "sandbox-registry.json"), "utf8")) as Json;

function registry(sandboxes: Json[], base: Json = REGISTRY): Json {
  return { ...base, sandboxes };
}

const entry = (over: Json = {}) => ({ name: "alice", owner: "alice@example.com", platform: "ecs", cidr: "10.128.16.0/20", created: "2026-11-01", expires: "2026-12-31", ...over });

function problems(raw: Json): string {
  try {
    validateRegistry(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error("expected the registry to be rejected");
}

describe("sandbox registry rules", () => {
  test("an overlap between sandboxes is rejected", () => {
    expect(problems(registry([entry(), entry({ name: "bob", cidr: "10.128.24.0/21" })]))).toMatch(
      /environments\/sandbox-registry\.json: sandboxes\.1\.cidr: overlaps sandbox alice's VPC 10\.128\.16\.0\/20 \(sandboxes\.0\.cidr\) \(got "10\.128\.24\.0\/21"\)/,
    );
  });
  test("a duplicate name is rejected", () => {
    expect(problems(registry([entry(), entry({ cidr: "10.128.32.0/20" })]))).toMatch(/sandboxes\.1\.name: is already used by sandboxes\.0/);
  });
  test("a bad owner is rejected", () => {
    expect(problems(registry([entry({ owner: "alice" })]))).toMatch(/sandboxes\.0\.owner: must be the owner's email address.*\(got "alice"\)/);
  });
  test("an expiry before creation is rejected", () => {
    expect(problems(registry([entry({ expires: "2026-10-01" })]))).toMatch(/sandboxes\.0\.expires: is before the day the sandbox was created/);
  });
  test("a CIDR outside the pool is rejected", () => {
    expect(problems(registry([entry({ cidr: "192.168.0.0/20" })]))).toMatch(/sandboxes\.0\.cidr: must lie inside the sandbox pool 10\.128\.0\.0\/12/);
  });
  test("an impossible date is rejected", () => {
    expect(problems(registry([entry({ expires: "2026-02-30" })]))).toMatch(/sandboxes\.0\.expires/);
  });
  test("next free CIDR skips environments and sandboxes", () => {
    const reg = validateRegistry(registry([entry({ cidr: "10.128.0.0/20" })])) as SandboxRegistry;
    expect(nextFreeCidr(reg, ["10.128.16.0/20"])).toBe("10.128.32.0/20");
  });
});

describe("default configuration: the sandbox command (scripts/sandbox.js on environments/)", () => {
  const dir = tmpDir("sbx-cmd");
  const file = path.join(dir, "sandbox-registry.json");
  fs.writeFileSync(file, JSON.stringify(registry([], REPO_REGISTRY)));
  const cmd = (...args: string[]) => node("scripts/sandbox.js", [...args, "--registry", file, "--today", "2026-11-26"]);

  test("adding two sandboxes gives non-overlapping CIDRs from the pool, clear of every environment", () => {
    const a = cmd("add", "alice", "--owner", "alice@example.com");
    expect(a.stderr).toBe("");
    const b = cmd("add", "bob", "--owner", "bob@example.com", "--eks", "--expires", "2027-01-31");
    expect(b.status).toBe(0);
    const reg = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(reg.sandboxes).toEqual([
      { name: "alice", owner: "alice@example.com", platform: "ecs", cidr: "10.128.0.0/20", created: "2026-11-26", expires: "2026-12-26" },
      { name: "bob", owner: "bob@example.com", platform: "eks", cidr: "10.128.16.0/20", created: "2026-11-26", expires: "2027-01-31" },
    ]);
    expect(a.stdout).toContain("added sandbox alice: VPC 10.128.0.0/20");
  });

  test("a past expiry on creation is rejected and nothing is written", () => {
    const before = fs.readFileSync(file, "utf8");
    const r = cmd("add", "carol", "--owner", "carol@example.com", "--expires", "2026-11-01");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/sandboxes\.2\.expires: must be after today \(2026-11-26\)/);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  test("a bad owner on the command line is rejected", () => {
    const r = cmd("add", "dave", "--owner", "dave");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/sandboxes\.2\.owner: must be the owner's email address/);
  });

  test("list marks expired sandboxes", () => {
    const r = node("scripts/sandbox.js", ["list", "--registry", file, "--today", "2027-01-01"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\| alice \| alice@example\.com \| ecs \| 10\.128\.0\.0\/20 \| 2026-11-26 \| 2026-12-26 \| \*\*EXPIRED\*\* \|/);
    expect(r.stdout).toMatch(/\| bob \|.*\| active \|/);
    expect(r.stdout).toContain("2 sandboxes, 1 expired");
  });

  test("remove drops the entry", () => {
    expect(cmd("remove", "alice").status).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).sandboxes.map((s: Json) => s.name)).toEqual(["bob"]);
  });
});

describe("sandbox stacks", () => {
  const { global, environments } = fixtureProjectSources();
  const base = validateConfig(global!, environments);
  const reg = (names: string[]) =>
    validateRegistry(registry(names.map((n, i) => entry({ name: n, cidr: `10.128.${i * 16}.0/20`, expires: "never" })))) as SandboxRegistry;
  const synthWith = (names: string[]) => synthAll(validateConfig(global!, [...environments, ...sandboxSources(reg(names), base.global!)]).environments, fixtureGlobal());

  test("every sandbox stack carries Owner and Expires tags; the preset is cheap", () => {
    const out = synthWith(["alice"]);
    const net = out.stack("sandbox-alice-network");
    expect(net.provider.aws[0].default_tags[0].tags).toMatchObject({ Owner: "alice@example.com", Expires: "never", Purpose: "sandbox", Environment: "sandbox-alice" });
    expect(Object.keys(net.resource.aws_nat_gateway ?? {})).toHaveLength(0);
    expect(Object.values(net.resource.aws_autoscaling_group as Json).some((g: Json) => g.name === "harbor-sandbox-alice-nat-instance")).toBe(true);
    expect(Object.values(net.resource.aws_cloudwatch_log_group as Json).find((g: Json) => String(g.name).startsWith("/aws/vpc-flow-logs")).retention_in_days).toBe(7);
  });

  test("removing a sandbox changes no address in any other stack", () => {
    const two = synthWith(["alice", "bob"]);
    const one = synthWith(["alice"]);
    expect(two.stacks.filter((s) => !s.startsWith("sandbox-bob-"))).toEqual(one.stacks);
    for (const s of one.stacks) expect(JSON.stringify(one.stack(s))).toBe(JSON.stringify(two.stack(s)));
  });

  test("selective synth: selecting an environment keeps that one only; an unknown name lists the known ones", () => {
    const envs = validateConfig(global!, environments).environments;
    expect(selectEnvironments(envs, ["small"]).map((e) => e.name)).toEqual(["small"]);
    expect(() => selectEnvironments(envs, ["nope"])).toThrow(/unknown environment or sandbox nope; known: small, guest, host, live/);
  });
});

describe("default configuration: the compiled app (main.js on environments/)", () => {
  test("a sandbox overlapping an environment is rejected by the synth", () => {
    const dir = tmpDir("sbx-overlap");
    const file = path.join(dir, "reg.json");
    fs.writeFileSync(file, JSON.stringify(registry([entry({ cidr: "10.10.0.0/20" })], REPO_REGISTRY)));
    const r = node("main.js", ["--outdir", path.join(dir, "out"), "--sandboxes", file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/sandboxes\.0\.cidr: must lie inside the sandbox pool|sandboxes\.0\.cidr: overlaps environment dev's VPC/);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });
  test("--env dev builds dev only (and global)", () => {
    const dir = tmpDir("sel");
    const r = node("main.js", ["--outdir", path.join(dir, "out"), "--env", "dev"]);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, "out", "stacks")).every((s) => s === "global" || s.startsWith("dev-"))).toBe(true);
  });
});
