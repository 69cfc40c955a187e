// First, so that everything after it loads from the code cache (see app/compile-cache.ts).
import { installCompileCache } from "./app/compile-cache";
installCompileCache();
// V8's allocation-site pretenuring misjudges a synth: in about half the runs of the default
// configuration it starts allocating the synthesis's short-lived JSON straight into the old
// generation, which then grows until exit (peak RSS 172 -> 235 MiB, ~0.2 s slower; see
// docs/benchmarks.md). Off before the app allocates anything.
import { setFlagsFromString } from "v8";
setFlagsFromString("--no-allocation-site-pretenuring");
import * as path from "path";
// Before anything loads cdktf: defer its asset-packaging dependency (see app/lazy-archiver.ts).
import { deferArchiver } from "./app/lazy-archiver";
deferArchiver();
import { environments as declared, global as declaredGlobal } from "./environments";
import { ConfigError, EnvironmentSource } from "./environments/load";
import type { buildApp as BuildApp, PlatformApp } from "./app/app";
import { allocationCheckProblems, pendingAllocations, writeAllocations } from "./app/allocations";
import { SANDBOX_PREFIX } from "./environments/sandboxes";
import { selectEnvironments, SelectionError } from "./app/selection";
import { synthesizeAtomically } from "./app/synth";
import { loadProject } from "./app/project";

/**
 * Entry point: validate every environment, build their stacks, synthesize.
 *
 *   node dist/main.js [--outdir DIR] [--env a,b] [--sandbox x,y] [--environments FILE] [--sandboxes FILE] [--services DIR] [--check-allocations]
 *
 * `--env` and `--sandbox` synthesize only those environments and sandboxes (plus what they depend
 * on); everything is still validated. `--sandboxes` reads another sandbox registry.
 * `--environments` loads a module (JS or JSON) exporting `environments: EnvironmentSource[]` (and
 * optionally `global: EnvironmentSource`) instead of environments/index.ts (used by tests and for
 * trying a config out).
 * `--services` reads the service descriptors (Compose files) from DIR instead of services/.
 * A synth that allocates listener rules to new routes extends environments/edge-routes/<env>.json
 * after the output is in place (not with `--environments` or `--services`: a trial's routes are
 * not recorded); `--check-allocations` fails instead, writing nothing, when a record would change.
 * Run by `cdktf synth` (CDKTF_OUTDIR set), it writes where the CLI asks.
 */
interface Args {
  outdir?: string;
  environmentsFile?: string;
  sandboxesFile?: string;
  only?: string[];
  servicesDir?: string;
  checkAllocations?: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === "--outdir") out.outdir = value();
    else if (arg === "--environments") out.environmentsFile = value();
    else if (arg === "--sandboxes") out.sandboxesFile = value();
    else if (arg === "--services") out.servicesDir = value();
    else if (arg === "--check-allocations") out.checkAllocations = true;
    else if (arg === "--env") out.only = [...(out.only ?? []), ...value().split(",")];
    else if (arg === "--sandbox") out.only = [...(out.only ?? []), ...value().split(",").map((n) => `${SANDBOX_PREFIX}${n}`)];
    else throw new UsageError(`unknown argument ${arg}; usage: main.js [--outdir DIR] [--env a,b] [--sandbox x,y] [--environments FILE] [--sandboxes FILE] [--services DIR] [--check-allocations]`);
  }
  return out;
}

class UsageError extends Error {}
class AllocationCheckError extends Error {}

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
    const project = loadProject({
      ...sources,
      sandboxRegistry: args.sandboxesFile && path.resolve(args.sandboxesFile),
      servicesDir: args.servicesDir && path.resolve(args.servicesDir),
    });
    const appConfig = { ...project, environments: selectEnvironments(project.environments, args.only) };
    // The constructs (and the provider classes under them) load only once the input is known to be
    // good, so a bad config is reported in a fraction of the time a synth takes.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildApp } = require("./app/app") as { buildApp: typeof BuildApp };
    const cliOutdir = process.env.CDKTF_OUTDIR;
    let built: PlatformApp | undefined;
    const build = (outdir: string) => {
      built = buildApp(appConfig, outdir, { tokenStackTraces: !!process.env.DEBUG });
      // Checked before anything is written: a failed check leaves the output as it was.
      const problems = args.checkAllocations ? allocationCheckProblems(pendingAllocations(built)) : [];
      if (problems.length) throw new AllocationCheckError(problems.join("\n"));
      return built.app;
    };
    if (cliOutdir && !args.outdir) build(cliOutdir).synth();
    else synthesizeAtomically(args.outdir ?? "cdktf.out", build);
    // The extended listener-rule records, once the synth has succeeded (never from a construct).
    // Only the project's own configuration is recorded: a trial (--environments, --services) is not.
    if (!args.environmentsFile && !args.servicesDir) writeAllocations(pendingAllocations(built!));
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Invalid configuration (${e.problems.length} problem${e.problems.length === 1 ? "" : "s"}); nothing was written:\n${e.message}\n`);
    } else if (e instanceof AllocationCheckError) {
      process.stderr.write(`--check-allocations: a listener-rule record is out of date; nothing was written:\n${e.message}\n`);
    } else if (e instanceof UsageError || e instanceof SelectionError) {
      process.stderr.write(`error: ${e.message}\n`);
    } else {
      const err = e as Error;
      process.stderr.write(`error: ${err.message}\nnothing was written${process.env.DEBUG ? `\n${err.stack}` : ""}\n`);
    }
    return 1;
  }
}

process.exitCode = main();
