/*
 * Default configuration: the committed docs/ pages are generated from, and link to, the repository's own configuration and synth.
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { generatedDocs, main as docsCommand, REFERENCE_DIR, staleDocs } from "../scripts/docs";
import { alarmRows } from "../scripts/docs-alarms";
import { environmentFields } from "../scripts/docs-fields";
import { repoProjectSynth, tmpDir } from "./helpers";

const ROOT = path.join(__dirname, "..");

describe("generated references", () => {
  // GIVEN the project as `npm run synth` builds it (synthesized once by the global set-up)
  const synthDir = repoProjectSynth().outdir;
  const docs = generatedDocs(synthDir);

  test("default configuration: the committed docs/reference pages are what `npm run docs` writes", () => {
    // THEN no committed page is stale (run `npm run docs` and commit when this fails)
    expect(staleDocs(docs, path.join(ROOT, REFERENCE_DIR))).toEqual([]);
  });

  test("`npm run docs -- --check` exits 1 naming the stale file and writes nothing", () => {
    // GIVEN a reference directory where alarms.md is stale and environment-fields.md current
    const out = tmpDir("docs");
    for (const d of docs) fs.writeFileSync(path.join(out, d.file), d.content);
    fs.appendFileSync(path.join(out, "alarms.md"), "| hand-edited | row |\n");
    const before = fs.readFileSync(path.join(out, "alarms.md"), "utf8");
    // WHEN the check runs (the command's own entry point, in this process: the schema's
    // TypeScript program is already built here, and building it again in a child costs seconds)
    const errors: string[] = [];
    const error = jest.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    let status: number;
    try {
      status = docsCommand(["--check", "--from", synthDir, "--out", out]);
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
    // THEN it fails, names alarms.md only, and leaves the file as it was
    expect(status).toBe(1);
    const stderr = errors.join("\n");
    expect(stderr).toContain("alarms.md: stale");
    expect(stderr).not.toContain("environment-fields.md");
    expect(fs.readFileSync(path.join(out, "alarms.md"), "utf8")).toBe(before);
  });
});

describe("environment-field reference", () => {
  const { environment, global, mismatches } = environmentFields();
  const row = (p: string) => environment.find((r) => r.path === p);

  test("every field carries its JSDoc description, type and default", () => {
    expect(row("nat.strategy")).toEqual({
      path: "nat.strategy",
      type: '"perAz" | "single" | "instance" | "none"',
      default: "required",
      description: expect.stringContaining("`perAz`: one NAT gateway per AZ"),
    });
    // a default only the schema states (no @default tag) comes from zod's .default()
    expect(row("edge.waf.rateLimit.windowSeconds")?.default).toBe("60");
    expect(row("platform[kind=ecs].onDemand.min")?.default).toBe("`0`");
    // a @default naming a constant shows the constant's value
    expect(row("platform[kind=eks].version")?.default).toBe('`"1.33"` (DEFAULT_EKS_VERSION)');
    expect(global.find((r) => r.path === "ecr.keepImages")?.default).toBe("30");
  });

  test("list entries, union variants and the threshold keys are documented field by field", () => {
    expect(row("databases[].engine")?.type).toBe('"mysql" | "postgres"');
    expect(row("backend[kind=s3].bucket")?.description).toMatch(/State bucket/);
    expect(row("edge.routing[kind=weighted].blue.target")?.type).toBe('object | "distribution"');
    expect(row("observability.thresholds.rdsCpuPercent")).toMatchObject({ type: "number", default: "80" });
  });

  test("every @default agrees with the schema's default", () => {
    expect(mismatches).toEqual([]);
  });
});

describe("alarm reference", () => {
  /** A synthesized output of two stacks with the given alarms. */
  function fakeSynth(stacks: Record<string, Record<string, unknown>>): string {
    const dir = tmpDir("docs-synth");
    const manifest: Record<string, unknown> = {};
    for (const [name, json] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(dir, "stacks", name), { recursive: true });
      fs.writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
      manifest[name] = { synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
    }
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ stacks: manifest }));
    return dir;
  }
  const alarm = (name: string, threshold: number) => ({
    alarm_name: name, namespace: "AWS/ECS", metric_name: "CPUUtilization", statistic: "Average",
    comparison_operator: "GreaterThanThreshold", threshold, evaluation_periods: 3, period: 300,
  });

  test("alarms differing only by environment, service and AZ are one row with each threshold's environments", () => {
    // GIVEN two environments, one with a lower CPU threshold, and a service called alpha
    const dir = fakeSynth({
      global: { resource: { aws_ecr_repository: { a: { name: "acme/alpha" } } } },
      "dev-apps": { resource: { aws_cloudwatch_metric_alarm: { c: alarm("acme-dev-ecs-alpha-cpu", 85) } } },
      "prod-apps": { resource: { aws_cloudwatch_metric_alarm: { c: alarm("acme-prod-ecs-alpha-cpu", 70) } } },
      "sandbox-bo-network": { resource: { aws_cloudwatch_metric_alarm: { n: alarm("acme-sandbox-bo-nat-us-east-1a-errors", 1) } } },
    });
    // WHEN the rows are built
    const rows = alarmRows(dir);
    // THEN one pattern per alarm kind, thresholds by environment, sandboxes as one
    expect(rows.map((r) => [r.layer, r.pattern])).toEqual([
      ["network", "<project>-<env>-nat-<az>-errors"],
      ["apps", "<project>-<env>-ecs-<service>-cpu"],
    ]);
    expect(rows[1]).toMatchObject({ metric: "AWS/ECS CPUUtilization (Average)", comparison: ">", evaluation: "3 of 3 x 300 s", environments: ["dev", "prod"] });
    expect([...rows[1].thresholds]).toEqual([[70, ["prod"]], [85, ["dev"]]]);
    expect(rows[0].environments).toEqual(["sandbox-*"]);
  });

  test("default configuration: every synthesized alarm is on the page", () => {
    const page = generatedDocs(repoProjectSynth().outdir).find((d) => d.file === "alarms.md")!.content;
    const rows = alarmRows(repoProjectSynth().outdir);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(page).toContain(`\`${r.pattern}\``);
    expect(page).toContain("`<project>-<env>-rds-<db>-cpu`");
  });
});

describe("documentation links", () => {
  const slug = (h: string) => h.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
  const pages = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
    ...fs.readdirSync(path.join(ROOT, REFERENCE_DIR)).map((f) => `${REFERENCE_DIR}/${f}`)];
  const anchors = (file: string) => {
    let fence = false;
    return new Set(fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").filter((l) => {
      if (l.startsWith("```")) fence = !fence;
      return !fence && /^#{1,6} /.test(l);
    }).map((l) => slug(l.replace(/^#+ /, ""))));
  };

  test.each(pages)("every relative link of %s reaches an existing page and heading", (page) => {
    const text = fs.readFileSync(path.join(ROOT, page), "utf8");
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file, anchor] = target.split("#");
      const resolved = file ? path.normalize(path.join(path.dirname(page), file)) : page;
      if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${target} (no file ${resolved})`);
      else if (anchor && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) broken.push(`${target} (no heading #${anchor} in ${resolved})`);
    }
    expect(broken).toEqual([]);
  });

  test("the README starts with the two set-up commands", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const commands = readme.split("\n").filter((l) => /^(npm|npx|scripts\/)/.test(l));
    expect(commands.slice(0, 2).map((l) => l.split("#")[0].trim())).toEqual(["npm ci && npm run synth", "npm test"]);
  });
});
