import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { PRICES } from "./prices";
import { optionReader } from "./args";
import {
  architectureDiagram,
  diffAddresses,
  environmentOf,
  estimateCost,
  readSynthOutput,
  resourceCounts,
  stackGraph,
  SynthOutput,
  total,
} from "./review-lib";
import { projectRoot } from "../lib/project-root";

/**
 * `npm run review [-- --base <git-ref>] [--out review.md] [--env prod]`: a Markdown report for a
 * pull-request comment: resources and dependencies per stack, Mermaid diagrams, estimated fixed
 * monthly cost per environment and sandbox, and (with --base) the Terraform addresses the change
 * adds, removes or changes.
 */
const ROOT = projectRoot();

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: "" }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

function synth(projectDir: string, outdir: string): SynthOutput {
  run(process.execPath, [path.join(projectDir, "dist", "main.js"), "--outdir", outdir], projectDir);
  return readSynthOutput(outdir);
}

/** Synthesizes the project as it was at `ref`, in a temporary git worktree sharing node_modules. */
function synthAt(ref: string, work: string): SynthOutput {
  const src = path.join(work, "base-src");
  run("git", ["worktree", "add", "--detach", src, ref], ROOT);
  try {
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(src, "node_modules"), "dir");
    // The base's own fast path (transpile only) when it has one, else a full compile as it did then.
    if (fs.existsSync(path.join(src, "scripts", "run.js"))) run(process.execPath, [path.join(src, "scripts", "run.js")], src);
    else run(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], src);
    return synth(src, path.join(work, "base-out"));
  } finally {
    spawnSync("git", ["worktree", "remove", "--force", src], { cwd: ROOT });
  }
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function renderReport(head: SynthOutput, opts: { base?: SynthOutput; baseRef?: string; architectureEnv?: string }): string {
  const out: string[] = ["# Infrastructure review", ""];
  const envs = new Map<string, string[]>();
  for (const stack of head.stacks.keys()) {
    const env = environmentOf(stack);
    envs.set(env, [...(envs.get(env) ?? []), stack]);
  }
  out.push(`${head.stacks.size} stacks in ${envs.size - (envs.has("global") ? 1 : 0)} environments and sandboxes${envs.has("global") ? " plus `global`" : ""}.`, "");

  if (opts.base) {
    const d = diffAddresses(opts.base, head);
    out.push(`## Changes against \`${opts.baseRef}\``, "");
    if (d.statefulRemoved.length) {
      out.push(`> [!CAUTION]`, `> **${d.statefulRemoved.length} STATEFUL RESOURCE${d.statefulRemoved.length > 1 ? "S" : ""} REMOVED: applying this destroys data.**`);
      for (const r of d.statefulRemoved) out.push(`> - \`${r}\``);
      out.push("");
    }
    out.push(`${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed.`, "");
    const list = (title: string, items: string[]) => {
      if (!items.length) return;
      out.push(`<details><summary>${title} (${items.length})</summary>`, "", ...items.map((i) => `- \`${i}\``), "", "</details>", "");
    };
    list("Added", d.added);
    list("Removed", d.removed);
    list("Changed", d.changed);
  }

  out.push("## Stack graph", "", "```mermaid", stackGraph(head), "```", "");
  const archEnv = opts.architectureEnv ?? [...envs.keys()].find((e) => e === "prod") ?? [...envs.keys()].find((e) => e !== "global")!;
  if (envs.has(archEnv)) {
    out.push(`## Architecture of \`${archEnv}\``, "", "```mermaid", architectureDiagram(archEnv, envs.get(archEnv)!.map((s) => head.stacks.get(s)!)), "```", "");
  }

  out.push(
    "## Estimated fixed monthly cost",
    "",
    `List prices for ${PRICES.region} as of ${PRICES.asOf} (on-demand Linux; spot at ${PRICES.spotFactor * 100} % of on-demand), ${PRICES.hoursPerMonth} hours a month. ` +
      "**Excludes traffic**: data transfer, requests, LCUs, NAT processing, storage growth and logs. Parked groups count only their running hours.",
    "",
    "| environment | as configured | always on | parked saves |",
    "|---|---:|---:|---:|",
  );
  const details: string[] = [];
  for (const [env, stacks] of envs) {
    const { lines, unknownPrices } = estimateCost(stacks.map((s) => head.stacks.get(s)!));
    const configured = total(lines, "monthly");
    const alwaysOn = total(lines, "alwaysOn");
    out.push(`| ${env} | ${usd(configured)} | ${usd(alwaysOn)} | ${usd(alwaysOn - configured)} |`);
    details.push(`<details><summary>${env}: ${usd(configured)} a month</summary>`, "", "| item | quantity | monthly | always on |", "|---|---|---:|---:|");
    for (const l of lines) details.push(`| ${l.item} | ${l.quantity} | ${usd(l.monthly)} | ${usd(l.alwaysOn)} |`);
    if (unknownPrices.length) details.push("", `No price pinned for: ${unknownPrices.join(", ")} (counted as $0; add them to scripts/prices.ts).`);
    details.push("", "</details>", "");
  }
  out.push("", ...details);

  out.push("## Resources per stack", "");
  for (const [stack, json] of head.stacks) {
    const counts = resourceCounts(json);
    const deps = head.dependencies.get(stack) ?? [];
    out.push(
      `<details><summary><code>${stack}</code>: ${counts.reduce((n, [, c]) => n + c, 0)} resources${deps.length ? `, reads ${deps.join(", ")}` : ""}</summary>`,
      "",
      "| type | count |",
      "|---|---:|",
      ...counts.map(([t, c]) => `| ${t} | ${c} |`),
      "",
      "</details>",
      "",
    );
  }
  return out.join("\n");
}

function main(): number {
  const argv = process.argv.slice(2);
  const opt = optionReader(argv);
  const outFile = opt("--out") ?? "review.md";
  const baseRef = opt("--base");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-review-"));
  try {
    const head = synth(ROOT, path.join(work, "head"));
    const base = baseRef ? synthAt(baseRef, work) : undefined;
    fs.writeFileSync(outFile, renderReport(head, { base, baseRef, architectureEnv: opt("--env") }));
    process.stdout.write(`wrote ${outFile}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main();
