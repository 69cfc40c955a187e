import * as path from "path";
import { environments as declared, global as declaredGlobal } from "./environments";
import { ConfigError, EnvironmentSource, validateConfig } from "./environments/load";
import { buildApp } from "./stacks/app";
import { synthesizeAtomically } from "./stacks/synth";

/**
 * Entry point: validate every environment, build their stacks, synthesize.
 *
 *   node dist/main.js [--outdir DIR] [--environments FILE]
 *
 * `--environments` loads a module (JS or JSON) exporting `environments: EnvironmentSource[]` (and
 * optionally `global: EnvironmentSource`) instead of environments/index.ts (used by tests and for
 * trying a config out).
 * Run by `cdktf synth` (CDKTF_OUTDIR set), it writes where the CLI asks.
 */
function parseArgs(argv: readonly string[]): { outdir?: string; environmentsFile?: string } {
  const out: { outdir?: string; environmentsFile?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === "--outdir") out.outdir = value();
    else if (arg === "--environments") out.environmentsFile = value();
    else throw new UsageError(`unknown argument ${arg}; usage: main.js [--outdir DIR] [--environments FILE]`);
  }
  return out;
}

class UsageError extends Error {}

function loadSources(file: string | undefined): { global: EnvironmentSource; environments: readonly EnvironmentSource[] } {
  if (!file) return { global: declaredGlobal, environments: declared };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.resolve(file)) as { environments?: EnvironmentSource[]; global?: EnvironmentSource };
  if (!Array.isArray(mod.environments)) throw new UsageError(`${file} must export "environments": a list of { file, input }`);
  return { global: mod.global ?? declaredGlobal, environments: mod.environments };
}

function main(): number {
  try {
    const args = parseArgs(process.argv.slice(2));
    const sources = loadSources(args.environmentsFile);
    const config = validateConfig(sources.global, sources.environments);
    const appConfig = { global: config.global!, environments: config.environments };
    const cliOutdir = process.env.CDKTF_OUTDIR;
    if (cliOutdir && !args.outdir) {
      buildApp(appConfig, cliOutdir).app.synth();
    } else {
      synthesizeAtomically(args.outdir ?? "cdktf.out", (tmp) => buildApp(appConfig, tmp).app);
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Invalid configuration (${e.problems.length} problem${e.problems.length === 1 ? "" : "s"}); nothing was written:\n${e.message}\n`);
    } else if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
    } else {
      const err = e as Error;
      process.stderr.write(`error: ${err.message}\nnothing was written${process.env.DEBUG ? `\n${err.stack}` : ""}\n`);
    }
    return 1;
  }
}

process.exitCode = main();
