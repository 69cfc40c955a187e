import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { projectRoot } from "../lib/project-root";

/**
 * `npm run bench [-- --runs N]`: times what a user runs, as they run it: the app command exactly
 * as cdktf.json has it (what `cdktf synth/diff/deploy` start), and `npm run synth` with the
 * selections developers use, with 100 and 300 sandboxes registered. Per case: the median wall
 * time, the median CPU time and the median peak RSS over N runs (after one warm-up; the cases are
 * run in turn, so that a slow minute of the machine lands on all of them), and the ratio
 * of the median wall time to the root-import floor: the time `node` takes merely to
 * `require("@cdktf/provider-aws")` by its root, measured in the same run.
 *
 * The sandbox registries are generated in a temporary directory (the committed registry is never
 * touched) and passed with `--sandboxes`; every case writes into a temporary outdir.
 */
interface Case {
  readonly name: string;
  /** argv of the command (run in the project root). */
  readonly command: readonly string[];
  /** Targets from the issues, for the printed verdict. */
  readonly maxSeconds?: number;
  readonly maxMiB?: number;
}

interface Sample {
  readonly seconds: number;
  /** User + system CPU of every node process of the run (npm, the fast path, the app). */
  readonly cpu: number;
  /** The largest peak RSS of any one of those processes. */
  readonly mib: number;
}

const root = projectRoot();
const hook = path.join(root, "dist", "scripts", "rss-hook.js");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function runOnce(c: Case, work: string): Sample {
  const usageFile = path.join(work, "usage.jsonl");
  fs.rmSync(usageFile, { force: true });
  fs.rmSync(path.join(work, "cli-out"), { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const r = spawnSync(c.command[0], c.command.slice(1), {
    cwd: root,
    encoding: "utf8",
    // The hook reaches every node process of the run through NODE_OPTIONS (npm, then the app).
    // CDKTF_OUTDIR: where the cdktf CLI would have the app command write.
    env: { ...process.env, BENCH_RSS_FILE: usageFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${hook}`.trim(), CDKTF_OUTDIR: path.join(work, "cli-out") },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${c.name} failed (${c.command.join(" ")}):\n${r.stderr}`);
  const usages = fs
    .readFileSync(usageFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { maxRSS: number; cpu: number });
  return { seconds, cpu: usages.reduce((a, u) => a + u.cpu, 0) / 1e6, mib: Math.max(...usages.map((u) => u.maxRSS)) / 1024 };
}

/**
 * The samples of every case, taken round-robin: one warm-up of each (file cache, dist/ and the code
 * cache up to date), then run k of every case before run k+1 of any. A slow minute of the machine
 * then lands on every case (and on the floor) alike, so the ratios to the floor stay fair.
 */
function measureAll(cases: readonly Case[], runs: number, work: string): Sample[][] {
  for (const c of cases) runOnce(c, work);
  const samples: Sample[][] = cases.map(() => []);
  for (let r = 0; r < runs; r++) cases.forEach((c, i) => samples[i].push(runOnce(c, work)));
  return samples;
}

/** A registry like environments/sandbox-registry.json holding `n` generated sandboxes, the first named alice. */
function sandboxRegistry(n: number, dir: string): string {
  const reg = JSON.parse(fs.readFileSync(path.join(root, "environments", "sandbox-registry.json"), "utf8")) as { pool: { cidr: string; prefixLength: number }; sandboxes: unknown[] };
  // A /11 pool holds 512 /20 sandboxes (the committed /12 holds 256).
  reg.pool = { cidr: "10.128.0.0/11", prefixLength: 20 };
  reg.sandboxes = Array.from({ length: n }, (_, i) => ({
    name: i === 0 ? "alice" : `dev${String(i).padStart(3, "0")}`,
    owner: `dev${i}@example.com`,
    platform: i % 4 === 3 ? "eks" : "ecs",
    cidr: `10.${128 + Math.floor(i / 16)}.${(i % 16) * 16}.0/20`,
    created: "2026-11-26",
    expires: "never",
  }));
  const file = path.join(dir, `sandbox-registry-${n}.json`);
  fs.writeFileSync(file, JSON.stringify(reg));
  return file;
}

function main_(): number {
  const argv = process.argv.slice(2);
  const runsArg = argv.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write("error: --runs needs a positive whole number\n");
    return 1;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-bench-"));
  const out = path.join(work, "out");
  const reg100 = sandboxRegistry(100, work);
  const reg300 = sandboxRegistry(300, work);
  const app = (JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8")) as { app: string }).app;
  const synth = (...args: string[]) => [npm, "run", "--silent", "synth", "--", "--outdir", out, ...args];
  const floor: Case = { name: "root-import floor: `require(\"@cdktf/provider-aws\")`", command: [process.execPath, "-e", 'require("@cdktf/provider-aws")'] };
  const cases: Case[] = [
    { name: `app command as cdktf.json runs it (\`${app}\`, all environments)`, command: ["sh", "-c", app], maxSeconds: 1.5 },
    { name: "`npm run synth` (all environments + the registry's sandboxes)", command: synth(), maxSeconds: 1.5, maxMiB: 200 },
    { name: "`npm run synth -- --env dev`", command: synth("--env", "dev"), maxSeconds: 0.8 },
    { name: "`npm run synth -- --sandbox alice`, 300 sandboxes registered", command: synth("--sandbox", "alice", "--sandboxes", reg300), maxSeconds: 0.8 },
    { name: "`npm run synth`, all environments + 100 sandboxes", command: synth("--sandboxes", reg100), maxSeconds: 6, maxMiB: 1024 },
    { name: "`npm run synth`, all environments + 300 sandboxes", command: synth("--sandboxes", reg300), maxSeconds: 12, maxMiB: 500 },
  ];
  process.stdout.write(`node ${process.version}, ${os.cpus().length} cores, ${runs} runs per case (after one warm-up; the cases in turn), medians\n`);
  process.stdout.write(`load average before: ${os.loadavg()[0].toFixed(2)} (wall times on a busy machine are not comparable; CPU time is steadier)\n\n`);
  const [floorSamples, ...caseSamples] = measureAll([floor, ...cases], runs, work);
  const floorSeconds = median(floorSamples.map((s) => s.seconds));
  process.stdout.write(`${floor.name}: ${floorSeconds.toFixed(3)} s median wall\n\n`);
  process.stdout.write("| case | wall (s) | min..max (s) | CPU (s) | peak RSS (MiB) | wall / floor | target |\n|---|---|---|---|---|---|---|\n");
  let ok = true;
  for (const [i, c] of cases.entries()) {
    const samples = caseSamples[i];
    const seconds = samples.map((s) => s.seconds);
    const s = median(seconds);
    const m = median(samples.map((x) => x.mib));
    const pass = (c.maxSeconds === undefined || s <= c.maxSeconds) && (c.maxMiB === undefined || m <= c.maxMiB);
    ok &&= pass;
    const target = [c.maxSeconds !== undefined ? `<= ${c.maxSeconds} s` : "", c.maxMiB !== undefined ? `<= ${c.maxMiB} MiB` : ""].filter(Boolean).join(", ");
    process.stdout.write(
      `| ${c.name} | ${s.toFixed(3)} | ${Math.min(...seconds).toFixed(3)}..${Math.max(...seconds).toFixed(3)} | ${median(samples.map((x) => x.cpu)).toFixed(3)} | ${m.toFixed(0)} | ${(s / floorSeconds).toFixed(2)} | ${target}: ${pass ? "met" : "MISSED"} |\n`,
    );
  }
  fs.rmSync(work, { recursive: true, force: true });
  return ok ? 0 : 1;
}

process.exitCode = main_();
