import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";

/**
 * `npm run bench [-- --runs N]`: times the synthesis app (compiled JS, so type-checking is not
 * counted) as `npm run synth` runs it, and prints the median wall time and median peak RSS of the
 * app process per case.
 */
interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** Targets from the issues, for the printed verdict. */
  readonly maxSeconds: number;
  readonly maxMiB: number;
}

const root = path.resolve(__dirname, "..", "..");
const main = path.join(root, "dist", "main.js");
const hook = path.join(root, "dist", "scripts", "rss-hook.js");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measure(c: Case, runs: number): { seconds: number[]; mib: number[]; cpu: number[] } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-bench-"));
  const rssFile = path.join(work, "rss");
  const seconds: number[] = [];
  const mib: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["--require", hook, main, "--outdir", path.join(work, "out"), ...c.args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, BENCH_RSS_FILE: rssFile, CDKTF_OUTDIR: "" },
    });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) throw new Error(`${c.name} failed:\n${r.stderr}`);
    if (i === 0) continue; // warm-up: file cache
    seconds.push(elapsed);
    const usage = JSON.parse(fs.readFileSync(rssFile, "utf8")) as { maxRSS: number; cpu: number };
    mib.push(usage.maxRSS / 1024);
    cpu.push(usage.cpu / 1e6);
  }
  fs.rmSync(work, { recursive: true, force: true });
  return { seconds, mib, cpu };
}

/** A registry like environments/sandbox-registry.json holding `n` generated sandboxes. */
function sandboxRegistry(n: number): string {
  const reg = JSON.parse(fs.readFileSync(path.join(root, "environments", "sandbox-registry.json"), "utf8")) as { sandboxes: unknown[] };
  reg.sandboxes = Array.from({ length: n }, (_, i) => ({
    name: `dev${String(i).padStart(3, "0")}`,
    owner: `dev${i}@example.com`,
    platform: i % 4 === 3 ? "eks" : "ecs",
    cidr: `10.${128 + Math.floor(i / 16)}.${(i % 16) * 16}.0/20`,
    created: "2026-11-26",
    expires: "never",
  }));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "harbor-bench-reg-")), "sandbox-registry.json");
  fs.writeFileSync(file, JSON.stringify(reg));
  return file;
}

function main_(): number {
  const argv = process.argv.slice(2);
  const runsArg = argv.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 7;
  const cases: Case[] = [
    { name: "all environments (dev, qa, staging, prod + registry sandboxes)", args: [], maxSeconds: 1.0, maxMiB: 200 },
    { name: "--env dev", args: ["--env", "dev"], maxSeconds: 0.8, maxMiB: 200 },
    { name: "all environments + 100 sandboxes", args: ["--sandboxes", sandboxRegistry(100)], maxSeconds: 6, maxMiB: 1024 },
  ];
  process.stdout.write(`node ${process.version}, ${os.cpus().length} cores, ${runs} runs per case (after one warm-up)\n\n`);
  process.stdout.write(`load average before: ${os.loadavg()[0].toFixed(2)} (wall times on a busy machine are not comparable; CPU time is steadier)\n\n`);
  process.stdout.write("| case | median wall (s) | min..max (s) | median CPU (s) | median peak RSS (MiB) | target |\n|---|---|---|---|---|---|\n");
  let ok = true;
  for (const c of cases) {
    const { seconds, mib, cpu } = measure(c, runs);
    const s = median(seconds);
    const m = median(mib);
    const pass = s <= c.maxSeconds && m <= c.maxMiB;
    ok &&= pass;
    process.stdout.write(
      `| ${c.name} | ${s.toFixed(3)} | ${Math.min(...seconds).toFixed(3)}..${Math.max(...seconds).toFixed(3)} | ${median(cpu).toFixed(3)} | ${m.toFixed(0)} | <= ${c.maxSeconds} s, <= ${c.maxMiB} MiB: ${pass ? "met" : "MISSED"} |\n`,
    );
  }
  return ok ? 0 : 1;
}

process.exitCode = main_();
