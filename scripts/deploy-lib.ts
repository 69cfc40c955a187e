import * as fs from "fs";
import * as path from "path";
import { spawn } from "child_process";
import { manifestDependencies, stackOrder } from "./stack-order";

/**
 * The deploy engine behind `scripts/deploy`: plans and applies (or destroys) synthesized stacks in
 * the manifest's dependency order. Every stack is planned to a saved plan file and exactly that
 * plan is applied. Independent stacks run in parallel (`parallel`), never before a stack they read.
 */

/** What to do with each selected stack. */
export type DeployMode = "apply" | "plan" | "destroy";

export interface DeployOptions {
  /** A cdktf outdir (with manifest.json). @default "cdktf.out" */
  readonly outdir: string;
  /** apply (plan + apply the plan), plan (plan only) or destroy (destroy plan + apply, reverse order). */
  readonly mode: DeployMode;
  /** Environments (`dev`, `sandbox-demo`, `global`): their stacks and the stacks they read. @default every stack */
  readonly envs?: readonly string[];
  /** Exact stack names (combined with `envs` as a union). */
  readonly stacks?: readonly string[];
  /** Include the stacks the selected ones read (apply/plan) or that read them (destroy). @default true */
  readonly withDependencies?: boolean;
  /** Stacks run at once where the dependency order allows. @default 1 */
  readonly parallel?: number;
  /** Terraform binary. @default TERRAFORM_BIN or `terraform` */
  readonly terraform?: string;
  /** Extra `terraform init` arguments (e.g. `-plugin-dir=/opt/tf-plugins`). */
  readonly initArgs?: readonly string[];
  /** Environment for Terraform. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where each stack's log goes. @default `<outdir>/stacks/<stack>/deploy.log` */
  readonly logDir?: string;
  /** Progress lines. @default stdout */
  readonly progress?: (line: string) => void;
}

export type StackStatus = "applied" | "planned" | "no changes" | "destroyed" | "failed" | "skipped" | "refused";

const SUCCESS: readonly StackStatus[] = ["applied", "planned", "no changes", "destroyed"];

export interface StackResult {
  readonly stack: string;
  readonly status: StackStatus;
  /** Resources to add / change / destroy in the saved plan. */
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly seconds: number;
  /** The failing resource addresses and the first line of each Terraform error. */
  readonly errors: readonly { address?: string; message: string }[];
  /** Why a stack was skipped (a stack it depends on failed). */
  readonly reason?: string;
  /** The stack's log file (init, plan, apply output). */
  readonly log: string;
}

export interface DeployResult {
  readonly ok: boolean;
  readonly order: readonly string[];
  readonly results: readonly StackResult[];
  readonly seconds: number;
}

/** `<env>-<layer>` -> `<env>`; `global` -> `global`. Layers never contain a dash. */
export function stackEnvironment(stack: string): string {
  const i = stack.lastIndexOf("-");
  return i < 0 ? stack : stack.slice(0, i);
}

/**
 * The stacks to act on, in the order to act on them: the named environments' and stacks' stacks,
 * plus (unless `withDependencies` is false) every stack they read, transitively (apply/plan) or
 * every stack that reads them (destroy). Destroy order is the reverse of apply order.
 */
export function selectDeployStacks(
  deps: Readonly<Record<string, readonly string[]>>,
  opts: { envs?: readonly string[]; stacks?: readonly string[]; mode: DeployMode; withDependencies?: boolean },
): string[] {
  const all = Object.keys(deps);
  const unknownStacks = (opts.stacks ?? []).filter((s) => !deps[s]);
  if (unknownStacks.length) throw new Error(`unknown stack ${unknownStacks.join(", ")}; known: ${all.sort().join(", ")}`);
  const envNames = new Set(all.map(stackEnvironment));
  const unknownEnvs = (opts.envs ?? []).filter((e) => !envNames.has(e));
  if (unknownEnvs.length) throw new Error(`unknown environment ${unknownEnvs.join(", ")}; known: ${[...envNames].sort().join(", ")}`);
  const everything = !opts.envs?.length && !opts.stacks?.length;
  const chosen = new Set(everything ? all : all.filter((s) => opts.envs?.includes(stackEnvironment(s)) || opts.stacks?.includes(s)));
  if (opts.withDependencies ?? true) {
    const readers: Record<string, string[]> = Object.fromEntries(all.map((s) => [s, all.filter((r) => deps[r].includes(s))]));
    const next = opts.mode === "destroy" ? (s: string) => readers[s] : (s: string) => deps[s];
    const visit = (s: string, seen: Set<string>) => {
      for (const d of next(s)) if (!seen.has(d)) { seen.add(d); visit(d, seen); }
    };
    for (const s of [...chosen]) visit(s, chosen);
  }
  const order = stackOrder(deps).filter((s) => chosen.has(s));
  return opts.mode === "destroy" ? order.reverse() : order;
}

const PLAN_LINE = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/;

/** The errors in a Terraform output: each one's message and, where Terraform names it, the resource address. */
export function terraformErrors(output: string): { address?: string; message: string }[] {
  const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "")); // eslint-disable-line no-control-regex
  const found: { address?: string; message: string }[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*Error: (.+)$/.exec(line);
    if (!m) return;
    let address: string | undefined;
    const detail: string[] = [];
    for (const next of lines.slice(i + 1, i + 16)) {
      if (/^\s*(Error|Warning): /.test(next)) break;
      const w = /^\s+with ([^\s,]+),/.exec(next);
      if (w) address ??= w[1];
      else if (next.trim() && !/^\s+on \S+ line \d+/.test(next) && !/^\s*\d+:/.test(next) && !/^\s+\(/.test(next)) detail.push(next.trim());
    }
    // prevent_destroy's refusal names the resource in its text, not in a `with` line.
    address ??= /^Resource (\S+) has lifecycle\.prevent_destroy/.exec(detail.join(" "))?.[1];
    const text = `${m[1].trim()}${detail.length ? `: ${detail.slice(0, 2).join(" ")}` : ""}`;
    found.push({ ...(address ? { address } : {}), message: text.slice(0, 400) });
  });
  return found;
}

/** True when every error is Terraform refusing to destroy a `prevent_destroy` resource. */
export function refusedByPreventDestroy(errors: readonly { message: string }[]): boolean {
  return errors.length > 0 && errors.every((e) => /Instance cannot be destroyed/.test(e.message));
}

function run(terraform: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, log: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    fs.appendFileSync(log, `$ terraform ${args.join(" ")}\n`);
    const child = spawn(terraform, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const take = (b: Buffer) => {
      out += b.toString();
      fs.appendFileSync(log, b);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (e) => resolve({ code: 127, out: `${out}\nError: ${e.message}\n` }));
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

async function deployStack(stack: string, dir: string, opts: DeployOptions, terraform: string, env: NodeJS.ProcessEnv): Promise<StackResult> {
  const started = Date.now();
  const logDir = opts.logDir ?? dir;
  fs.mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, opts.logDir ? `${stack}.${opts.mode}.log` : `${opts.mode}.log`);
  fs.writeFileSync(log, "");
  const done = (status: StackStatus, counts: number[], errors: StackResult["errors"] = []): StackResult => ({
    stack,
    status,
    add: counts[0] ?? 0,
    change: counts[1] ?? 0,
    destroy: counts[2] ?? 0,
    seconds: (Date.now() - started) / 1000,
    errors,
    log,
  });
  const init = await run(terraform, ["init", "-input=false", "-no-color", ...(opts.initArgs ?? [])], dir, env, log);
  if (init.code !== 0) return done("failed", [], terraformErrors(init.out).length ? terraformErrors(init.out) : [{ message: "terraform init failed" }]);
  const destroy = opts.mode === "destroy";
  const plan = await run(terraform, ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan", ...(destroy ? ["-destroy"] : [])], dir, env, log);
  const counts = (PLAN_LINE.exec(plan.out)?.slice(1) ?? []).map(Number);
  if (plan.code === 1) {
    const errors = terraformErrors(plan.out);
    return done(destroy && refusedByPreventDestroy(errors) ? "refused" : "failed", counts, errors.length ? errors : [{ message: "terraform plan failed" }]);
  }
  if (plan.code === 0) return done("no changes", counts);
  if (opts.mode === "plan") return done("planned", counts);
  const apply = await run(terraform, ["apply", "-input=false", "-no-color", "tfplan"], dir, env, log);
  if (apply.code !== 0) return done("failed", counts, terraformErrors(apply.out).length ? terraformErrors(apply.out) : [{ message: "terraform apply failed" }]);
  return done(destroy ? "destroyed" : "applied", counts);
}

/** Plans and applies (or destroys) the selected stacks; independent stacks run in parallel. */
export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  const started = Date.now();
  const deps = manifestDependencies(opts.outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(opts.outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  const order = selectDeployStacks(deps, opts);
  const progress = opts.progress ?? ((l: string) => process.stdout.write(`${l}\n`));
  const terraform = opts.terraform ?? process.env.TERRAFORM_BIN ?? "terraform";
  const env = { TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", ...(opts.env ?? process.env) };
  const parallel = Math.max(1, opts.parallel ?? 1);
  const destroy = opts.mode === "destroy";
  // A stack waits for the selected stacks it reads (apply) or that read it (destroy).
  const waitsFor = (s: string) => order.filter((o) => (destroy ? deps[o].includes(s) : deps[s].includes(o)));
  const results = new Map<string, StackResult>();
  const running = new Map<string, Promise<void>>();
  const verb = { apply: "apply", plan: "plan", destroy: "destroy" }[opts.mode];
  progress(`${verb}: ${order.length} stacks in dependency order${parallel > 1 ? `, up to ${parallel} at once` : ""}: ${order.join(", ")}`);
  // Start first the stacks with the longest chain of stacks waiting on them (the critical path).
  const height = new Map<string, number>();
  const heightOf = (s: string): number => {
    if (!height.has(s)) height.set(s, 1 + Math.max(0, ...order.filter((o) => waitsFor(o).includes(s)).map(heightOf)));
    return height.get(s)!;
  };
  const byPriority = [...order].sort((a, b) => heightOf(b) - heightOf(a) || order.indexOf(a) - order.indexOf(b));
  let index = 0;
  while (results.size < order.length) {
    for (const s of byPriority) {
      if (results.has(s) || running.has(s) || running.size >= parallel) continue;
      const blockers = waitsFor(s);
      const bad = blockers.find((b) => results.has(b) && !SUCCESS.includes(results.get(b)!.status));
      if (bad) {
        const reason = destroy ? `kept: ${bad} (which reads it) was not destroyed` : `not ${opts.mode === "plan" ? "planned" : "applied"}: ${bad} did not ${verb}`;
        results.set(s, { stack: s, status: "skipped", add: 0, change: 0, destroy: 0, seconds: 0, errors: [], reason, log: "" });
        progress(`[${++index}/${order.length}] ${s}: skipped (${reason})`);
        continue;
      }
      if (!blockers.every((b) => results.has(b))) continue;
      const dir = path.join(opts.outdir, manifest.stacks[s].workingDirectory);
      progress(`[start] ${s}`);
      running.set(
        s,
        deployStack(s, dir, opts, terraform, env).then((r) => {
          results.set(s, r);
          running.delete(s);
          const counts = `+${r.add} ~${r.change} -${r.destroy}`;
          progress(`[${++index}/${order.length}] ${s}: ${r.status} (${counts}) in ${r.seconds.toFixed(1)} s`);
          for (const e of r.errors) progress(`    ${s}: ${e.address ? `${e.address}: ` : ""}${e.message}`);
        }),
      );
    }
    if (results.size >= order.length) break;
    if (running.size) await Promise.race(running.values());
  }
  const list = order.map((s) => results.get(s)!);
  const ok = list.every((r) => SUCCESS.includes(r.status));
  return { ok, order, results: list, seconds: (Date.now() - started) / 1000 };
}

/** The summary table (Markdown), one row per stack. */
export function summaryTable(result: DeployResult, title: string): string {
  const rows = result.results.map((r) => {
    const note = r.reason ?? r.errors.map((e) => `${e.address ? `\`${e.address}\`: ` : ""}${e.message}`).join("; ");
    return `| ${r.stack} | ${r.status} | ${r.add} | ${r.change} | ${r.destroy} | ${r.seconds.toFixed(1)} | ${note.replace(/\|/g, "\\|")} |`;
  });
  return [`### ${title}`, "", "| stack | result | add | change | destroy | seconds | note |", "|---|---|---:|---:|---:|---:|---|", ...rows, "", `${result.ok ? "OK" : "FAILED"} in ${result.seconds.toFixed(1)} s`, ""].join("\n");
}
