/*
 * Default configuration: the example CI workflows name the repository's real stacks and commands (helpers.repoProjectSynth).
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { manifestDependencies, stackOrder } from "../scripts/stack-order";
import { selectDeployStacks } from "../scripts/deploy-lib";
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
      for (const m of text.matchAll(/(scripts\/[a-z-]+)(?= )/g)) expect(fs.statSync(path.join(ROOT, m[1])).mode & 0o111).toBeTruthy();
    }
  });

  test("the pull-request workflow installs, tests, plans every environment with scripts/deploy and posts the review with the plans", () => {
    const wf = parse(fs.readFileSync(path.join(DIR, "pull-request.yml"), "utf8")) as Json;
    const text = runLines(wf).join("\n");
    expect(text).toMatch(/npm ci && npm run synth/);
    expect(text).toMatch(/npm test/);
    expect(text).toMatch(/npm run review -- --base/);
    const plan = wf.jobs.plan as Json;
    expect(plan.strategy.matrix.env).toEqual(["dev", "qa", "staging", "prod"]);
    const planRun = (plan.steps as Json[]).map((st) => String(st.run ?? "")).find((r) => r.includes("scripts/deploy"));
    expect(planRun).toContain('--env "${{ matrix.env }}" --plan-only --summary "plan-${{ matrix.env }}.md"');
    expect(wf.jobs.review.needs).toBe("plan");
    const review = (wf.jobs.review.steps as Json[]).map((st) => String(st.run ?? "")).join("\n");
    for (const env of plan.strategy.matrix.env as string[]) expect(review).toContain(`plan-${env}.md`);
  });

  test("the deploy workflow applies environment by environment in promotion order, each behind its GitHub environment, in the manifest's dependency order", () => {
    const wf = parse(fs.readFileSync(path.join(DIR, "deploy.yml"), "utf8")) as Json;
    const jobs = wf.jobs as Record<string, Json>;
    // Jobs in the order GitHub runs them: each needs the previous one.
    const chain: string[] = [];
    let next = Object.keys(jobs).find((j) => !jobs[j].needs);
    while (next) {
      chain.push(next);
      const current: string = next;
      next = Object.keys(jobs).find((j) => jobs[j].needs === current);
    }
    expect(chain).toEqual(Object.keys(jobs).sort((a, b) => chain.indexOf(a) - chain.indexOf(b)));
    expect(chain.length).toBe(Object.keys(jobs).length);
    const envs = chain.map((job) => {
      const runs = (jobs[job].steps as Json[]).map((st) => String(st.run ?? "")).filter((r) => r.includes("scripts/deploy"));
      expect(runs).toHaveLength(1);
      const m = /^scripts\/deploy --env (\S+) --summary "\$GITHUB_STEP_SUMMARY"$/.exec(runs[0]);
      expect(m).not.toBeNull();
      expect(jobs[job].environment).toBe(m![1]);
      return m![1];
    });
    expect(envs).toEqual(["dev", "qa", "staging", "prod"]);

    // What the jobs apply, in order, as scripts/deploy selects it from the manifest.
    const deps = manifestDependencies(repoProjectSynth().outdir);
    const applied: string[] = [];
    for (const env of envs) for (const s of selectDeployStacks(deps, { envs: [env], mode: "apply" })) if (!applied.includes(s)) applied.push(s);
    for (const [stack, ds] of Object.entries(deps)) {
      if (!applied.includes(stack)) continue;
      for (const d of ds) expect({ stack, reads: d, appliedBefore: applied.indexOf(d) >= 0 && applied.indexOf(d) < applied.indexOf(stack) }).toEqual({ stack, reads: d, appliedBefore: true });
    }
    // Every environment's stack is applied by some job (sandboxes are deployed by their owners).
    expect(Object.keys(deps).filter((s) => !s.startsWith("sandbox-") && !applied.includes(s))).toEqual([]);
    expect(applied[0]).toBe("dev-network");
  });

  test("a dependency cycle is reported", () => {
    expect(() => stackOrder({ a: ["b"], b: ["a"] })).toThrow("dependency cycle among a, b");
  });
});
