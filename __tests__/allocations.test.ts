/*
 * Default configuration: the committed listener-rule records (environments/edge-routes/<env>.json) against the compiled synth of environments/.
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { runMain, tmpDir, treeHash } from "./helpers";

/**
 * Synthesis has no side effects on the project: the listener-rule records
 * (environments/edge-routes/<env>.json) are written by main.ts after a successful synth of the
 * project's own configuration, never by a construct, and `--check-allocations` fails when a synth
 * would change one.
 */
const ROOT = path.resolve(__dirname, "..");
const RECORDS = path.join(ROOT, "environments", "edge-routes");

/** The project's services plus `gamma`, a new public service (a route no record has). */
function servicesWithNewRoute(): string {
  const dir = path.join(tmpDir("alloc-services"), "services");
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(path.join(ROOT, "services"))) fs.copyFileSync(path.join(ROOT, "services", f), path.join(dir, f));
  fs.writeFileSync(
    path.join(dir, "gamma.yaml"),
    [
      "services:",
      "  gamma:",
      "    image: gamma:1.0.0",
      '    ports: ["8080"]',
      "    x-expose: public",
      "    x-route: { path: /gamma }",
      "    x-health: { path: /gamma/health }",
      "",
    ].join("\n"),
  );
  return dir;
}

describe("listener-rule records", () => {
  const services = servicesWithNewRoute();
  const before = treeHash(RECORDS);

  test("--check-allocations fails on a route no committed record has, naming the file, and writes nothing", () => {
    const outdir = path.join(tmpDir("alloc-check"), "out");
    const r = runMain(["--outdir", outdir, "--env", "dev", "--services", services, "--check-allocations"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--check-allocations: a listener-rule record is out of date; nothing was written:");
    expect(r.stderr).toContain("environments/edge-routes/dev.json: not committed with its routes: this synth would add gamma");
    expect(fs.existsSync(outdir)).toBe(false);
    expect(treeHash(RECORDS)).toBe(before);
  });

  test("--check-allocations passes when every route is recorded (the committed records are complete)", () => {
    const outdir = path.join(tmpDir("alloc-ok"), "out");
    const r = runMain(["--outdir", outdir, "--env", "dev", "--check-allocations"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(outdir, "stacks", "dev-edge", "cdk.tf.json"))).toBe(true);
  });

  test("a trial synth (--services) allocates the new route in its output but leaves the committed records alone", () => {
    const outdir = path.join(tmpDir("alloc-trial"), "out");
    const r = runMain(["--outdir", outdir, "--env", "dev", "--services", services]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const apps = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "dev-apps", "cdk.tf.json"), "utf8"));
    const rules = Object.keys(apps.resource.aws_lb_listener_rule);
    expect(rules.some((k) => k.includes("gamma"))).toBe(true);
    expect(treeHash(RECORDS)).toBe(before);
  });

  test("no construct writes to the project: the edge stack only reads its record", () => {
    const src = fs.readFileSync(path.join(ROOT, "stacks", "edge-stack.ts"), "utf8");
    expect(src).not.toMatch(/writeAllocationRecord|writeFileSync/);
  });
});
