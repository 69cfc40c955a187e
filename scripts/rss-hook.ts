/**
 * Preloaded (`node --require`) by the benchmark: at exit, writes the process's peak RSS (KiB) and
 * CPU time (microseconds, user + system) as JSON to the file named by BENCH_RSS_FILE.
 */
import * as fs from "fs";

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ maxRSS: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime }));
  });
}
