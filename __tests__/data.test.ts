import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { ConfigError, validateEnvironments } from "../environments/load";
import { Database, defaultMaxConnections, supportsPerformanceInsights } from "../modules/database";
import { buildApp } from "../app/app";
import { envInput, Json, ofType, fixtureEnvironments, fixtureGlobal, resources, synthAll, tmpDir, fixtureProjectSynth } from "./helpers";

/** GIVEN the fixture project's environments WHEN synthesized THEN every database is private, encrypted, protected in production (live). */
const out = fixtureProjectSynth();
const ENVS = ["small", "guest", "host", "live"];

function problems(dbs: unknown[], overrides: Record<string, unknown> = {}): string[] {
  try {
    validateEnvironments([{ file: "environments/test.ts", input: envInput({ databases: dbs, ...overrides } as never) }]);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split("\n");
  }
  throw new Error("expected the configuration to be rejected");
}

const pg = { name: "app", engine: "postgres", version: "16", instanceClass: "db.t4g.micro" };

/** Instances and clusters of a data stack, with their kind. */
function databasesOf(stack: Json): { key: string; db: Json; kind: "instance" | "aurora" }[] {
  return [
    ...Object.entries((stack.resource?.aws_db_instance ?? {}) as Record<string, Json>).map(([key, db]) => ({ key, db, kind: "instance" as const })),
    ...Object.entries((stack.resource?.aws_rds_cluster ?? {}) as Record<string, Json>).map(([key, db]) => ({ key, db, kind: "aurora" as const })),
  ];
}

describe("databases of the fixture project's environments", () => {
  test("there is a MySQL 8 and a PostgreSQL database, and an Aurora cluster in live", () => {
    const engines = ENVS.flatMap((e) => databasesOf(out.stack(`${e}-data`)).map((d) => `${d.db.engine} ${d.db.engine_version}`));
    expect(engines).toEqual(expect.arrayContaining(["mysql 8.0", "postgres 16", "aurora-postgresql 16.6"]));
  });

  test.each(ENVS)("%s: every database is private, in a subnet group over every private subnet, behind the data group only", (env) => {
    const stack = out.stack(`${env}-data`);
    const network = out.stack(`${env}-network`);
    const dbs = databasesOf(stack);
    expect(dbs.length).toBeGreaterThan(0);
    const dataSgOutput = Object.entries(network.output as Record<string, Json>).find(([, o]) => /aws_security_group\.sg_data_[0-9A-F]+\.id\}$/.test(o.value))![0];
    for (const { db } of dbs) {
      expect(db.publicly_accessible ?? false).toBe(false);
      expect(db.vpc_security_group_ids).toEqual([`\${data.terraform_remote_state.cross-stack-reference-input-${env}-network.outputs.${dataSgOutput}}`]);
      const group = /aws_db_subnet_group\.([^.]+)\.name/.exec(db.db_subnet_group_name)![1];
      const subnets: string[] = stack.resource.aws_db_subnet_group[group].subnet_ids;
      expect(subnets).toHaveLength(3);
      for (const s of subnets) {
        const outputName = /outputs\.([^}]+)\}/.exec(s)![1];
        expect(network.output[outputName].value).toMatch(/aws_subnet\.network_private-us-east-1[abc]_/);
      }
    }
    for (const m of ofType(stack, "aws_rds_cluster_instance")) expect(m.publicly_accessible).toBe(false);
  });

  test.each(ENVS)("%s: encrypted with the data key, RDS-managed secret (encrypted), IAM auth, TLS CA, log exports", (env) => {
    const stack = out.stack(`${env}-data`);
    const [keyName] = Object.keys(stack.resource.aws_kms_key);
    expect(stack.resource.aws_kms_key[keyName].enable_key_rotation).toBe(true);
    for (const { db } of databasesOf(stack)) {
      expect(db.storage_encrypted).toBe(true);
      expect(db.kms_key_id).toBe(`\${aws_kms_key.${keyName}.arn}`);
      expect(db.manage_master_user_password).toBe(true);
      expect(db.master_user_secret_kms_key_id).toBe(`\${aws_kms_key.${keyName}.arn}`);
      expect(db.iam_database_authentication_enabled).toBe(true);
      expect(db.password).toBeUndefined();
      expect(db.master_password).toBeUndefined();
      expect(db.enabled_cloudwatch_logs_exports.length).toBeGreaterThan(0);
      expect(db.depends_on.every((d: string) => d.startsWith("aws_cloudwatch_log_group."))).toBe(true);
    }
  });

  test("the security group feeding the databases accepts only the app and bastion groups", () => {
    for (const env of ENVS) {
      const network = out.stack(`${env}-network`);
      const rules = [...resources(network).entries()].filter(([k, r]) => k.startsWith("aws_vpc_security_group_ingress_rule.") && /sg_data_/.test(r.security_group_id));
      expect(rules.length).toBeGreaterThan(0);
      for (const [, r] of rules) {
        expect(r.cidr_ipv4).toBeUndefined();
        expect(r.prefix_list_id).toBeUndefined();
        expect(r.referenced_security_group_id).toMatch(/aws_security_group\.sg_(app|bastion)_/);
        expect([3306, 5432]).toContain(r.from_port);
      }
    }
  });

  test("no password in any synthesized stack or output", () => {
    for (const s of out.stacks) {
      const text = fs.readFileSync(path.join(out.outdir, "stacks", s, "cdk.tf.json"), "utf8");
      expect(text).not.toMatch(/"(master_)?password(_wo)?"\s*:/);
      const json = JSON.parse(text) as Json;
      for (const [name, o] of Object.entries((json.output ?? {}) as Record<string, Json>)) {
        expect(`${name} ${JSON.stringify(o.value)}`).not.toMatch(/password/i);
      }
    }
  });

  test("live: Multi-AZ, deletion protection, prevent_destroy, final snapshot, 30 days of backups", () => {
    const live = out.stack("live-data");
    const dbs = databasesOf(live);
    expect(dbs.map((d) => d.kind).sort()).toEqual(["aurora", "instance"]);
    for (const { db, kind } of dbs) {
      expect(db.deletion_protection).toBe(true);
      expect(db.lifecycle).toEqual({ prevent_destroy: true });
      expect(db.skip_final_snapshot).toBe(false);
      expect(db.final_snapshot_identifier).toMatch(/^harbor-live-[a-z]+-final$/);
      expect(db.backup_retention_period).toBe(30);
      if (kind === "instance") expect(db.multi_az).toBe(true);
    }
    const members = ofType(live, "aws_rds_cluster_instance");
    expect(members).toHaveLength(2);
    expect(new Set(members.map((m) => m.availability_zone))).toEqual(new Set(["us-east-1a", "us-east-1b"]));
    for (const m of members) expect(m.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("small: 7 days of backups, no final snapshot, single AZ, destroyable", () => {
    for (const { db } of databasesOf(out.stack("small-data"))) {
      expect(db).toMatchObject({ backup_retention_period: 7, skip_final_snapshot: true, deletion_protection: false, multi_az: false });
      expect(db.lifecycle).toBeUndefined();
      expect(db.final_snapshot_identifier).toBeUndefined();
      expect(db).toMatchObject({ auto_minor_version_upgrade: true, maintenance_window: "sun:04:30-sun:05:30", backup_window: "03:00-04:00" });
    }
  });

  test("parameter groups: MySQL utf8mb4 and UTC, PostgreSQL logging; TLS required", () => {
    const guest = out.stack("guest-data");
    const groups = ofType(guest, "aws_db_parameter_group");
    const mysql = groups.find((g) => g.family === "mysql8.0")!;
    const pgGroup = groups.find((g) => g.family === "postgres16")!;
    const param = (g: Json, name: string) => g.parameter.find((p: Json) => p.name === name)?.value;
    expect(param(mysql, "character_set_server")).toBe("utf8mb4");
    expect(param(mysql, "collation_server")).toBe("utf8mb4_0900_ai_ci");
    expect(param(mysql, "time_zone")).toBe("UTC");
    expect(param(mysql, "require_secure_transport")).toBe("ON");
    expect(param(pgGroup, "log_min_duration_statement")).toBe("1000");
    expect(param(pgGroup, "log_connections")).toBe("1");
    expect(param(pgGroup, "rds.force_ssl")).toBe("1");
  });

  test("log groups are KMS-encrypted with the logs key and keep observability.logRetentionDays", () => {
    const groups = ofType(out.stack("guest-data"), "aws_cloudwatch_log_group");
    expect(groups.map((g) => g.name).sort()).toEqual([
      "/aws/rds/instance/harbor-guest-app/postgresql",
      "/aws/rds/instance/harbor-guest-app/upgrade",
      "/aws/rds/instance/harbor-guest-orders/error",
      "/aws/rds/instance/harbor-guest-orders/slowquery",
    ]);
    for (const g of groups) {
      expect(g.retention_in_days).toBe(14);
      expect(g.kms_key_id).toMatch(/terraform_remote_state\.cross-stack-reference-input-guest-network\.outputs\..*aws_kms_keylogs-key/);
    }
  });

  test("Performance Insights where the class allows it, enhanced monitoring everywhere", () => {
    const guest = databasesOf(out.stack("guest-data"));
    const byEngine = (e: string) => guest.find((d) => d.db.engine === e)!.db;
    // db.t4g.micro: PostgreSQL supports Performance Insights, MySQL does not.
    expect(byEngine("postgres").performance_insights_enabled).toBe(true);
    expect(byEngine("postgres").performance_insights_kms_key_id).toMatch(/aws_kms_key\./);
    expect(byEngine("mysql").performance_insights_enabled).toBe(false);
    for (const { db } of guest) {
      expect(db.monitoring_interval).toBe(60);
      expect(db.monitoring_role_arn).toMatch(/aws_iam_role\.monitoring_role_/);
    }
    expect(supportsPerformanceInsights("mysql", "instance", "db.t4g.small")).toBe(false);
    expect(supportsPerformanceInsights("mysql", "instance", "db.t4g.medium")).toBe(true);
    expect(supportsPerformanceInsights("mysql", "aurora", "db.t3.medium")).toBe(false);
    expect(supportsPerformanceInsights("postgres", "instance", "db.t3.micro")).toBe(true);
  });

  test("typed outputs: endpoint, port, database name, secret ARN and security group per database", () => {
    const envs = fixtureEnvironments();
    const outdir = tmpDir("data-outputs");
    const built = buildApp({ global: fixtureGlobal(), environments: envs }, outdir);
    const data = built.environments.get("live")!.data!;
    expect(Object.keys(data.databases).sort()).toEqual(["app", "orders"]);
    expect(data.databases.orders.port).toBe(3306);
    expect(data.databases.app.port).toBe(5432);
    expect(data.databases.orders.databaseName).toBe("orders");
    const stack = out.stack("live-data");
    expect(Object.keys(stack.output).filter((k) => !k.startsWith("cross-stack-output-")).sort()).toEqual([
      "app_database_name",
      "app_endpoint",
      "app_port",
      "app_secret_arn",
      "orders_database_name",
      "orders_endpoint",
      "orders_port",
      "orders_secret_arn",
    ]);
    expect(stack.output.orders_secret_arn.value).toMatch(/aws_db_instance\.[^.]+\.master_user_secret\[0\]\.secret_arn/);
  });

  test("an environment without databases has no data stack", () => {
    const s = synthAll(validateEnvironments([{ file: "environments/test.ts", input: envInput() }]));
    expect(s.stacks).not.toContain("test-data");
  });
});

describe("database defaults are resolved in the config layer (what the data stack receives)", () => {
  const resolved = (production: boolean, dbs: unknown[]) =>
    validateEnvironments([{ file: "environments/test.ts", input: envInput({ production, databases: dbs } as never) }])[0].databases;
  const aurora = { ...pg, name: "cluster", kind: "aurora", version: "16.6", instanceClass: "db.r7g.large" };
  test("production: 30 days of backups, Multi-AZ instances, two Aurora members", () => {
    expect(resolved(true, [pg, aurora]).map((d) => [d.backupRetentionDays, d.multiAz, d.instances, d.backupWindow, d.databaseName])).toEqual([
      [30, true, undefined, "03:00-04:00", "app"],
      [30, undefined, 2, "03:00-04:00", "cluster"],
    ]);
  });
  test("elsewhere: 7 days, single-AZ, one member; what the config says wins", () => {
    expect(resolved(false, [pg, aurora]).map((d) => [d.backupRetentionDays, d.multiAz, d.instances])).toEqual([
      [7, false, undefined],
      [7, undefined, 1],
    ]);
    expect(resolved(false, [{ ...pg, backupRetentionDays: 14, multiAz: true, databaseName: "main" }, { ...aurora, instances: 3 }]).map((d) => [d.backupRetentionDays, d.multiAz, d.instances, d.databaseName])).toEqual([
      [14, true, undefined, "main"],
      [7, undefined, 3, "cluster"],
    ]);
  });
});

describe("database config validation names the field, the value and what is allowed", () => {
  const cases: [string, unknown[], Record<string, unknown>, RegExp][] = [
    ["unknown engine", [{ ...pg, engine: "oracle" }], {}, /databases\.0\.engine: must be "mysql" or "postgres" \(got "oracle"\)/],
    ["unknown PostgreSQL version", [{ ...pg, version: "14" }], {}, /databases\.0\.version: must be a PostgreSQL 16 or 17 version such as "16", "16\.6" or "17" \(got "14"\)/],
    ["unknown MySQL version", [{ ...pg, engine: "mysql", version: "5.7" }], {}, /databases\.0\.version: must be a MySQL 8\.0 or 8\.4 version .*\(got "5\.7"\)/],
    ["Aurora version in the wrong format", [{ ...pg, kind: "aurora", engine: "mysql", version: "8.0", instanceClass: "db.r6g.large" }], {}, /databases\.0\.version: must be an Aurora MySQL 3 \(MySQL 8\.0\) version/],
    ["storage below the engine's minimum", [{ ...pg, allocatedStorageGiB: 10 }], {}, /databases\.0\.allocatedStorageGiB: must be a whole number of GiB from 20 \(the postgres gp3 minimum\) to 65536 \(got 10\)/],
    ["identifier not matching RDS rules", [{ ...pg, name: "App_DB" }], {}, /databases\.0\.name: must start with a lowercase letter .*RDS identifier rules.* \(got "App_DB"\)/],
    ["identifier with two hyphens", [{ ...pg, name: "app--db" }], {}, /databases\.0\.name: .*single hyphens/],
    ["identifier over 63 characters", [{ ...pg, name: `a${"b".repeat(60)}` }], {}, /databases\.0\.name: gives the RDS identifier "harbor-test-ab+", which must be 1 to 63 characters/],
    ["backup retention above 35", [{ ...pg, backupRetentionDays: 40 }], {}, /databases\.0\.backupRetentionDays: must be 1 to 35 days .* \(got 40\)/],
    ["backup retention of 0", [{ ...pg, backupRetentionDays: 0 }], {}, /databases\.0\.backupRetentionDays: must be 1 to 35 days/],
    ["unknown instance class", [{ ...pg, instanceClass: "db.x9.huge" }], {}, /databases\.0\.instanceClass: must be an RDS instance class this module knows/],
    ["non-Aurora class for Aurora", [{ ...pg, kind: "aurora", version: "16.6", instanceClass: "db.t4g.micro" }], {}, /databases\.0\.instanceClass: must be an Aurora instance class/],
    ["Performance Insights on a class without it", [{ ...pg, engine: "mysql", version: "8.0", performanceInsights: true }], {}, /databases\.0\.performanceInsights: is not available for mysql on db\.t4g\.micro/],
    ["duplicate names", [pg, pg], {}, /databases\.1\.name: is used by another database/],
    ["single-AZ in production", [{ ...pg, multiAz: false }], { production: true }, /databases\.0\.multiAz: must not be false in a production environment/],
    ["one Aurora member in production", [{ ...pg, kind: "aurora", version: "16.6", instanceClass: "db.r7g.large", instances: 1 }], { production: true }, /databases\.0\.instances: must be at least 2 in a production environment/],
    ["storage settings on Aurora", [{ ...pg, kind: "aurora", version: "16.6", instanceClass: "db.r7g.large", allocatedStorageGiB: 100 }], {}, /databases\.0\.allocatedStorageGiB: does not apply to kind "aurora"/],
    ["reserved master user", [{ ...pg, masterUsername: "rdsadmin" }], {}, /databases\.0\.masterUsername: is reserved/],
    ["bad maintenance window", [{ ...pg, maintenanceWindow: "sunday 4am" }], {}, /databases\.0\.maintenanceWindow: must be a UTC window ddd:hh:mm-ddd:hh:mm/],
  ];
  test.each(cases)("%s", (_name, dbs, overrides, expected) => {
    expect(problems(dbs, overrides).join("\n")).toMatch(expected);
  });

  test("a valid MySQL 8.4 instance and an Aurora PostgreSQL 17 cluster are accepted", () => {
    expect(() =>
      validateEnvironments([
        {
          file: "environments/test.ts",
          input: envInput({
            databases: [
              { name: "a", engine: "mysql", version: "8.4", instanceClass: "db.m7g.large", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 200 },
              { name: "b", engine: "postgres", kind: "aurora", version: "17.4", instanceClass: "db.r7g.large", instances: 2 },
            ],
          } as never),
        },
      ]),
    ).not.toThrow();
  });
});

describe("Database construct validation (module level)", () => {
  const base = {
    identifier: "harbor-test-app",
    engine: "postgres" as const,
    engineVersion: "16",
    instanceClass: "db.t4g.micro",
    databaseName: "app",
    subnetIds: { "us-east-1a": "subnet-a", "us-east-1b": "subnet-b" },
    securityGroupId: "sg-1",
    kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/x",
    logsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/y",
    monitoringRoleArn: "arn:aws:iam::123456789012:role/m",
    logRetentionDays: 30,
    backupRetentionDays: 7,
  };
  const build = (overrides: Record<string, unknown>) => {
    const stack = new TerraformStack(new App({ outdir: tmpDir("db") }), "s");
    return () => new Database(stack, "db", { ...base, ...overrides } as never);
  };
  test("valid props build", () => expect(build({})).not.toThrow());
  test("identifier ending with a hyphen", () => expect(build({ identifier: "harbor-" })).toThrow(/identifier "harbor-" must not end with a hyphen/));
  test("storage below the minimum", () => expect(build({ allocatedStorageGiB: 5 })).toThrow(/allocatedStorageGiB must be a whole number of GiB from 20 \(the postgres gp3 minimum\) to 65536, got 5/));
  test("unsupported version", () => expect(build({ engineVersion: "15.4" })).toThrow(/engineVersion "15\.4" must be a PostgreSQL 16 or 17 version/));
  test("backup retention out of range", () => expect(build({ backupRetentionDays: 36 })).toThrow(/backupRetentionDays must be 1 to 35 days \(RDS limits; 0 would turn backups off\), got 36/));
  test("one subnet", () => expect(build({ subnetIds: { "us-east-1a": "subnet-a" } })).toThrow(/subnetIds must list private subnets in at least 2 AZs/));
  test("enhanced monitoring without a role", () => expect(build({ monitoringRoleArn: undefined })).toThrow(/monitoringRoleArn is required/));
  test("default max_connections follow the engine formulas", () => {
    expect(defaultMaxConnections("postgres", 1)).toBe(112);
    expect(defaultMaxConnections("mysql", 1)).toBe(85);
    expect(defaultMaxConnections("postgres", 1024)).toBe(5000);
  });
});
