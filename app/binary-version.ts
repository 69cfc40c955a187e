import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * cdktf validates, for every stack with a `cloud` block (and for import and moved blocks), that the
 * installed Terraform is recent enough, by running `terraform version` through a shell at each
 * stack's synthesis: about 60 ms each time, the same answer each time. This keeps cdktf's check
 * and its messages, and reuses its answer:
 *
 * - within a process: each version command runs once, whatever the number of stacks;
 * - across processes: a check that passed is recorded under node_modules/.cache/harbor-binary-version/,
 *   keyed by the check (binary, constraint, command, hint) and by the identity of the executable
 *   the shell would run (its path on PATH, device, inode, size and modification time). Another
 *   binary on PATH, a binary replaced or upgraded in place, or another constraint is a new key, so
 *   the check runs again. A failed check is never recorded: it runs, and says why, every time.
 *   HARBOR_BINARY_VERSION_CACHE=0 turns the record off.
 *
 * It wraps cdktf's ValidateBinaryVersion.validate. If a cdktf upgrade moves that module, the
 * require throws and the app stops here, loudly.
 */
type Validate = (this: VersionCheck) => string[];
export interface VersionCheck {
  readonly binary: string;
  readonly versionConstraint: string;
  readonly versionCommand: string;
  readonly hint?: string;
}

export const DEFAULT_BINARY_VERSION_CACHE_DIR = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "harbor-binary-version");

let installed = false;

export function memoizeBinaryVersionChecks(cacheDir = DEFAULT_BINARY_VERSION_CACHE_DIR): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require("cdktf/lib/validations/validate-binary-version") as { ValidateBinaryVersion: { prototype: { validate: Validate } } };
  const original = mod.ValidateBinaryVersion.prototype.validate;
  const answers = new Map<string, string[]>();
  const record = process.env.HARBOR_BINARY_VERSION_CACHE === "0" ? undefined : cacheDir;
  mod.ValidateBinaryVersion.prototype.validate = function (this: VersionCheck): string[] {
    const key = JSON.stringify([this.binary, this.versionConstraint, this.versionCommand, this.hint ?? ""]);
    let answer = answers.get(key);
    if (!answer) {
      answer = record ? recordedAnswer(this, record, () => original.call(this)) : original.call(this);
      answers.set(key, answer);
    }
    return [...answer];
  };
}

/**
 * The answer of `check`: read from `dir` when a passed check of the same binary is recorded there,
 * else computed (and recorded when it passed).
 */
export function recordedAnswer(check: VersionCheck, dir: string, compute: () => string[]): string[] {
  const identity = executableIdentity(check.versionCommand);
  if (!identity) return compute();
  const key = [check.binary, check.versionConstraint, check.versionCommand, check.hint ?? "", identity];
  const file = path.join(dir, crypto.createHash("sha1").update(JSON.stringify(key)).digest("hex"));
  try {
    if (fs.readFileSync(file, "utf8") === "passed\n") return [];
  } catch {
    // not recorded
  }
  const answer = compute();
  if (answer.length === 0) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, "passed\n");
      fs.renameSync(tmp, file);
    } catch {
      // A record that cannot be written costs the next run one version command, nothing else.
    }
  }
  return answer;
}

/**
 * Who runs `command` (`<binary> version`): the executable the shell finds for its first word (a
 * path, or the first match on PATH), as path, device, inode, size and modification time; undefined
 * when the command is not that simple form or no executable is found (then nothing is recorded).
 */
export function executableIdentity(command: string): string | undefined {
  const m = /^([A-Za-z0-9_./+-]+) version$/.exec(command);
  if (!m) return undefined;
  const name = m[1];
  const candidates = name.includes("/") ? [path.resolve(name)] : (process.env.PATH ?? "").split(path.delimiter).filter(Boolean).map((d) => path.join(path.resolve(d), name));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      const st = fs.statSync(candidate);
      if (!st.isFile()) continue;
      return JSON.stringify([candidate, st.dev, st.ino, st.size, st.mtimeMs]);
    } catch {
      // not here
    }
  }
  return undefined;
}
