import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { acmValidationOverrides, ArnTypes, hclValue, mockBlocks, mockOutputValue, REMOTE_REF } from "./terraform-mocks";

/**
 * Real Terraform checks over synthesized stacks: `terraform init` from the local plugin mirror,
 * `terraform validate`, and `terraform test` with mocked providers doing a plan and an apply.
 *
 * Loading the AWS provider costs seconds per Terraform process, so every checkable stack becomes
 * a child module of one generated root module and is checked by one init, one validate and one
 * test run. Each stack's JSON is copied unchanged except that its backend and provider blocks are
 * removed (the root passes the providers in, mocked), `prevent_destroy` is dropped (the test tears
 * down what it applied) and its remote-state reads get mocked outputs through `override_data`.
 */

export { acmValidationOverrides, MOCK_DATA_DEFAULTS, MOCK_RESOURCE_DEFAULTS, mockOutputValue } from "./terraform-mocks";
export type { ArnTypes } from "./terraform-mocks";

/** Default location of the provider filesystem mirror. Override with TF_PLUGIN_DIR. */
export const DEFAULT_PLUGIN_DIR = "/opt/tf-plugins";

export interface CheckOptions {
  /** Directory with manifest.json (a cdktf outdir). */
  readonly outdir: string;
  /** Scratch directory for Terraform's working files. */
  readonly workdir: string;
  /** Provider mirror. @default TF_PLUGIN_DIR or /opt/tf-plugins */
  readonly pluginDir?: string;
  /** Terraform binary. @default TERRAFORM_BIN or `terraform` on PATH */
  readonly terraform?: string;
  /** Only these stacks. @default every stack in the manifest */
  readonly stacks?: readonly string[];
  /**
   * Stacks that are validated and planned but not applied (the apply run targets the others).
   * The test suite uses it for all but one instance of a layer whose mocked apply is slow.
   * @default none: every checkable stack is planned and applied
   */
  readonly planOnly?: readonly string[];
  /**
   * `validate`: init and validate only (the test suite: about a minute less than a mocked apply);
   * `test`: init, validate and the mocked plan + apply (`npm run check:terraform`, CI).
   * @default "test"
   */
  readonly steps?: "validate" | "test";
  /**
   * Where the provider lock file and the provider's ARN types are kept between runs, one
   * subdirectory per key (Terraform version, plugin mirror, providers required).
   * @default HARBOR_TF_CACHE or <tmpdir>/harbor-tf-cache
   */
  readonly cacheDir?: string;
}

export interface StackSelection {
  /** Stacks whose providers are all in the mirror. */
  readonly checkable: string[];
  /** Stacks that need providers the mirror lacks, with those providers. */
  readonly notCheckable: { stack: string; missing: string[] }[];
}

export interface CheckResult {
  readonly ok: boolean;
  readonly selection: StackSelection;
  /** Which step failed, if any. */
  readonly failedStep?: "init" | "validate" | "test";
  /** Combined output of the Terraform commands. */
  readonly log: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Manifest {
  stacks: Record<string, { synthesizedStackPath: string; dependencies?: string[] }>;
}

export function readManifest(outdir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
}

export function readStack(outdir: string, stack: string): Json {
  const manifest = readManifest(outdir);
  const entry = manifest.stacks[stack];
  if (!entry) throw new Error(`stack ${stack} is not in ${outdir}/manifest.json`);
  return JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8")) as Json;
}

/** The Terraform binary to use, or undefined when there is none. */
export function findTerraform(explicit?: string): string | undefined {
  const candidates = [explicit, process.env.TERRAFORM_BIN].filter((c): c is string => !!c);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  const r = spawnSync("terraform", ["version"], { encoding: "utf8" });
  return r.status === 0 ? "terraform" : undefined;
}

function providerInMirror(pluginDir: string, source: string): boolean {
  const full = source.includes("/") ? source : `hashicorp/${source}`;
  const [ns, name] = full.split("/").slice(-2);
  return fs.existsSync(path.join(pluginDir, "registry.terraform.io", ns, name));
}

export function selectStacks(outdir: string, pluginDir: string, only?: readonly string[]): StackSelection {
  const manifest = readManifest(outdir);
  const names = Object.keys(manifest.stacks).filter((s) => !only || only.includes(s)).sort();
  const selection: StackSelection = { checkable: [], notCheckable: [] };
  for (const stack of names) {
    const json = readStack(outdir, stack);
    const providers = Object.entries((json.terraform?.required_providers ?? {}) as Record<string, { source: string }>);
    const missing = providers.filter(([, p]) => !providerInMirror(pluginDir, p.source)).map(([name]) => name);
    if (missing.length) selection.notCheckable.push({ stack, missing });
    else selection.checkable.push(stack);
  }
  return selection;
}

/**
 * Writes one stack as a module of the root (stacks/<stack>/main.tf.json): without its providers
 * (the root passes them in, aliases recorded in `aliases`), backend and prevent_destroy; returns
 * the root's module block for it.
 */
function writeStackModule(workdir: string, stack: string, original: Json, aliases: Map<string, Set<string>>): { json: Json; module: Json } {
  const json = JSON.parse(JSON.stringify(original)) as Json;
  const moduleAliases: string[] = [];
  for (const [type, configs] of Object.entries((json.provider ?? {}) as Record<string, Json[]>)) {
    for (const cfg of configs) {
      if (cfg.alias) {
        moduleAliases.push(`${type}.${cfg.alias}`);
        if (!aliases.has(type)) aliases.set(type, new Set());
        aliases.get(type)!.add(cfg.alias as string);
      }
    }
    if (!aliases.has(type)) aliases.set(type, new Set());
  }
  delete json.provider;
  // A module has no state of its own: drop the backend (local, s3) or Terraform Cloud block.
  if (json.terraform) {
    delete json.terraform.backend;
    delete json.terraform.cloud;
  }
  // `terraform test` destroys what it applied; prevent_destroy (asserted by unit tests) would block that.
  for (const byName of Object.values((json.resource ?? {}) as Record<string, Record<string, Json>>)) {
    for (const res of Object.values(byName)) if (res.lifecycle) delete res.lifecycle.prevent_destroy;
  }
  for (const [type, req] of Object.entries((json.terraform?.required_providers ?? {}) as Record<string, Json>)) {
    const mine = moduleAliases.filter((a) => a.startsWith(`${type}.`));
    if (mine.length) req.configuration_aliases = mine;
  }
  const dir = path.join(workdir, "stacks", stack);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(json, null, 1));
  const providers: Record<string, string> = {};
  for (const type of Object.keys(json.terraform?.required_providers ?? {})) providers[type] = type;
  for (const a of moduleAliases) providers[a] = a;
  return { json, module: { source: `./stacks/${stack}`, providers } };
}

/** Mocks every remote-state read of one stack with outputs shaped like the producer's. */
function remoteStateOverrides(stack: string, json: Json, all: Readonly<Record<string, Json>>): string[] {
  const overrides: string[] = [];
  const text = JSON.stringify(all[stack]);
  const wanted = new Map<string, Set<string>>();
  for (const m of text.matchAll(REMOTE_REF)) {
    if (!wanted.has(m[1])) wanted.set(m[1], new Set());
    wanted.get(m[1])!.add(m[2]);
  }
  for (const ds of Object.keys(json.data?.terraform_remote_state ?? {})) {
    const producerName = ds.replace(/^cross-stack-reference-input-/, "");
    const outputs: Record<string, unknown> = {};
    for (const o of [...(wanted.get(ds) ?? [])].sort()) outputs[o] = mockOutputValue(all[producerName], o);
    overrides.push(`override_data {\n  target = module.${stack}.data.terraform_remote_state.${ds}\n  values = { outputs = ${hclValue(outputs)} }\n}\n`);
  }
  return overrides;
}

/** The mocked test file: a mock provider per provider and alias, the overrides, and the plan and apply runs. */
function mockedTestFile(stacks: readonly string[], all: Readonly<Record<string, Json>>, aliases: ReadonlyMap<string, ReadonlySet<string>>, overrides: readonly string[], arnTypes: ArnTypes, planOnly: readonly string[]): { providerBlocks: Json; requiredProviders: Json; test: string } {
  const providerBlocks: Json = {};
  const requiredProviders: Json = {};
  const mocks: string[] = [];
  const body = mockBlocks(stacks.map((s) => all[s]), arnTypes);
  const planned = planOnly.filter((p) => stacks.includes(p));
  for (const [type, set] of [...aliases.entries()].sort()) {
    providerBlocks[type] = [{ region: "us-east-1" }, ...[...set].sort().map((alias) => ({ alias, region: "us-east-1" }))];
    requiredProviders[type] = { source: `hashicorp/${type}` };
    const mockBody = type === "aws" ? body : "";
    mocks.push(`mock_provider "${type}" {\n${mockBody}\n}\n`);
    for (const alias of [...set].sort()) mocks.push(`mock_provider "${type}" {\n  alias = "${alias}"\n${mockBody}\n}\n`);
  }
  const test = [
    "# Generated: every stack planned and applied against mocked providers.",
    ...mocks,
    ...overrides,
    // An apply run plans, applies, and (at teardown) destroys; plan-only stacks get a plan run.
    ...(planned.length ? [`run "plan" {\n  command = plan\n  plan_options {\n    target = [${planned.map((st) => `module.${st}`).join(", ")}]\n  }\n}\n`] : []),
    planned.length
      ? `run "apply" {\n  command = apply\n  plan_options {\n    target = [${stacks.filter((st) => !planned.includes(st)).map((st) => `module.${st}`).join(", ")}]\n  }\n}\n`
      : 'run "apply" {\n  command = apply\n}\n',
  ].join("\n");
  return { providerBlocks, requiredProviders, test };
}

/** Writes the root module, the stack modules and the mocked test file. */
export function prepareWorkdir(outdir: string, workdir: string, stacks: readonly string[], arnTypes: ArnTypes = { resources: [], dataSources: [] }, planOnly: readonly string[] = []): void {
  fs.rmSync(path.join(workdir, "stacks"), { recursive: true, force: true });
  fs.mkdirSync(path.join(workdir, "tests"), { recursive: true });
  const all = Object.fromEntries(Object.keys(readManifest(outdir).stacks).map((s) => [s, readStack(outdir, s)]));
  const aliases = new Map<string, Set<string>>(); // provider type -> aliases
  const modules: Json = {};
  const overrides: string[] = [];

  for (const stack of stacks) {
    const { json, module } = writeStackModule(workdir, stack, all[stack], aliases);
    modules[stack] = module;
    overrides.push(...remoteStateOverrides(stack, json, all));
    overrides.push(...acmValidationOverrides(stack, json));
  }

  const { providerBlocks, requiredProviders, test } = mockedTestFile(stacks, all, aliases, overrides, arnTypes, planOnly);
  const root: Json = { terraform: { required_providers: requiredProviders }, module: modules };
  if (Object.keys(providerBlocks).length) root.provider = providerBlocks;
  fs.writeFileSync(path.join(workdir, "main.tf.json"), JSON.stringify(root, null, 1));
  fs.writeFileSync(path.join(workdir, "tests", "mocked.tftest.hcl"), test);
}

/**
 * The cache directory for this Terraform binary, plugin mirror and set of required providers: it
 * keeps the dependency lock file (so every init reuses the recorded provider instead of resolving
 * it again) and the provider's ARN types (a `terraform providers schema` run costs seconds).
 */
export function providerCacheDir(terraform: string, pluginDir: string, outdir: string, stacks: readonly string[], root?: string): string {
  const providers = new Set<string>();
  for (const s of stacks) for (const p of Object.values((readStack(outdir, s).terraform?.required_providers ?? {}) as Record<string, Json>)) providers.add(`${p.source}@${p.version ?? ""}`);
  const version = (JSON.parse(spawnSync(terraform, ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } }).stdout || "{}") as Json).terraform_version;
  const key = crypto.createHash("sha256").update(JSON.stringify([version, path.resolve(pluginDir), [...providers].sort()])).digest("hex").slice(0, 16);
  return path.join(root ?? process.env.HARBOR_TF_CACHE ?? path.join(os.tmpdir(), "harbor-tf-cache"), key);
}

function writeAtomically(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Runs init, validate and (unless `steps` is "validate") the mocked plan+apply over the checkable stacks. */
export function runTerraformChecks(opts: CheckOptions): CheckResult {
  const pluginDir = opts.pluginDir ?? process.env.TF_PLUGIN_DIR ?? DEFAULT_PLUGIN_DIR;
  const terraform = findTerraform(opts.terraform);
  const selection = selectStacks(opts.outdir, pluginDir, opts.stacks);
  if (!terraform) throw new Error("terraform not found: install Terraform >= 1.7 or set TERRAFORM_BIN");
  if (selection.checkable.length === 0) return { ok: true, selection, log: "no checkable stacks" };
  fs.mkdirSync(opts.workdir, { recursive: true });
  prepareWorkdir(opts.outdir, opts.workdir, selection.checkable);
  const cliConfig = path.join(opts.workdir, "terraformrc");
  fs.writeFileSync(cliConfig, "");
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  let log = "";
  const run = (args: string[]) => {
    const r = spawnSync(terraform, args, { cwd: opts.workdir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    log += `$ terraform ${args.join(" ")}\n${r.stdout ?? ""}${r.stderr ?? ""}\n`;
    return r.status === 0;
  };
  const cache = opts.cacheDir ?? providerCacheDir(terraform, pluginDir, opts.outdir, selection.checkable);
  fs.mkdirSync(cache, { recursive: true });
  const lockFile = path.join(opts.workdir, ".terraform.lock.hcl");
  const cachedLock = path.join(cache, ".terraform.lock.hcl");
  if (fs.existsSync(cachedLock)) fs.copyFileSync(cachedLock, lockFile);
  if (!run(["init", "-backend=false", `-plugin-dir=${pluginDir}`, "-input=false", "-no-color"])) return { ok: false, selection, failedStep: "init", log };
  if (!fs.existsSync(cachedLock) && fs.existsSync(lockFile)) writeAtomically(cachedLock, fs.readFileSync(lockFile, "utf8"));
  // Mocked ARNs need the provider schema: which types have a computed `arn`. Cached with the lock file.
  const arnCache = path.join(cache, "arn-types.json");
  if (!fs.existsSync(arnCache)) {
    const r = spawnSync(terraform, ["providers", "schema", "-json"], { cwd: opts.workdir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) return { ok: false, selection, failedStep: "init", log: log + (r.stderr ?? "") };
    const schema = JSON.parse(r.stdout) as Json;
    const aws = schema.provider_schemas?.["registry.terraform.io/hashicorp/aws"] ?? {};
    const withArn = (group: Record<string, Json> = {}) =>
      Object.entries(group)
        .filter(([, v]) => v.block?.attributes?.arn?.computed)
        .map(([k]) => k)
        .sort();
    writeAtomically(arnCache, JSON.stringify({ resources: withArn(aws.resource_schemas), dataSources: withArn(aws.data_source_schemas) }));
  }
  prepareWorkdir(opts.outdir, opts.workdir, selection.checkable, JSON.parse(fs.readFileSync(arnCache, "utf8")) as ArnTypes, opts.planOnly);
  // validate also checks the generated test file (mocks and overrides).
  if (!run(["validate", "-no-color"])) return { ok: false, selection, failedStep: "validate", log };
  if (opts.steps === "validate") return { ok: true, selection, log };
  if (!run(["test", "-no-color"])) return { ok: false, selection, failedStep: "test", log };
  return { ok: true, selection, log };
}
