import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { readManifest, readStack, selectStacks } from "./terraform-check";
import { selectCrossStackGaps, StandIn, standInGaps } from "./emulator-gaps";

/**
 * The pieces of `npm run check:apply` that do not need the emulator: the scratch copy of cdktf.out
 * pointed at a local AWS API emulator (provider overrides, local backends, real local remote
 * state, gap stand-ins), and reading the results back from the state files.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The emulator's account and region (moto's defaults). */
export const EMULATOR_ACCOUNT = "123456789012";

/**
 * AWS provider endpoint keys pointed at the emulator: every service the AWS-only stacks call.
 * Add the service's key (the provider's `endpoints` block) when a stack starts using a new one.
 */
export const EMULATED_SERVICES = [
  "acm",
  "appautoscaling",
  "autoscaling",
  "cloudfront",
  "cloudwatch",
  "ec2",
  "ecr",
  "ecs",
  "eks",
  "elb",
  "elbv2",
  "events",
  "iam",
  "kms",
  "lambda",
  "logs",
  "rds",
  "route53",
  "s3",
  "scheduler",
  "secretsmanager",
  "servicediscovery",
  "sns",
  "sqs",
  "ssm",
  "sts",
  "wafv2",
] as const;

/** The provider settings that send every call to the emulator (merged into every aws provider block, aliases too). */
export function emulatorProviderSettings(endpoint: string): Json {
  return {
    access_key: "test",
    secret_key: "test",
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    s3_use_path_style: true,
    // The emulator answers at once: retrying a failed call with backoff only delays the failure.
    max_retries: 2,
    endpoints: [Object.fromEntries(EMULATED_SERVICES.map((s) => [s, endpoint]))],
  };
}

/** Local state path of a stack, relative to its working directory in the scratch copy. */
export const scratchStatePath = (stack: string) => `../../../state/${stack}.tfstate`;

export interface ScratchStack {
  readonly stack: string;
  readonly standIns: readonly StandIn[];
  /** Resources with `prevent_destroy` (destroy is expected to be refused). */
  readonly protectedAddresses: readonly string[];
}

export interface Scratch {
  /** `<dir>/cdktf.out`: what scripts/deploy runs over. */
  readonly outdir: string;
  readonly stacks: readonly ScratchStack[];
  /** Stacks skipped because they need providers other than aws (kubernetes, helm). */
  readonly notAwsOnly: readonly { stack: string; missing: string[] }[];
  /** The address the deliberately broken reference changed (`--break-reference`). */
  readonly broken?: string;
}

export interface ScratchOptions {
  readonly outdir: string;
  readonly dir: string;
  readonly endpoint: string;
  readonly pluginDir: string;
  /** Only these environments (stack prefixes); their dependencies are added. @default every environment */
  readonly envs?: readonly string[];
  /**
   * Demo of a broken cross-stack reference: corrupts the first private subnet id a network stack
   * exports (a typo in the value) so that its readers fail on the emulator.
   */
  readonly breakReference?: boolean;
}

/** Replaces a stack's backend (local, s3 or cloud) and remote-state reads by local state in the scratch directory. */
export function localizeState(stack: string, json: Json): void {
  json.terraform = json.terraform ?? {};
  delete json.terraform.cloud;
  json.terraform.backend = { local: { path: scratchStatePath(stack) } };
  for (const [name, ds] of Object.entries((json.data?.terraform_remote_state ?? {}) as Record<string, Json>)) {
    const producer = name.replace(/^cross-stack-reference-input-/, "");
    ds.backend = "local";
    ds.config = { path: scratchStatePath(producer) };
    delete ds.workspace;
  }
}

/** Writes the scratch copy: manifest of the AWS-only stacks, each stack localized, stood in and pointed at the emulator. */
export function prepareScratch(opts: ScratchOptions): Scratch {
  const manifest = readManifest(opts.outdir);
  const selection = selectStacks(opts.outdir, opts.pluginDir);
  const awsOnly = new Set(selection.checkable);
  let chosen = [...awsOnly];
  if (opts.envs?.length) {
    const want = new Set(chosen.filter((s) => opts.envs!.some((e) => s.startsWith(`${e}-`) || s === e)));
    const add = (s: string) => {
      for (const d of manifest.stacks[s].dependencies ?? []) if (awsOnly.has(d) && !want.has(d)) { want.add(d); add(d); }
    };
    [...want].forEach(add);
    chosen = [...want];
  }
  chosen.sort();
  const outdir = path.join(opts.dir, "cdktf.out");
  fs.mkdirSync(path.join(opts.dir, "state"), { recursive: true });
  const stacks: ScratchStack[] = [];
  const entries: Json = {};
  let broken: string | undefined;
  const selected = selectCrossStackGaps(Object.fromEntries(chosen.map((s) => [s, readStack(opts.outdir, s)])));
  for (const stack of chosen) {
    const entry = manifest.stacks[stack] as Json;
    let json = JSON.parse(JSON.stringify(readStack(opts.outdir, stack))) as Json;
    localizeState(stack, json);
    const protectedAddresses = Object.entries((json.resource ?? {}) as Record<string, Record<string, Json>>).flatMap(([t, byName]) =>
      Object.entries(byName).filter(([, r]) => r.lifecycle?.prevent_destroy).map(([n]) => `${t}.${n}`),
    );
    const region = (json.provider?.aws?.[0]?.region as string) ?? "us-east-1";
    const stood = standInGaps(json, { account: EMULATOR_ACCOUNT, region, stack, selected });
    json = stood.json;
    if (opts.breakReference && !broken && stack.endsWith("-network")) {
      const key = Object.keys(json.output ?? {}).find((k) => /^cross-stack-output-aws_subnet.*private.*id$/.test(k));
      if (key) {
        json.output[key].value = String(json.output[key].value).replace(/\}$/, '}-typo');
        broken = `${stack}: output.${key}`;
      }
    }
    const dir = path.join(outdir, entry.workingDirectory as string);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
    // The provider override: every aws provider block of the stack (default and aliases) gets the emulator settings.
    const settings = emulatorProviderSettings(opts.endpoint);
    const blocks = ((json.provider?.aws ?? []) as Json[]).map((p) => (p.alias ? { alias: p.alias, ...settings } : settings));
    fs.writeFileSync(path.join(dir, "emulator_override.tf.json"), JSON.stringify({ provider: { aws: blocks } }, null, 2));
    entries[stack] = { ...entry, dependencies: ((entry.dependencies as string[]) ?? []).filter((d) => chosen.includes(d)) };
    stacks.push({ stack, standIns: stood.standIns, protectedAddresses });
  }
  fs.writeFileSync(path.join(outdir, "manifest.json"), JSON.stringify({ ...manifest, stacks: entries }, null, 2));
  return { outdir, stacks, notAwsOnly: selection.notCheckable, broken };
}

/** Managed resource instances in a local state file: really created vs stood in. */
export function stateCounts(statePath: string): { created: number; stoodIn: number } {
  if (!fs.existsSync(statePath)) return { created: 0, stoodIn: 0 };
  const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as { resources?: { mode: string; type: string; name: string; instances: unknown[] }[] };
  let created = 0;
  let stoodIn = 0;
  for (const r of state.resources ?? []) {
    if (r.mode !== "managed") continue;
    if (r.type === "terraform_data" && r.name.startsWith("standin__")) stoodIn += r.instances.length;
    else created += r.instances.length;
  }
  return { created, stoodIn };
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
