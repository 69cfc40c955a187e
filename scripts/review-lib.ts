import * as fs from "fs";
import * as path from "path";

/**
 * The review report's analysis: pure functions over a synthesized outdir (cdktf.out).
 * The cost side (parking hours, the monthly estimate) is review-cost.ts, re-exported here.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export { cronMatcher, ecsCapacityNeeds, estimateCost, runningFraction, total } from "./review-cost";
export type { CostLine } from "./review-cost";

export interface SynthOutput {
  /** Stack name -> synthesized JSON. */
  readonly stacks: ReadonlyMap<string, Json>;
  /** Stack name -> stacks it reads from. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

export function readSynthOutput(outdir: string): SynthOutput {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Json;
  const stacks = new Map<string, Json>();
  const dependencies = new Map<string, string[]>();
  for (const name of Object.keys(manifest.stacks).sort()) {
    const entry = manifest.stacks[name];
    stacks.set(name, JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8")) as Json);
    dependencies.set(name, [...(entry.dependencies ?? [])].sort());
  }
  return { stacks, dependencies };
}

/** The environment a stack belongs to (`global` for the project-wide stack). */
export function environmentOf(stack: string): string {
  const m = /^(.*)-(network|data|platform|addons|edge|apps|observability|monitoring)$/.exec(stack);
  return m ? m[1] : stack;
}

export function resourceCounts(stack: Json): [string, number][] {
  return Object.entries((stack.resource ?? {}) as Record<string, Json>)
    .map(([type, byName]) => [type, Object.keys(byName).length] as [string, number])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

// ---------------------------------------------------------------------------------------------
// Addresses and their diff

/** Every resource and data source as `<stack>: <type>.<name>` -> its configuration (metadata dropped). */
export function addresses(out: SynthOutput): Map<string, string> {
  const map = new Map<string, string>();
  for (const [stack, json] of out.stacks) {
    for (const kind of ["resource", "data"] as const) {
      for (const [type, byName] of Object.entries((json[kind] ?? {}) as Record<string, Json>)) {
        for (const [name, cfg] of Object.entries(byName)) {
          const { "//": _meta, ...rest } = cfg as Json;
          map.set(`${stack}: ${kind === "data" ? "data." : ""}${type}.${name}`, JSON.stringify(rest));
        }
      }
    }
  }
  return map;
}

/** Resource types whose removal destroys data. */
export const STATEFUL_TYPES = new Set([
  "aws_db_instance",
  "aws_rds_cluster",
  "aws_rds_cluster_instance",
  "aws_s3_bucket",
  "aws_dynamodb_table",
  "aws_efs_file_system",
  "aws_ebs_volume",
  "aws_kms_key",
  "aws_ecr_repository",
  "aws_secretsmanager_secret",
  "aws_cloudwatch_log_group",
  "aws_route53_zone",
  "aws_elasticache_cluster",
  "aws_elasticache_replication_group",
  "aws_opensearch_domain",
]);

export interface AddressDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
  /** Removed addresses of stateful types: these destroy data. */
  readonly statefulRemoved: string[];
}

export function diffAddresses(base: SynthOutput, head: SynthOutput): AddressDiff {
  const a = addresses(base);
  const b = addresses(head);
  const added = [...b.keys()].filter((k) => !a.has(k)).sort();
  const removed = [...a.keys()].filter((k) => !b.has(k)).sort();
  const changed = [...b.keys()].filter((k) => a.has(k) && a.get(k) !== b.get(k)).sort();
  const typeOf = (addr: string) => addr.split(": ")[1].split(".")[0];
  return { added, removed, changed, statefulRemoved: removed.filter((r) => STATEFUL_TYPES.has(typeOf(r))) };
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/** Mermaid node id for a stack name. */
const nodeId = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_");

export function stackGraph(out: SynthOutput): string {
  const lines = ["flowchart LR"];
  for (const stack of out.stacks.keys()) lines.push(`  ${nodeId(stack)}["${stack}"]`);
  for (const [stack, deps] of out.dependencies) for (const dep of deps) lines.push(`  ${nodeId(dep)} --> ${nodeId(stack)}`);
  return lines.join("\n");
}

/** Architecture of one environment: internet -> edge -> ALB -> platform -> data, from what its stacks contain. */
export function architectureDiagram(env: string, stacks: readonly Json[]): string {
  const has = (type: string) => stacks.some((s) => Object.keys(s.resource?.[type] ?? {}).length > 0);
  const n = (type: string) => stacks.reduce((c, s) => c + Object.keys(s.resource?.[type] ?? {}).length, 0);
  const lines = ["flowchart LR", `  users(["Users"])`];
  let prev = "users";
  const step = (id: string, label: string) => {
    lines.push(`  ${id}["${label}"]`, `  ${prev} --> ${id}`);
    prev = id;
  };
  if (has("aws_cloudfront_distribution")) step("cdn", "CloudFront + WAF (us-east-1)");
  if (has("aws_lb")) step("alb", `ALB + regional WAF (${n("aws_lb_listener")} listeners)`);
  if (has("aws_ecs_cluster")) step("platform", `ECS cluster (${n("aws_ecs_service")} services)`);
  else if (has("aws_eks_cluster")) step("platform", `EKS cluster (${n("aws_eks_node_group")} node groups)`);
  const dbs = n("aws_db_instance") + n("aws_rds_cluster");
  if (dbs) {
    lines.push(`  data[("RDS (${dbs} databases)")]`);
    lines.push(`  ${has("aws_ecs_cluster") || has("aws_eks_cluster") ? "platform" : prev} --> data`);
  }
  lines.push(`  subgraph vpc["VPC ${env}"]`);
  if (has("aws_lb")) lines.push("    alb");
  if (has("aws_ecs_cluster") || has("aws_eks_cluster")) lines.push("    platform");
  if (dbs) lines.push("    data");
  lines.push(`    nat["NAT: ${n("aws_nat_gateway")} gateways${n("aws_nat_gateway") ? "" : " / instance"}"]`);
  lines.push("  end");
  return lines.join("\n");
}

/**
 * Checks a flowchart written in the subset of Mermaid this report emits: a `flowchart` header,
 * node declarations with quoted labels, `-->` edges between declared nodes, balanced
 * `subgraph`/`end`. Returns the problems (empty when valid).
 */
export function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n");
  if (!/^flowchart (LR|RL|TB|TD|BT)$/.test(lines[0] ?? "")) problems.push(`line 1: expected "flowchart <direction>", got "${lines[0]}"`);
  const declared = new Set<string>();
  const edges: [number, string, string][] = [];
  let depth = 0;
  const ID = "[A-Za-z_][A-Za-z0-9_]*";
  const LABEL = `(\\["[^"\\[\\]]*"\\]|\\(\\["[^"]*"\\]\\)|\\[\\("[^"]*"\\)\\]|\\("[^"]*"\\))`;
  lines.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    const at = `line ${i + 2}`;
    let m: RegExpExecArray | null;
    if (line === "") return;
    if ((m = new RegExp(`^subgraph (${ID})(\\["[^"]*"\\])?$`).exec(line))) {
      depth++;
      declared.add(m[1]);
    } else if (line === "end") {
      depth--;
      if (depth < 0) problems.push(`${at}: "end" without "subgraph"`);
    } else if ((m = new RegExp(`^(${ID})${LABEL}$`).exec(line))) declared.add(m[1]);
    else if ((m = new RegExp(`^(${ID})$`).exec(line))) {
      if (depth === 0) problems.push(`${at}: bare node ${m[1]} outside a subgraph`);
      edges.push([i + 2, m[1], m[1]]);
    } else if ((m = new RegExp(`^(${ID}) --> (${ID})$`).exec(line))) edges.push([i + 2, m[1], m[2]]);
    else problems.push(`${at}: cannot parse "${line}"`);
  });
  if (depth !== 0) problems.push(`unbalanced subgraph/end (${depth} open)`);
  for (const [line, a, b] of edges) for (const id of [a, b]) if (!declared.has(id)) problems.push(`line ${line}: ${id} is used but never declared`);
  return problems;
}
