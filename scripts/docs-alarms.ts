import * as fs from "fs";
import * as path from "path";

/**
 * The alarm reference (docs/reference/alarms.md), generated from a synthesized output: every
 * `aws_cloudwatch_metric_alarm` of every stack, grouped by stack kind (the layer: network, data,
 * platform, edge, apps, ...). Alarms that differ only by environment, service, database or AZ are
 * one row: their names become a pattern (`<project>-<env>-ecs-<service>-cpu`), and the thresholds
 * are listed with the environments that use each. Sandboxes count as one environment,
 * `sandbox-*`, so registering a sandbox does not change the page.
 */

type Json = Record<string, unknown>;

/** Where a stack kind comes in the page: the order the layers are built in. */
const LAYER_ORDER = ["global", "network", "data", "platform", "addons", "edge", "apps", "observability"];

const COMPARISON: Record<string, string> = {
  GreaterThanThreshold: ">",
  GreaterThanOrEqualToThreshold: ">=",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

const AZ = /[a-z]{2}(-gov)?-[a-z]+-\d[a-f]/g;

export interface AlarmRow {
  readonly layer: string;
  readonly pattern: string;
  readonly metric: string;
  readonly comparison: string;
  readonly evaluation: string;
  readonly missingData: string;
  /** threshold -> environments using it, in page order. */
  readonly thresholds: ReadonlyMap<number, readonly string[]>;
  readonly environments: readonly string[];
  /** The alarm description of the first alarm of the row (its numbers are that environment's). */
  readonly example: string;
}

interface StackFile {
  readonly name: string;
  readonly json: Json;
}

function readStacks(synthDir: string): StackFile[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(synthDir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.keys(manifest.stacks)
    .sort()
    .map((name) => ({ name, json: JSON.parse(fs.readFileSync(path.join(synthDir, manifest.stacks[name].synthesizedStackPath), "utf8")) as Json }));
}

const resourcesOf = (json: Json, type: string): Json[] => Object.values(((json.resource as Json | undefined)?.[type] ?? {}) as Record<string, Json>);

/** `<env>-<layer>` (the layer is the last part) or `global`. */
function splitStack(name: string): { env: string; layer: string } {
  const i = name.lastIndexOf("-");
  return i < 0 ? { env: "", layer: name } : { env: name.slice(0, i), layer: name.slice(i + 1) };
}

/** Replaces whole hyphen-separated runs equal to one of `names` with `<label>`. */
function placeholder(text: string, names: readonly string[], label: string): string {
  let out = text;
  for (const n of [...names].sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`(^|-)${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=-|$)`, "g"), `$1<${label}>`);
  }
  return out;
}

function metricText(a: Json): string {
  const one = (m: Json, stat: unknown) => `${m.namespace} ${m.metric_name} (${stat})`;
  const queries = a.metric_query as Json[] | undefined;
  if (!queries) return one(a, a.statistic ?? a.extended_statistic);
  const result = queries.find((q) => q.return_data === true) ?? queries[queries.length - 1];
  const inputs = queries.filter((q) => q !== result && q.metric).map((q) => `${q.id} = ${one(q.metric as Json, (q.metric as Json).stat)}`);
  return [String(result.expression ?? result.id), ...(inputs.length ? [`where ${inputs.join(", ")}`] : [])].join(" ");
}

function periodOf(a: Json): unknown {
  if (a.period !== undefined) return a.period;
  const q = (a.metric_query as Json[] | undefined) ?? [];
  return (q.find((x) => x.metric)?.metric as Json | undefined)?.period ?? q.find((x) => x.period !== undefined)?.period;
}

/** Every alarm of the synthesized output, one row per pattern. */
export function alarmRows(synthDir: string): AlarmRow[] {
  const stacks = readStacks(synthDir);
  const services = stacks.flatMap((s) => resourcesOf(s.json, "aws_ecr_repository")).map((r) => String(r.name).split("/").pop()!);
  interface Acc { row: Omit<AlarmRow, "thresholds" | "environments">; thresholds: Map<number, string[]>; environments: string[] }
  const rows = new Map<string, Acc>();
  for (const { name, json } of stacks) {
    const { env: rawEnv, layer } = splitStack(name);
    const env = rawEnv.startsWith("sandbox-") ? "sandbox-*" : rawEnv;
    const databases = [...resourcesOf(json, "aws_db_instance").map((r) => r.identifier), ...resourcesOf(json, "aws_rds_cluster").map((r) => r.cluster_identifier)]
      .map(String)
      .map((id) => id.slice(id.indexOf(`-${rawEnv}-`) + rawEnv.length + 2));
    for (const a of resourcesOf(json, "aws_cloudwatch_metric_alarm")) {
      const alarmName = String(a.alarm_name);
      const at = rawEnv ? alarmName.indexOf(`-${rawEnv}-`) : -1;
      let rest = at < 0 ? alarmName : alarmName.slice(at + rawEnv.length + 2);
      rest = placeholder(placeholder(rest.replace(AZ, "<az>"), databases, "db"), services, "service");
      const pattern = (at < 0 ? rest : `<project>-<env>-${rest}`) + (String(a.provider ?? "").includes("us_east_1") ? " (us-east-1)" : "");
      const evaluation = `${a.datapoints_to_alarm ?? a.evaluation_periods} of ${a.evaluation_periods} x ${periodOf(a)} s`;
      const row = {
        layer,
        pattern,
        metric: metricText(a),
        comparison: COMPARISON[String(a.comparison_operator)] ?? String(a.comparison_operator),
        evaluation,
        missingData: String(a.treat_missing_data ?? "missing"),
        example: String(a.alarm_description ?? ""),
      };
      const key = JSON.stringify([row.layer, row.pattern, row.metric, row.comparison, row.evaluation, row.missingData]);
      const acc = rows.get(key) ?? { row, thresholds: new Map<number, string[]>(), environments: [] };
      rows.set(key, acc);
      const threshold = Number(a.threshold);
      const users = acc.thresholds.get(threshold) ?? [];
      if (!users.includes(env)) users.push(env);
      acc.thresholds.set(threshold, users);
      if (!acc.environments.includes(env)) acc.environments.push(env);
    }
  }
  const rank = (l: string) => (LAYER_ORDER.includes(l) ? LAYER_ORDER.indexOf(l) : LAYER_ORDER.length);
  return [...rows.values()]
    .map((r) => ({ ...r.row, thresholds: new Map([...r.thresholds].sort((x, y) => x[0] - y[0])), environments: r.environments }))
    .sort((x, y) => rank(x.layer) - rank(y.layer) || x.layer.localeCompare(y.layer) || x.pattern.localeCompare(y.pattern) || x.metric.localeCompare(y.metric));
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

function thresholdText(r: AlarmRow): string {
  if (r.thresholds.size === 1) return String([...r.thresholds.keys()][0]);
  return [...r.thresholds].map(([t, envs]) => `${t} (${envs.join(", ")})`).join("; ");
}

/** The whole reference page. */
export function alarmsMarkdown(synthDir: string): string {
  const rows = alarmRows(synthDir);
  const out = [
    "<!-- Generated by `npm run docs` (scripts/docs-alarms.ts) from the synthesized default configuration; do not edit. -->",
    "# Alarms",
    "",
    "Every CloudWatch alarm (`aws_cloudwatch_metric_alarm`) the default configuration synthesizes, by",
    "stack kind. `<project>-<env>-...` is the alarm name; `<service>`, `<db>` and `<az>` stand for each",
    "service, database and Availability Zone. Thresholds come from `observability.thresholds` (see",
    "[Environment fields](environment-fields.md#observability)); RDS storage, memory and connection",
    "thresholds are computed from each database's size and class, so they differ by environment.",
    "Every alarm notifies the environment's alarm topic; more about them in",
    "[Observability](../observability.md).",
    "",
    `${rows.length} alarm kinds in ${new Set(rows.map((r) => r.layer)).size} stack kinds.`,
  ];
  for (const layer of [...new Set(rows.map((r) => r.layer))]) {
    out.push("", `## ${layer}`, "", "| alarm | metric | comparison | threshold | evaluation (datapoints of periods) | missing data | environments | description (first environment) |", "|---|---|---|---|---|---|---|---|");
    for (const r of rows.filter((x) => x.layer === layer)) {
      out.push(`| \`${cell(r.pattern)}\` | ${cell(r.metric)} | ${r.comparison} | ${cell(thresholdText(r))} | ${r.evaluation} | ${r.missingData} | ${r.environments.join(", ")} | ${cell(r.example)} |`);
    }
  }
  return out.join("\n") + "\n";
}
