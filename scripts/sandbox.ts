import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { environments, global } from "../environments";
import { ConfigError, validateConfig } from "../environments/load";
import { checkAgainstEnvironments, isExpired, nextFreeCidr, readRegistry, SANDBOX_REGISTRY, SandboxRegistry, sandboxSources, validateRegistry } from "../environments/sandboxes";

/**
 * `npm run sandbox -- <command>`:
 *   add <name> [--owner EMAIL] [--eks] [--expires YYYY-MM-DD|never]   allocate a VPC CIDR and register a sandbox
 *   list                                                               show sandboxes, expired ones marked
 *   remove <name>                                                      drop a sandbox from the registry
 * Options for all: --registry FILE (default environments/sandbox-registry.json), --today YYYY-MM-DD.
 */
class UsageError extends Error {}

const USAGE = "usage: npm run sandbox -- add <name> [--owner EMAIL] [--eks] [--expires YYYY-MM-DD|never] | list | remove <name>";

function parse(argv: string[]) {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--eks") flags.eks = true;
    else if (a.startsWith("--")) {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      flags[a.slice(2)] = v;
    } else positional.push(a);
  }
  return { command: positional[0], name: positional[1], extra: positional.slice(2), flags };
}

function today(flag: string | true | undefined): string {
  return typeof flag === "string" ? flag : new Date().toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
}

function gitEmail(): string | undefined {
  const r = spawnSync("git", ["config", "user.email"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Validates the registry together with every environment; throws ConfigError. */
function validateAll(reg: SandboxRegistry, display: string): void {
  const { environments: envs, global: g } = validateConfig(global, environments);
  const problems = checkAgainstEnvironments(reg, envs, display);
  if (problems.length) throw new ConfigError(problems);
  validateConfig(global, [...environments, ...sandboxSources(reg, g!, display)]);
}

function writeRegistry(file: string, reg: SandboxRegistry): void {
  const sorted = { ...reg, sandboxes: [...reg.sandboxes].sort((a, b) => a.name.localeCompare(b.name)) };
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

function main(): number {
  try {
    const { command, name, extra, flags } = parse(process.argv.slice(2));
    const file = typeof flags.registry === "string" ? flags.registry : SANDBOX_REGISTRY;
    const display = typeof flags.registry === "string" ? file : SANDBOX_REGISTRY;
    const day = today(flags.today);
    const reg = readRegistry(path.resolve(file), display);
    if (extra.length) throw new UsageError(`unexpected ${extra.join(" ")}; ${USAGE}`);
    switch (command) {
      case "add": {
        if (!name) throw new UsageError(`add needs a name; ${USAGE}`);
        if (reg.sandboxes.some((s) => s.name === name)) throw new UsageError(`sandbox ${name} already exists`);
        const owner = typeof flags.owner === "string" ? flags.owner : gitEmail();
        if (!owner) throw new UsageError("--owner EMAIL is required (git config user.email is not set)");
        const expires = typeof flags.expires === "string" ? flags.expires : addDays(day, 30);
        const { environments: envs } = validateConfig(global, environments);
        const cidr = nextFreeCidr(reg, envs.map((e) => e.vpc.cidr));
        const entry = { name, owner, platform: flags.eks ? "eks" : "ecs", cidr, created: day, expires };
        if (expires !== "never" && expires <= day) {
          throw new ConfigError([{ file: display, path: `sandboxes.${reg.sandboxes.length}.expires`, value: expires, message: `must be after today (${day}): a new sandbox cannot start out expired` }]);
        }
        const next = validateRegistry({ ...reg, sandboxes: [...reg.sandboxes, entry] }, display);
        validateAll(next, display);
        writeRegistry(path.resolve(file), next);
        process.stdout.write(
          `added sandbox ${name}: VPC ${cidr}, ${entry.platform}, owner ${owner}, expires ${expires}\n` +
            `synthesize it with: npm run synth -- --sandbox ${name}\n`,
        );
        return 0;
      }
      case "remove": {
        if (!name) throw new UsageError(`remove needs a name; ${USAGE}`);
        if (!reg.sandboxes.some((s) => s.name === name)) throw new UsageError(`no sandbox named ${name}`);
        writeRegistry(path.resolve(file), { ...reg, sandboxes: reg.sandboxes.filter((s) => s.name !== name) });
        process.stdout.write(`removed sandbox ${name} from ${display}; destroy its stacks first if they were applied (cdktf destroy sandbox-${name}-*)\n`);
        return 0;
      }
      case "list": {
        const rows = reg.sandboxes.map((s) => `| ${s.name} | ${s.owner} | ${s.platform} | ${s.cidr} | ${s.created} | ${s.expires} | ${isExpired(s, day) ? "**EXPIRED**" : "active"} |`);
        process.stdout.write(`| name | owner | platform | VPC | created | expires | status |\n|---|---|---|---|---|---|---|\n${rows.join("\n")}${rows.length ? "\n" : ""}`);
        const expired = reg.sandboxes.filter((s) => isExpired(s, day)).length;
        process.stdout.write(`${reg.sandboxes.length} sandboxes, ${expired} expired (as of ${day})\n`);
        return 0;
      }
      default:
        throw new UsageError(USAGE);
    }
  } catch (e) {
    if (e instanceof ConfigError) process.stderr.write(`Invalid sandbox registry (${e.problems.length} problem${e.problems.length === 1 ? "" : "s"}); nothing was written:\n${e.message}\n`);
    else process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main();
