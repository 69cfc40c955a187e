/**
 * Preloaded (`node --require`, through NODE_OPTIONS so every node process of a run gets it) by the
 * benchmark: at exit, appends the process's peak RSS (KiB) and CPU time (microseconds, user +
 * system) as one JSON line to the file named by BENCH_RSS_FILE.
 */
import * as fs from "fs";

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    fs.appendFileSync(target, `${JSON.stringify({ pid: process.pid, maxRSS: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime })}\n`);
  });
}
