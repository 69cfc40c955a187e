import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ChildProcess, spawn, spawnSync } from "child_process";
import { DEFAULT_PLUGIN_DIR, findTerraform } from "./terraform-check";
import { DeployResult } from "./deploy-lib";
import { gapTableMarkdown } from "./emulator-gaps";
import { evaluateRun, freePort, prepareScratch, Scratch, stateCounts } from "./check-apply-lib";
import { optionReader } from "./args";

const USAGE = `usage: npm run check:apply [-- --keep] [--env dev,...] [--stack dev-data,...] [--parallel N] [--outdir cdktf.out] [--break-reference]

After \`npm run synth\`: starts a local AWS API emulator (moto_server) on a free loopback port, copies
the AWS-only stacks of cdktf.out into a scratch directory pointed at it (provider overrides, local
state), applies them all with scripts/deploy (real local state, so every remote-state read is real),
destroys them all and stops the emulator. --keep leaves the emulator and the scratch state up.
--break-reference corrupts one exported subnet id (a demo: the check must fail naming stack and address).`;

/** The moto server binary: MOTO_SERVER, or moto_server on the PATH. */
function findMoto(): string | undefined {
  const explicit = process.env.MOTO_SERVER;
  if (explicit) return fs.existsSync(explicit) ? explicit : undefined;
  const r = spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

async function waitForEmulator(endpoint: string, child: ChildProcess, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${endpoint}/moto-api/data.json`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${seconds} s`);
}

function runDeploy(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, "deploy.js"), ...args], { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/**
 * Why the check cannot run here, as the exit code to end with: 0 when moto_server or Terraform is
 * missing outside CI (skipped), 1 when one is missing in CI or there is no synth output; undefined
 * when it can run.
 */
function prerequisiteProblem(outdir: string, moto: string | undefined, terraform: string | undefined): number | undefined {
  for (const [what, found, how] of [
    ["moto_server", moto, "pip install 'moto[server]==5.2.1', or set MOTO_SERVER"],
    ["terraform", terraform, "install Terraform >= 1.10, or set TERRAFORM_BIN"],
  ] as const) {
    if (found) continue;
    if (process.env.CI) {
      process.stderr.write(`check:apply: ${what} not found, and CI is set: the apply check is required in CI (${how})\n`);
      return 1;
    }
    process.stdout.write(`check:apply: ${what} not found: apply check skipped (${how})\n`);
    return 0;
  }
  if (!fs.existsSync(path.join(outdir, "manifest.json"))) {
    process.stderr.write(`check:apply: ${outdir}/manifest.json not found: run \`npm run synth\` first\n`);
    return 1;
  }
  return undefined;
}

/** Starts moto_server on a loopback port, logging to motoLog; `stop` ends it (Ctrl-C does too). */
function startEmulator(moto: string, port: number, motoLog: string): { server: ChildProcess; stop: () => void } {
  const server = spawn(moto, ["-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
    stdio: ["ignore", fs.openSync(motoLog, "a"), fs.openSync(motoLog, "a")],
  });
  const stop = () => {
    if (server.exitCode === null) server.kill("SIGTERM");
  };
  process.on("SIGINT", () => {
    stop();
    process.exit(130);
  });
  return { server, stop };
}

/** The environment deploy runs in against the emulator: test credentials, us-east-1, an empty Terraform CLI config. */
function emulatorEnv(cliConfig: string, terraform: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    TF_CLI_CONFIG_FILE: cliConfig,
    ...(terraform !== "terraform" ? { TERRAFORM_BIN: terraform } : {}),
  };
}

/** Applies every scratch stack, records the state counts, destroys them all (not with --keep), and returns the summary's exit code. */
async function applyAndDestroy(o: { scratch: Scratch; dir: string; env: NodeJS.ProcessEnv; parallel: string; pluginDir: string; keep: boolean; started: number }): Promise<number> {
  const { scratch, dir, env, parallel, pluginDir, keep, started } = o;
  const common = ["--outdir", scratch.outdir, "--parallel", parallel, "--plugin-dir", pluginDir];
  process.stdout.write("\n== apply ==\n");
  await runDeploy([...common, "--json", path.join(dir, "apply.json")], env);
  const applied = JSON.parse(fs.readFileSync(path.join(dir, "apply.json"), "utf8")) as DeployResult;
  const counts = new Map(scratch.stacks.map((s) => [s.stack, stateCounts(path.join(dir, "state", `${s.stack}.tfstate`))]));
  fs.writeFileSync(path.join(dir, "counts.json"), JSON.stringify(Object.fromEntries(counts)));
  let destroyed: DeployResult | undefined;
  if (!keep) {
    process.stdout.write("\n== destroy ==\n");
    await runDeploy([...common, "--destroy", "--json", path.join(dir, "destroy.json")], env);
    destroyed = JSON.parse(fs.readFileSync(path.join(dir, "destroy.json"), "utf8")) as DeployResult;
  }
  return report(scratch, applied, destroyed, counts, (Date.now() - started) / 1000);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opt = optionReader(argv);
  if (argv.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opt("--report")) return reportOnly(opt("--report")!, opt("--outdir") ?? "cdktf.out");
  const keep = argv.includes("--keep");
  const outdir = opt("--outdir") ?? "cdktf.out";
  const parallel = opt("--parallel") ?? "4";
  // Environments (`dev`) or stacks (`dev-data`): either way, with the stacks they read.
  const envs = [opt("--env"), opt("--stack")].filter((v): v is string => !!v).flatMap((v) => v.split(","));
  const pluginDir = process.env.TF_PLUGIN_DIR ?? DEFAULT_PLUGIN_DIR;
  const moto = findMoto();
  const terraform = findTerraform();
  const problem = prerequisiteProblem(outdir, moto, terraform);
  if (problem !== undefined) return problem;

  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harbor-check-apply-"));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const scratch: Scratch = prepareScratch({ outdir, dir, endpoint, pluginDir, envs: envs.length ? envs : undefined, breakReference: argv.includes("--break-reference") });
  process.stdout.write(`check:apply: ${scratch.stacks.length} AWS-only stacks copied to ${scratch.outdir}; emulator on ${endpoint}\n`);
  for (const s of scratch.notAwsOnly) process.stdout.write(`  not applied here: ${s.stack} (needs ${s.missing.join(", ")}: a real cluster)\n`);
  if (scratch.broken) process.stdout.write(`  DEMO: broken reference in ${scratch.broken} (the check must fail)\n`);

  const motoLog = path.join(dir, "moto.log");
  const cliConfig = path.join(dir, "terraformrc");
  fs.writeFileSync(cliConfig, "");
  const { server, stop } = startEmulator(moto!, port, motoLog);
  let code = 1;
  try {
    await waitForEmulator(endpoint, server, 60);
    code = await applyAndDestroy({ scratch, dir, env: emulatorEnv(cliConfig, terraform!), parallel, pluginDir, keep, started });
    if (keep) {
      process.stdout.write(
        `\n--keep: emulator still up on ${endpoint} (pid ${server.pid}); state in ${dir}/state\n` +
          `  poke it:  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url ${endpoint} --region us-east-1 ec2 describe-vpcs\n` +
          `  tear down: scripts/deploy --outdir ${scratch.outdir} --destroy --plugin-dir ${pluginDir}  (with the same AWS_* test variables), then kill ${server.pid}\n`,
      );
      server.unref();
      return code;
    }
  } catch (e) {
    process.stderr.write(`check:apply: ${(e as Error).message}\n(moto log: ${motoLog})\n`);
    code = 1;
  } finally {
    if (!keep) stop();
  }
  if (!keep && code === 0) fs.rmSync(dir, { recursive: true, force: true });
  else if (!keep) process.stdout.write(`scratch directory kept for inspection: ${dir} (stack logs: cdktf.out/stacks/<stack>/apply.log and destroy.log, moto.log)\n`);
  return code;
}

/**
 * `--report DIR`: the summary again from a kept scratch directory's apply.json / destroy.json
 * (and counts.json; without it, created = planned additions - stand-ins).
 */
function reportOnly(dir: string, outdir: string): number {
  const scratch = prepareScratch({ outdir, dir: fs.mkdtempSync(path.join(os.tmpdir(), "harbor-check-apply-report-")), endpoint: "http://127.0.0.1:1", pluginDir: process.env.TF_PLUGIN_DIR ?? DEFAULT_PLUGIN_DIR });
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) : undefined);
  const applied = read("apply.json") as DeployResult;
  const destroyed = read("destroy.json") as DeployResult | undefined;
  const saved = read("counts.json") as Record<string, { created: number; stoodIn: number }> | undefined;
  const counts = new Map(
    applied.results.map((r) => {
      const stoodIn = scratch.stacks.find((s) => s.stack === r.stack)?.standIns.length ?? 0;
      return [r.stack, saved?.[r.stack] ?? { created: r.status === "applied" ? r.add - stoodIn : 0, stoodIn: r.status === "applied" ? stoodIn : 0 }];
    }),
  );
  return report(scratch, applied, destroyed, counts, applied.seconds + (destroyed?.seconds ?? 0));
}

/** Prints the per-stack summary and decides the outcome. */
function report(scratch: Scratch, applied: DeployResult, destroyed: DeployResult | undefined, counts: Map<string, { created: number; stoodIn: number }>, seconds: number): number {
  const v = evaluateRun(scratch, applied, destroyed, counts);
  process.stdout.write(`\n== check:apply summary ==\n${v.table}\n\nEmulator gaps (stood in):\n${gapTableMarkdown(v.gapCounts)}\n`);
  for (const e of v.expected) process.stdout.write(`expected: ${e}\n`);
  if (scratch.broken) process.stdout.write(`DEMO broken reference: ${scratch.broken}\n`);
  if (v.failures.length) {
    process.stderr.write(`\ncheck:apply FAILED (project failures, not emulator gaps):\n${v.failures.map((f) => `  ${f}`).join("\n")}\n`);
  }
  process.stdout.write(
    `\ncheck:apply ${v.failures.length ? "FAILED" : "passed"}: ${applied.results.length} stacks, ${v.total.created} resources created on the emulator, ${v.total.stoodIn} stood in, ${seconds.toFixed(0)} s wall time\n`,
  );
  return v.failures.length ? 1 : 0;
}

main().then((code) => (process.exitCode = code));
