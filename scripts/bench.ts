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

function measure(c: Case, runs: number): { seconds: number[]; mib: number[] } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-bench-"));
  const rssFile = path.join(work, "rss");
  const seconds: number[] = [];
  const mib: number[] = [];
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
    mib.push(Number(fs.readFileSync(rssFile, "utf8")) / 1024);
  }
  fs.rmSync(work, { recursive: true, force: true });
  return { seconds, mib };
}

function main_(): number {
  const argv = process.argv.slice(2);
  const runsArg = argv.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 7;
  const cases: Case[] = [{ name: "all environments", args: [], maxSeconds: 1.0, maxMiB: 200 }];
  process.stdout.write(`node ${process.version}, ${os.cpus().length} cores, ${runs} runs per case (after one warm-up)\n\n`);
  process.stdout.write("| case | median wall (s) | min..max (s) | median peak RSS (MiB) | target |\n|---|---|---|---|---|\n");
  let ok = true;
  for (const c of cases) {
    const { seconds, mib } = measure(c, runs);
    const s = median(seconds);
    const m = median(mib);
    const pass = s <= c.maxSeconds && m <= c.maxMiB;
    ok &&= pass;
    process.stdout.write(
      `| ${c.name} | ${s.toFixed(3)} | ${Math.min(...seconds).toFixed(3)}..${Math.max(...seconds).toFixed(3)} | ${m.toFixed(0)} | <= ${c.maxSeconds} s, <= ${c.maxMiB} MiB: ${pass ? "met" : "MISSED"} |\n`,
    );
  }
  return ok ? 0 : 1;
}

process.exitCode = main_();
