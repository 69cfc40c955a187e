import * as crypto from "crypto";
import * as fs from "fs";
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { environments, global } from "../environments";
import { ConfigError, EnvironmentSource, validateEnvironments } from "../environments/load";
import { GlobalConfig, globalSchema } from "../environments/global-schema";
import { Environment, EnvironmentInput } from "../environments/schema";
import { buildApp } from "../app/app";
import { loadProject } from "../app/project";

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

/** The repository's own environments, validated. */
export function repoEnvironments(): Environment[] {
  return validateEnvironments(environments);
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `harbor-${prefix}-`));
}

/** The repository's global settings, validated. */
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
 * synthesized once per test run by global-setup.ts (or here, when a file runs alone).
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
