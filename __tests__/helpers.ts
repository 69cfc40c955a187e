import * as crypto from "crypto";
import * as fs from "fs";
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { environments, global } from "../environments";
import { ConfigError, EnvironmentSource, validateConfig, validateEnvironments } from "../environments/load";
import { GlobalConfig, globalSchema } from "../environments/global-schema";
import { Environment, EnvironmentInput } from "../environments/schema";
import { AppConfig, buildApp } from "../app/app";
import { loadProject, ProjectSources } from "../app/project";
import { loadServiceCatalog, ServiceCatalog } from "../modules/compose";

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A remote backend for test environments that must have one (production ones). */
export const TEST_REMOTE_BACKEND = { kind: "s3", bucket: "harbor-test-state", region: "us-east-1" } as const;

/**
 * A valid environment input; tests change one thing at a time. A production one gets
 * TEST_REMOTE_BACKEND unless it names a backend (production state may not be local).
 */
export function envInput(overrides: Partial<EnvironmentInput> = {}): EnvironmentInput {
  return {
    ...(overrides.production && !("backend" in overrides) ? { backend: TEST_REMOTE_BACKEND } : {}),
    project: "harbor",
    name: "test",
    region: "us-east-1",
    vpc: { cidr: "10.50.0.0/16" },
    nat: { strategy: "single" },
    tags: { Owner: "team", Purpose: "testing", CostCenter: "cc-1" },
    platform: { kind: "ecs" },
    ssh: { allowList: ["203.0.113.0/24"] },
    ...overrides,
  };
}

/**
 * Validates inputs (as environments/e<i>.ts) that must be rejected and returns the problem lines;
 * fails the test when they are accepted.
 */
export function rejectionLines(...inputs: unknown[]): string[] {
  try {
    validateEnvironments(inputs.map((input, i) => ({ file: `environments/e${i}.ts`, input })));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n");
  }
  throw new Error("expected the configuration to be rejected");
}

export function sources(...inputs: EnvironmentInput[]): EnvironmentSource[] {
  return inputs.map((input) => ({ file: `environments/${input.name}.ts`, input }));
}

export function validated(...inputs: EnvironmentInput[]): Environment[] {
  return validateEnvironments(sources(...inputs));
}

/** The repository's own environments, validated (for the default-configuration tests; module tests use the fixture project). */
export function repoEnvironments(): Environment[] {
  return validateEnvironments(environments);
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `harbor-${prefix}-`));
}

/** The repository's global settings, validated (environments/global.ts: for the default-configuration tests). */
export function repoGlobal(): GlobalConfig {
  return globalSchema.parse(global.input);
}

/** Synthesizes the full app (cross-stack references wired) into a temp dir. */
export function synthAll(envs: readonly Environment[], globalConfig: GlobalConfig = repoGlobal()): { outdir: string; stack: (name: string) => Json; stacks: string[] } {
  const outdir = tmpDir("synth");
  buildApp({ global: globalConfig, environments: [...envs] }, outdir).app.synth();
  return readSynth(outdir);
}

export interface SynthResult {
  readonly outdir: string;
  readonly stack: (name: string) => Json;
  readonly stacks: string[];
}

function readSynth(outdir: string): SynthResult {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Json;
  return {
    outdir,
    stacks: Object.keys(manifest.stacks).sort(),
    stack: (name: string) => {
      const entry = manifest.stacks[name];
      if (!entry) throw new Error(`no stack ${name}`);
      return JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8")) as Json;
    },
  };
}

/**
 * The project exactly as `npm run synth` builds it (environments, sandboxes, services),
 * synthesized once per test run by global-setup.ts (or here, when a file runs alone). Only the
 * default-configuration tests read it; module and stack tests use fixtureProjectSynth.
 */
export function repoProjectSynth(): SynthResult {
  let outdir = process.env.HARBOR_PROJECT_SYNTH;
  if (!outdir || !fs.existsSync(path.join(outdir, "manifest.json"))) {
    outdir = tmpDir("project");
    buildApp(loadProject(), outdir).app.synth();
    process.env.HARBOR_PROJECT_SYNTH = outdir;
  }
  return readSynth(outdir);
}

/** Every resource of a stack as `type.name` -> config. */
export function resources(stack: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [type, byName] of Object.entries((stack.resource ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [name, cfg] of Object.entries(byName)) out.set(`${type}.${name}`, cfg);
  }
  return out;
}

export function ofType(stack: Json, type: string): Json[] {
  return Object.values((stack.resource?.[type] ?? {}) as Record<string, Json>);
}

export function dataOfType(stack: Json, type: string): Json[] {
  return Object.values((stack.data?.[type] ?? {}) as Record<string, Json>);
}

/** The compiled app, as `npm run synth` runs it (jest's global set-up brings dist/ up to date first). */
export const MAIN = path.resolve(__dirname, "..", "dist", "main.js");

/** Runs the compiled app with these arguments (outside the cdktf CLI). */
export function runMain(args: readonly string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: "" } });
}

/** A hash of every file's relative path and bytes below `dir`: equal hashes mean identical trees. */
export function treeHash(dir: string): string {
  const h = crypto.createHash("sha256");
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else h.update(path.relative(dir, p)).update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

/** Reads a synthesized outdir. */
export function readSynthDir(outdir: string): SynthResult {
  return readSynth(outdir);
}

/*
 * The fixture project: the configuration module and stack tests read, built here in code so that
 * editing the repository's example (environments/, services/) changes no module test. Its four
 * environments are named for their role:
 * - small: a cheap ECS environment (one NAT gateway, one small PostgreSQL, short retention, parked);
 * - guest: a namespace in host's EKS cluster (a PostgreSQL and a MySQL database, parked);
 * - host: an EKS cluster with its own edge (NAT per AZ, private API plus allow-listed CIDRs, admins);
 * - live: a production ECS environment (NAT per AZ, Aurora and Multi-AZ MySQL, alarm subscribers,
 *   edge on the zone apex, never parked).
 * Every one has three AZs, a bastion and an edge. Its services (fixtures/project/services) are front
 * (public, calls worker), keyed (public, reads a secret) and worker (internal).
 */

/** The fixture project's Compose service descriptors. */
export const FIXTURE_SERVICES = path.join(__dirname, "fixtures", "project", "services");

const FIXTURE_PARKING = { stop: "0 0 * * *", start: "0 7 * * MON-FRI", timeZone: "America/New_York" };
/** An HTTPS alarm subscriber (a PagerDuty-style endpoint). */
const FIXTURE_PAGER = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue";
const FIXTURE_STATE = { kind: "s3", bucket: "harbor-terraform-state", region: "us-east-1", keyPrefix: "harbor" } as const;

/** The fixture project's environment inputs (small, guest, host, live), in that order. */
export function fixtureEnvironmentInputs(): EnvironmentInput[] {
  const db = (instanceClass: string) => (name: string, engine: "postgres" | "mysql", version: string) => ({ name, engine, version, instanceClass });
  const [micro, medium] = [db("db.t4g.micro"), db("db.t4g.medium")];
  const perAz = (cidr: string) => ({ vpc: { cidr }, nat: { strategy: "perAz" as const } });
  return [
    envInput({
      name: "small",
      vpc: { cidr: "10.10.0.0/16" },
      flowLogs: { destination: "cloudwatch", retentionDays: 14 },
      tags: { Owner: "platform-team", Purpose: "development", CostCenter: "cc-1001" },
      databases: [micro("app", "postgres", "16")],
      observability: { logRetentionDays: 7 },
      parking: FIXTURE_PARKING,
    } as Partial<EnvironmentInput>),
    envInput({
      name: "guest",
      vpc: { cidr: "10.20.0.0/16" },
      flowLogs: { destination: "cloudwatch", retentionDays: 30 },
      tags: { Owner: "qa-team", Purpose: "quality-assurance", CostCenter: "cc-1002" },
      databases: [micro("app", "postgres", "16"), micro("orders", "mysql", "8.0")],
      observability: { logRetentionDays: 14 },
      platform: { kind: "eks", cluster: { shared: "host" } },
      parking: FIXTURE_PARKING,
    } as Partial<EnvironmentInput>),
    envInput({
      name: "host",
      ...perAz("10.30.0.0/16"),
      flowLogs: { destination: "cloudwatch", retentionDays: 90 },
      tags: { Owner: "platform-team", Purpose: "staging", CostCenter: "cc-1003" },
      backend: FIXTURE_STATE,
      databases: [{ ...medium("app", "postgres", "16"), allocatedStorageGiB: 50 }, medium("orders", "mysql", "8.0")],
      observability: { alarmSubscriptions: ["platform-team@example.com"], logRetentionDays: 30 },
      platform: { kind: "eks", endpoint: { publicAccessCidrs: ["203.0.113.0/24"] }, admins: ["platform-admin"] },
      parking: FIXTURE_PARKING,
      ssh: { allowList: ["203.0.113.0/24", "198.51.100.0/24"] },
    } as Partial<EnvironmentInput>),
    envInput({
      name: "live",
      production: true,
      ...perAz("10.40.0.0/16"),
      flowLogs: { destination: "s3", retentionDays: 365 },
      tags: { Owner: "platform-team", Purpose: "production", CostCenter: "cc-2000" },
      backend: { kind: "cloud", organization: "harbor" },
      // An Aurora PostgreSQL cluster and a Multi-AZ MySQL instance with storage autoscaling.
      databases: [
        { name: "app", engine: "postgres", kind: "aurora", version: "16.6", instanceClass: "db.r7g.large" },
        { ...medium("orders", "mysql", "8.0"), instanceClass: "db.m7g.large", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 500 },
      ],
      observability: { alarmSubscriptions: ["platform-oncall@example.com", FIXTURE_PAGER], thresholds: { rdsCpuPercent: 75, targetResponseTimeP99Seconds: 1.5 }, logRetentionDays: 365 },
      platform: { kind: "ecs", onDemand: { min: 2, max: 8 }, spot: { min: 0, max: 12 } },
      ssh: { allowList: ["198.51.100.0/24"] },
      edge: { apex: true },
    } as Partial<EnvironmentInput>),
  ];
}

/** The fixture project's global settings input: its hosted zone, S3 state; one repository per service. */
export const FIXTURE_GLOBAL_INPUT = {
  project: "harbor",
  region: "us-east-1",
  tags: { Owner: "platform-team", CostCenter: "cc-0001" },
  backend: FIXTURE_STATE,
  dns: { domain: "harbor.example.com" },
};

/** The fixture project's global settings, validated. */
export function fixtureGlobal(): GlobalConfig {
  return globalSchema.parse(FIXTURE_GLOBAL_INPUT);
}

/** The fixture project's environments, validated together (the guest's host is checked). */
export function fixtureEnvironments(): Environment[] {
  return validateConfig({ file: "environments/global.ts", input: FIXTURE_GLOBAL_INPUT }, sources(...fixtureEnvironmentInputs())).environments;
}

/** The fixture services for these environment names (x-environments may name any fixture environment). */
export function fixtureServices(environments: readonly string[] = fixtureEnvironmentInputs().map((e) => e.name)): ServiceCatalog {
  return loadServiceCatalog(FIXTURE_SERVICES, { environments, knownEnvironments: fixtureEnvironmentInputs().map((e) => e.name) });
}

/** The fixture project's sandbox registry (no sandboxes; guest-of-host EKS sandboxes would go to host). */
export const FIXTURE_SANDBOX_REGISTRY = path.join(__dirname, "fixtures", "project", "sandbox-registry.json");

/** The fixture project as loadProject reads it (environments as environments/<name>.ts). */
export function fixtureProjectSources(): ProjectSources & { environments: EnvironmentSource[] } {
  return {
    global: { file: "environments/global.ts", input: FIXTURE_GLOBAL_INPUT },
    environments: sources(...fixtureEnvironmentInputs()),
    sandboxRegistry: FIXTURE_SANDBOX_REGISTRY,
    servicesDir: FIXTURE_SERVICES,
  };
}

/** The whole fixture project, as buildApp takes it. */
export function fixtureProject(): AppConfig {
  return { global: fixtureGlobal(), environments: fixtureEnvironments(), services: fixtureServices() };
}

/** Synthesizes the fixture project into `outdir` (global-setup.ts, or fixtureProjectSynth run alone). */
export function synthFixtureProject(outdir: string): void {
  buildApp(fixtureProject(), outdir).app.synth();
}

/**
 * The fixture project synthesized, once per test run by global-setup.ts (HARBOR_FIXTURE_SYNTH),
 * or here when a file runs alone.
 */
export function fixtureProjectSynth(): SynthResult {
  let outdir = process.env.HARBOR_FIXTURE_SYNTH;
  if (!outdir || !fs.existsSync(path.join(outdir, "manifest.json"))) {
    outdir = tmpDir("fixture");
    synthFixtureProject(outdir);
    process.env.HARBOR_FIXTURE_SYNTH = outdir;
  }
  return readSynth(outdir);
}
