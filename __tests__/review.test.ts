/*
 * Default configuration: the review report over the project as `npm run synth` builds it (helpers.repoProjectSynth).
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import { diffAddresses, estimateCost, mermaidProblems, readSynthOutput, runningFraction, SynthOutput, total } from "../scripts/review-lib";
import { renderReport } from "../scripts/review";
import { repoProjectSynth } from "./helpers";

const head: SynthOutput = readSynthOutput(repoProjectSynth().outdir);
const report = renderReport(head, {});
const stacksOf = (env: string) => [...head.stacks.entries()].filter(([s]) => s.startsWith(`${env}-`)).map(([, j]) => j);

describe("the review report", () => {
  test("every Mermaid block parses", () => {
    const blocks = [...report.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const b of blocks) expect(mermaidProblems(b)).toEqual([]);
  });

  test("the Mermaid check catches malformed diagrams", () => {
    expect(mermaidProblems("graph LR\n  a --> b")).toEqual(expect.arrayContaining([expect.stringMatching(/expected "flowchart <direction>"/)]));
    expect(mermaidProblems('flowchart LR\n  a["A"]\n  a --> b')).toEqual(["line 3: b is used but never declared"]);
    expect(mermaidProblems('flowchart LR\n  subgraph s["S"]\n  a["A"]')).toEqual(["unbalanced subgraph/end (1 open)"]);
    expect(mermaidProblems('flowchart LR\n  a["A" ]]')).toEqual(expect.arrayContaining([expect.stringMatching(/cannot parse/)]));
  });

  test("resource counts and dependencies per stack", () => {
    expect(report).toMatch(/<code>dev-network<\/code>: \d+ resources/);
    expect(report).toMatch(/\| aws_subnet \| 6 \|/);
    expect(report).toMatch(/<code>dev-data<\/code>: \d+ resources, reads dev-network/);
  });

  test("the cost estimate states region, date and that traffic is excluded", () => {
    expect(report).toMatch(/List prices for us-east-1 as of \d{4}-\d{2}-\d{2}/);
    expect(report).toContain("**Excludes traffic**");
  });

  test("a parked ECS sandbox costs at most $15 a month in fixed costs", () => {
    const { lines } = estimateCost(stacksOf("sandbox-demo"));
    expect(total(lines, "monthly")).toBeLessThanOrEqual(15);
    expect(lines.map((l) => l.item)).toEqual(expect.arrayContaining([expect.stringMatching(/nat-instance/)]));
    expect(lines.some((l) => /NAT gateways/.test(l.item))).toBe(false);
    expect(report).toMatch(/<summary>sandbox-demo: \$\d+\.\d\d a month<\/summary>/);
  });

  test("prod's estimate shows NAT gateways per AZ and Multi-AZ databases", () => {
    const { lines } = estimateCost(stacksOf("prod"));
    expect(lines.find((l) => l.item === "NAT gateways")!.quantity).toBe("3 x 730 h");
    expect(lines.some((l) => /^RDS .*Multi-AZ/.test(l.item) && /^2 x /.test(l.quantity))).toBe(true);
  });

  test("parked groups cost less than always-on ones", () => {
    const { lines } = estimateCost(stacksOf("dev"));
    expect(total(lines, "monthly")).toBeLessThan(total(lines, "alwaysOn"));
    expect(runningFraction("0 0 * * *", "0 7 * * MON-FRI")).toBeCloseTo((17 * 5) / 168, 5);
    expect(runningFraction(undefined, undefined)).toBe(1);
  });

  test("the address diff flags a removed database loudly", () => {
    const withoutDb = new Map(head.stacks);
    const [stack, json] = [...head.stacks.entries()].find(([, j]) => j.resource?.aws_db_instance)!;
    const { aws_db_instance: _removed, ...rest } = json.resource;
    withoutDb.set(stack, { ...json, resource: rest });
    const changed: SynthOutput = { stacks: withoutDb, dependencies: head.dependencies };
    const diff = diffAddresses(head, changed);
    expect(diff.statefulRemoved.length).toBeGreaterThan(0);
    expect(diff.statefulRemoved.every((a) => a.includes("aws_db_instance."))).toBe(true);
    expect(diff.added).toEqual([]);
    const text = renderReport(changed, { base: head, baseRef: "main" });
    expect(text).toMatch(/> \*\*\d+ STATEFUL RESOURCES? REMOVED: applying this destroys data\.\*\*/);
    expect(text).toContain(`\`${diff.statefulRemoved[0]}\``);
  });
});
