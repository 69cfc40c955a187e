import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";

/**
 * Synthesizes into a fresh sibling directory and swaps it into place only when synthesis
 * succeeded, so a failure leaves the previous output exactly as it was.
 */
export function synthesizeAtomically(outdir: string, build: (tmpOutdir: string) => App): void {
  const target = path.resolve(outdir);
  const tmp = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    build(tmp).synth();
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const hadPrevious = fs.existsSync(target);
  if (hadPrevious) fs.renameSync(target, old);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if (hadPrevious) fs.renameSync(old, target);
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (hadPrevious) fs.rmSync(old, { recursive: true, force: true });
}
