import * as fs from "fs";
import { deploy, DeployMode, summaryTable } from "./deploy-lib";

const USAGE = `usage: scripts/deploy [--env dev,qa] [--stack dev-network,...] [--destroy | --plan-only]
                      [--outdir cdktf.out] [--parallel N] [--no-deps] [--summary FILE] [--json FILE] [--plugin-dir DIR]

Plans every selected stack to a saved plan (tfplan in its directory) and applies exactly that plan,
in manifest dependency order (each stack after the stacks it reads; independent stacks up to
--parallel at once). --env selects an environment's stacks (dev, qa, staging, prod, sandbox-<name>,
global) and, unless --no-deps, the stacks they read. --destroy destroys in reverse order (and the
stacks that read the selected ones). --plan-only stops after the plans. --summary appends the
Markdown summary table to FILE (e.g. $GITHUB_STEP_SUMMARY); --json writes the results as JSON. Run after \`npm run synth\`.`;

/** `scripts/deploy`: see USAGE. Exit 0 when every selected stack planned/applied/destroyed, 1 otherwise, 2 on bad arguments. */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const known = new Set(["--env", "--stack", "--outdir", "--parallel", "--summary", "--plugin-dir", "--destroy", "--plan-only", "--no-deps", "--json"]);
  const withValue = new Set(["--env", "--stack", "--outdir", "--parallel", "--summary", "--plugin-dir", "--json"]);
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!known.has(a)) {
      process.stderr.write(`scripts/deploy: unknown argument ${a}\n${USAGE}\n`);
      return 2;
    }
    if (withValue.has(a)) {
      if (argv[i + 1] === undefined || argv[i + 1].startsWith("--")) {
        process.stderr.write(`scripts/deploy: ${a} needs a value\n`);
        return 2;
      }
      values[a] = argv[++i];
    } else values[a] = "true";
  }
  if (values["--destroy"] && values["--plan-only"]) {
    process.stderr.write("scripts/deploy: --destroy and --plan-only exclude each other (a destroy plan alone: --destroy is always planned first)\n");
    return 2;
  }
  const parallel = values["--parallel"] ? Number(values["--parallel"]) : 1;
  if (!Number.isInteger(parallel) || parallel < 1) {
    process.stderr.write(`scripts/deploy: --parallel must be a whole number >= 1, got ${values["--parallel"]}\n`);
    return 2;
  }
  const outdir = values["--outdir"] ?? "cdktf.out";
  if (!fs.existsSync(`${outdir}/manifest.json`)) {
    process.stderr.write(`scripts/deploy: ${outdir}/manifest.json not found: run \`npm run synth\` first\n`);
    return 2;
  }
  const mode: DeployMode = values["--destroy"] ? "destroy" : values["--plan-only"] ? "plan" : "apply";
  const list = (v?: string) => v?.split(",").map((s) => s.trim()).filter(Boolean);
  try {
    const result = await deploy({
      outdir,
      mode,
      envs: list(values["--env"]),
      stacks: list(values["--stack"]),
      withDependencies: !values["--no-deps"],
      parallel,
      initArgs: values["--plugin-dir"] ? [`-plugin-dir=${values["--plugin-dir"]}`] : [],
    });
    const title = `${mode} ${values["--env"] ?? values["--stack"] ?? "all stacks"}`;
    const table = summaryTable(result, title);
    process.stdout.write(`\n${table}`);
    if (values["--summary"]) fs.appendFileSync(values["--summary"], `${table}\n`);
    if (values["--json"]) fs.writeFileSync(values["--json"], JSON.stringify(result, null, 1));
    return result.ok ? 0 : 1;
  } catch (e) {
    process.stderr.write(`scripts/deploy: ${(e as Error).message}\n`);
    return 2;
  }
}

main().then((code) => (process.exitCode = code));
