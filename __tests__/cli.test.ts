/*
 * Default configuration: the compiled synth command (dist/main.js) on the repository's configuration, and on configurations given with --environments.
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import * as fs from "fs";
import * as path from "path";
import { envInput, tmpDir, runMain, treeHash } from "./helpers";

/** These tests run the compiled app (`npm test` builds it first), as `npm run synth` does. */


function writeEnvironments(dir: string, inputs: unknown[]): string {
  const file = path.join(dir, "envs.json");
  fs.writeFileSync(file, JSON.stringify({ environments: inputs.map((input, i) => ({ file: `environments/case${i}.ts`, input })) }));
  return file;
}

describe("the synth command", () => {
  const work = tmpDir("cli");
  const outdir = path.join(work, "cdktf.out");

  test("synthesizes every environment's stacks", () => {
    const r = runMain(["--outdir", outdir]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(["dev-network", "qa-network", "staging-network", "prod-network"]));
    for (const s of Object.keys(manifest.stacks)) expect(fs.existsSync(path.join(outdir, "stacks", s, "cdk.tf.json"))).toBe(true);
  });

  test("two synths in a row are byte-identical and contain no absolute machine path", () => {
    const first = treeHash(outdir);
    expect(runMain(["--outdir", outdir]).status).toBe(0);
    expect(treeHash(outdir)).toBe(first);
    const other = path.join(tmpDir("cli2"), "elsewhere");
    expect(runMain(["--outdir", other]).status).toBe(0);
    expect(treeHash(other)).toBe(first);
    const cwd = process.cwd();
    for (const s of fs.readdirSync(path.join(outdir, "stacks"))) {
      const text = fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8");
      expect(text).not.toContain(cwd);
      expect(text).not.toContain(work);
      expect(text).not.toMatch(/"\/(tmp|home|root|work|Users)\//);
    }
  });

  const bad: [string, unknown[], RegExp][] = [
    ["bad CIDR", [envInput({ vpc: { cidr: "10.0.0.0/99" } })], /environments\/case0\.ts: vpc\.cidr: must be an IPv4 CIDR block/],
    ["overlapping VPCs", [envInput({ name: "aa" }), envInput({ name: "bb" })], /environments\/case1\.ts: vpc\.cidr: overlaps aa's VPC/],
    ["1 AZ", [envInput({ azs: ["us-east-1a"] })], /azs: must list 2 to 6/],
    ["unknown backend", [envInput({ backend: { kind: "consul" } as never })], /backend\.kind: must be one of/],
    ["SSH from anywhere", [envInput({ ssh: { allowList: ["0.0.0.0/0"] } })], /ssh\.allowList\.0: must not open SSH/],
    // Production state never local: the message names the file and field and both alternatives.
    [
      "production on a local backend",
      [envInput({ production: true, backend: { kind: "local" } })],
      /environments\/case0\.ts: backend\.kind: must not be "local" \(the default\) when production is true: .*\{ kind: "s3", bucket, region \} .*\{ kind: "cloud", organization \}/,
    ],
  ];
  test.each(bad)("%s: one message per problem, exit 1, previous output untouched, no stack trace", (_what, inputs, expected) => {
    const before = treeHash(outdir);
    const r = runMain(["--outdir", outdir, "--environments", writeEnvironments(work, inputs)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).toMatch(/^Invalid configuration \(\d+ problems?\); nothing was written:/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(treeHash(outdir)).toBe(before);
    expect(fs.readdirSync(work).filter((n) => n.includes(".tmp-") || n.includes(".old-"))).toEqual([]);
  });

  // Rules between the environments and the global settings run in validation, before any
  // construct, and report every problem in one run.
  const GLOBAL_INPUT = {
    project: "harbor",
    region: "us-east-1",
    tags: { Owner: "platform-team", CostCenter: "cc-0001" },
    dns: { domain: "harbor.example.com" },
  };
  const withGlobal = (global: unknown, inputs: unknown[]): string => {
    const file = path.join(work, "envs-global.json");
    fs.writeFileSync(file, JSON.stringify({ global: { file: "environments/global-case.ts", input: global }, environments: inputs.map((input, i) => ({ file: `environments/case${i}.ts`, input })) }));
    return file;
  };
  const crossConfig: [string, unknown, unknown[], string[]][] = [
    [
      "edge names outside the hosted zone in two environments",
      GLOBAL_INPUT,
      [envInput({ name: "aa", edge: { hosts: ["www.example.org"] } }), envInput({ name: "bb", vpc: { cidr: "10.70.0.0/16" }, edge: { originHost: "origin.example.net" } })],
      [
        'environments/case0.ts: edge.hosts.0: is not in the hosted zone harbor.example.com (dns.domain of environments/global-case.ts): use harbor.example.com or a name ending in .harbor.example.com (got "www.example.org")',
        'environments/case1.ts: edge.originHost: is not in the hosted zone harbor.example.com (dns.domain of environments/global-case.ts): use harbor.example.com or a name ending in .harbor.example.com (got "origin.example.net")',
      ],
    ],
    [
      "an edge without a hosted zone, next to a name outside another's",
      { ...GLOBAL_INPUT, dns: undefined },
      [envInput({ name: "aa" }), envInput({ name: "bb", vpc: { cidr: "10.70.0.0/16" }, edge: { enabled: false } }), envInput({ name: "cc", vpc: { cidr: "10.80.0.0/16" } })],
      [
        'environments/case0.ts: edge.enabled: needs the project\'s hosted zone, but environments/global-case.ts has no dns.domain: add dns: { domain: "..." } there, or set edge.enabled: false (got true)',
        'environments/case2.ts: edge.enabled: needs the project\'s hosted zone, but environments/global-case.ts has no dns.domain: add dns: { domain: "..." } there, or set edge.enabled: false (got true)',
      ],
    ],
  ];
  test.each(crossConfig)("%s: every problem in one run, exit 1, previous output untouched", (_what, global, inputs, expected) => {
    const before = treeHash(outdir);
    const r = runMain(["--outdir", outdir, "--environments", withGlobal(global, inputs)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`Invalid configuration (${expected.length} problems); nothing was written:\n${expected.join("\n")}\n`);
    expect(r.stdout).toBe("");
    expect(treeHash(outdir)).toBe(before);
  });

  test("an unknown argument is a usage error", () => {
    const r = runMain(["--bogus"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: unknown argument --bogus/);
  });
});
