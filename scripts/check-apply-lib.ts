import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { readManifest, readStack, selectStacks } from "./terraform-check";
import { EmulatorGap, selectCrossStackGaps, StandIn, standInGaps } from "./emulator-gaps";
import { DeployResult } from "./deploy-lib";

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

export interface RunVerdict {
  /** Markdown: per stack the apply result, resources created on the emulator, stood in, destroy result. */
  readonly table: string;
  readonly failures: readonly string[];
  /** Outcomes that look like failures but are intended (prevent_destroy refusals). */
  readonly expected: readonly string[];
  readonly total: { created: number; stoodIn: number };
  readonly gapCounts: ReadonlyMap<EmulatorGap, number>;
}

const describeErrors = (errors: readonly { address?: string; message: string }[]) => errors.map((e) => `${e.address ? `${e.address}: ` : ""}${e.message}`).join("; ");

/**
 * Judges a run: every apply must succeed; every destroy must succeed, except a refusal by
 * `prevent_destroy` on exactly the stack's protected resources (expected) and the stacks such a
 * stack reads (kept, expected). Everything else is a project failure, named by stack and address.
 */
export function evaluateRun(scratch: Pick<Scratch, "stacks">, applied: DeployResult, destroyed: DeployResult | undefined, counts: ReadonlyMap<string, { created: number; stoodIn: number }>): RunVerdict {
  const gapCounts = new Map<EmulatorGap, number>();
  for (const s of scratch.stacks) for (const g of s.standIns) gapCounts.set(g.gap, (gapCounts.get(g.gap) ?? 0) + 1);
  const byStack = new Map(scratch.stacks.map((s) => [s.stack, s]));
  const destroyBy = new Map((destroyed?.results ?? []).map((r) => [r.stack, r]));
  const failures: string[] = [];
  const expected: string[] = [];
  const refusedOk = new Set<string>();
  const rows: string[] = [];
  // Destroy order: readers first, so a refused reader is judged before the stacks it keeps.
  for (const d of destroyed?.results ?? []) {
    if (d.status !== "refused") continue;
    const protectedHere = byStack.get(d.stack)?.protectedAddresses ?? [];
    const addresses = d.errors.map((e) => e.address ?? /Resource (\S+) has lifecycle\.prevent_destroy/.exec(e.message)?.[1]);
    if (addresses.every((a) => a && protectedHere.includes(a))) {
      refusedOk.add(d.stack);
      expected.push(`${d.stack}: destroy refused by prevent_destroy on ${addresses.join(", ")} (expected: stateful resources are protected)`);
    } else failures.push(`${d.stack}: destroy refused for unprotected resources: ${describeErrors(d.errors)}`);
  }
  for (const r of applied.results) {
    const c = counts.get(r.stack) ?? { created: 0, stoodIn: 0 };
    const d = destroyBy.get(r.stack);
    let destroyNote = d ? d.status : "-";
    if (d?.status === "refused" && refusedOk.has(d.stack)) destroyNote = "refused by prevent_destroy (expected)";
    else if (d?.status === "skipped" && /^kept: /.test(d.reason ?? "")) {
      const reader = /^kept: (\S+)/.exec(d.reason!)![1];
      const why = destroyBy.get(reader);
      const fine = refusedOk.has(reader) || (why?.status === "skipped" && /^kept: /.test(why.reason ?? ""));
      destroyNote = `kept: read by ${reader}${fine ? " (expected)" : ""}`;
    } else if (d && d.status !== "destroyed" && d.status !== "no changes" && d.status !== "refused") {
      failures.push(`${r.stack}: destroy ${d.status}: ${describeErrors(d.errors) || d.reason}`);
    }
    if (r.status !== "applied" && r.status !== "no changes") {
      failures.push(`${r.stack}: apply ${r.status}${r.errors.length ? `: ${describeErrors(r.errors)}` : r.reason ? ` (${r.reason})` : ""}`);
    }
    rows.push(`| ${r.stack} | ${r.status} | ${c.created} | ${c.stoodIn} | ${destroyNote} |`);
  }
  const total = [...counts.values()].reduce((a, c) => ({ created: a.created + c.created, stoodIn: a.stoodIn + c.stoodIn }), { created: 0, stoodIn: 0 });
  const table = ["| stack | apply | created on the emulator | stood in | destroy |", "|---|---|---:|---:|---|", ...rows, `| **total (${applied.results.length} stacks)** | | ${total.created} | ${total.stoodIn} | |`].join("\n");
  return { table, failures, expected, total, gapCounts };
}
