/**
 * cdktf validates, for every stack with a `cloud` block (and for import and moved blocks), that the
 * installed Terraform is recent enough, by running `terraform version` as a child process at each
 * stack's synthesis: about 50 ms per stack, the same answer each time. This runs each version
 * command once per process and reuses its answer (same validation, same messages).
 *
 * It wraps cdktf's ValidateBinaryVersion.validate. If a cdktf upgrade moves that module, the
 * require throws and the app stops here, loudly.
 */
type Validate = (this: VersionCheck) => string[];
interface VersionCheck {
  readonly binary: string;
  readonly versionConstraint: string;
  readonly versionCommand: string;
  readonly hint?: string;
}

let installed = false;

export function memoizeBinaryVersionChecks(): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require("cdktf/lib/validations/validate-binary-version") as { ValidateBinaryVersion: { prototype: { validate: Validate } } };
  const original = mod.ValidateBinaryVersion.prototype.validate;
  const answers = new Map<string, string[]>();
  mod.ValidateBinaryVersion.prototype.validate = function (this: VersionCheck): string[] {
    const key = JSON.stringify([this.binary, this.versionConstraint, this.versionCommand, this.hint ?? ""]);
    let answer = answers.get(key);
    if (!answer) {
      answer = original.call(this);
      answers.set(key, answer);
    }
    return [...answer];
  };
}
