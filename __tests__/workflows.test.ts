import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { manifestDependencies, stackOrder } from "../scripts/stack-order";
import { Json, repoProjectSynth } from "./helpers";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Json;

function runLines(workflow: Json): string[] {
  return Object.values(workflow.jobs as Record<string, Json>).flatMap((job) => (job.steps as Json[]).filter((s) => s.run).map((s) => String(s.run)));
}

describe("example CI workflows", () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));

  test("both workflows exist and are valid YAML with jobs and steps", () => {
    expect(files.sort()).toEqual(["deploy.yml", "pull-request.yml"]);
    for (const f of files) {
      const wf = parse(fs.readFileSync(path.join(DIR, f), "utf8")) as Json;
      expect(wf.name).toBeTruthy();
      expect(wf.on).toBeTruthy();
      for (const job of Object.values(wf.jobs as Record<string, Json>)) {
        expect(Array.isArray(job.steps)).toBe(true);
        for (const step of job.steps as Json[]) expect(Boolean(step.run) !== Boolean(step.uses)).toBe(true);
      }
    }
  });

  test("every npm script and compiled script a workflow runs exists", () => {
    for (const f of files) {
      const text = runLines(parse(fs.readFileSync(path.join(DIR, f), "utf8")) as Json).join("\n");
      for (const m of text.matchAll(/npm run ([a-z:-]+)/g)) expect(Object.keys(pkg.scripts)).toContain(m[1]);
      for (const m of text.matchAll(/node dist\/(scripts\/[a-z-]+)\.js/g)) expect(fs.existsSync(path.join(ROOT, `${m[1]}.ts`))).toBe(true);
    }
  });

  test("the pull-request workflow installs, tests, synthesizes and posts the review", () => {
    const text = runLines(parse(fs.readFileSync(path.join(DIR, "pull-request.yml"), "utf8")) as Json).join("\n");
    expect(text).toMatch(/npm ci && npm run synth/);
    expect(text).toMatch(/npm test/);
    expect(text).toMatch(/npm run review -- --base/);
  });

  test("the deploy workflow applies stacks in the manifest's dependency order", () => {
    const text = runLines(parse(fs.readFileSync(path.join(DIR, "deploy.yml"), "utf8")) as Json).join("\n");
    expect(text).toContain("for stack in $(node dist/scripts/stack-order.js cdktf.out)");
    expect(text.indexOf("plan")).toBeLessThan(text.indexOf("apply"));
    const deps = manifestDependencies(repoProjectSynth().outdir);
    const order = stackOrder(deps);
    expect(order.sort()).toEqual(Object.keys(deps).sort());
    const ordered = stackOrder(deps);
    for (const [stack, ds] of Object.entries(deps)) for (const d of ds) expect(ordered.indexOf(d)).toBeLessThan(ordered.indexOf(stack));
    expect(ordered[0]).toBe("dev-network");
  });

  test("a dependency cycle is reported", () => {
    expect(() => stackOrder({ a: ["b"], b: ["a"] })).toThrow("dependency cycle among a, b");
  });
});
