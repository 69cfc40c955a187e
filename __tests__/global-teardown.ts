import * as fs from "fs";
import * as path from "path";

/** Stops the background type-check global-setup.ts started if it is still running (a run cut short), and removes its directory. */
export default function globalTeardown(): void {
  const dir = process.env.HARBOR_TYPECHECK_DIR;
  const pid = Number(process.env.HARBOR_TYPECHECK_PID);
  if (!dir) return;
  if (pid && !fs.existsSync(path.join(dir, "status"))) {
    try {
      process.kill(-pid, "SIGTERM"); // its process group: sh, npm and tsc
    } catch {
      // already gone
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
