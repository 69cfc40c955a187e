import { z } from "zod";
import {
  backupRetentionProblem,
  backupWindowProblem,
  classProblem,
  DatabaseEngine,
  DatabaseKind,
  databaseNameProblem,
  DEFAULT_BACKUP_WINDOW,
  DEFAULT_MAINTENANCE_WINDOW,
  identifierProblem,
  maintenanceWindowProblem,
  storageProblems,
  supportsPerformanceInsights,
  usernameProblem,
  versionProblem,
} from "../../modules/database/engines";

/**
 * `databases`: zero or more RDS databases of an environment (`<env>-data` stack), each a single
 * instance or an Aurora cluster of MySQL 8 or PostgreSQL 16/17. Production databases are Multi-AZ,
 * deletion-protected, keep a final snapshot and 30 days of backups by default.
 */

/** A zod refinement from one of the database module's `...Problem` predicates. */
const check =
  <T>(problem: (v: T) => string | undefined) =>
  (v: T, ctx: z.RefinementCtx): void => {
    const message = problem(v);
    if (message) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  };

/** Days of automated backups a database keeps when `backupRetentionDays` does not say. */
export function defaultBackupRetentionDays(production: boolean): number {
  return production ? 30 : 7;
}

/** Aurora members when `instances` does not say: a reader in a second AZ in production. */
export function defaultAuroraMembers(production: boolean): number {
  return production ? 2 : 1;
}

/** The database created inside the engine when `databaseName` does not say: the name with underscores. */
export function defaultDatabaseName(db: { name: string; databaseName?: string }): string {
  return db.databaseName ?? db.name.replace(/-/g, "_");
}

export const databaseSchema = z
  .object({
    /** Key and last part of the identifier (`<project>-<env>-<name>`, at most 63 characters in all): lowercase letters, digits, single hyphens. */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must start with a lowercase letter and contain only lowercase letters, digits and single hyphens (RDS identifier rules), not end with a hyphen"),
    /** `mysql` or `postgres`. */
    engine: z.enum(["mysql", "postgres"], { errorMap: () => ({ message: 'must be "mysql" or "postgres"' }) }),
    /** Engine version: MySQL "8.0"/"8.4"(.x), PostgreSQL "16"/"17"(.x); Aurora MySQL "8.0.mysql_aurora.3.xx.x", Aurora PostgreSQL "16.x"/"17.x". */
    version: z.string({ invalid_type_error: "must be a version string such as \"16\" or \"8.0\"" }),
    /** `instance` (RDS) or `aurora` (a cluster, one member per AZ). @default "instance" */
    kind: z.enum(["instance", "aurora"], { errorMap: () => ({ message: 'must be "instance" or "aurora"' }) }).default("instance"),
    /** Instance class: db.t3/t4g.micro..2xlarge or db.m5/m6g/m6i/m7g/r5/r6g/r6i/r7g.large..16xlarge (Aurora: r classes, db.t3/t4g.medium, db.t4g.large). */
    instanceClass: z.string(),
    /** gp3 storage in GiB (instance only; 20 to 65536). @default 20 */
    allocatedStorageGiB: z.number().optional(),
    /** Storage autoscaling ceiling in GiB (instance only). @default no autoscaling */
    maxAllocatedStorageGiB: z.number().optional(),
    /** Database created inside the engine. @default name with hyphens as underscores */
    databaseName: z.string().optional(),
    /** Master user (its password lives in Secrets Manager, managed by RDS). @default "dbadmin" */
    masterUsername: z.string().optional(),
    /** Days of automated backups, 1 to 35. @default 30 in production, 7 otherwise */
    backupRetentionDays: z.number().superRefine(check(backupRetentionProblem)).optional(),
    /** Daily backup window in UTC. @default "03:00-04:00" */
    backupWindow: z.string().superRefine(check(backupWindowProblem)).default(DEFAULT_BACKUP_WINDOW),
    /** Weekly maintenance window in UTC. @default "sun:04:30-sun:05:30" */
    maintenanceWindow: z.string().superRefine(check(maintenanceWindowProblem)).default(DEFAULT_MAINTENANCE_WINDOW),
    /** Standby in a second AZ (instance only); production rejects `false`. @default true in production, false otherwise */
    multiAz: z.boolean().optional(),
    /** Aurora members, one per AZ; production rejects fewer than 2. @default 2 in production, 1 otherwise */
    instances: z.number().int().min(1, "must be at least 1").optional(),
    /** Performance Insights (Database Insights standard). @default on where the class supports it: not on db.t3/t4g micro and small for MySQL, not on db.t3 for Aurora MySQL */
    performanceInsights: z.boolean().optional(),
  })
  .strict()
  .superRefine((db, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    const engine = db.engine as DatabaseEngine;
    const kind = db.kind as DatabaseKind;
    const v = versionProblem(engine, kind, db.version);
    if (v) issue("version", v);
    const c = classProblem(kind, db.instanceClass);
    if (c) issue("instanceClass", c);
    for (const p of storageProblems(engine, kind, db)) issue(p.field, p.message);
    if (kind === "instance" && db.instances !== undefined) issue("instances", 'only applies to kind "aurora"; use multiAz for a standby');
    const dbName = defaultDatabaseName(db);
    const n = databaseNameProblem(engine, dbName);
    if (n) issue(db.databaseName === undefined ? "name" : "databaseName", `${db.databaseName === undefined ? `gives the database name ${JSON.stringify(dbName)}, which ` : ""}${n}`);
    if (db.masterUsername !== undefined) {
      const u = usernameProblem(engine, db.masterUsername);
      if (u) issue("masterUsername", u);
    }
    if (db.performanceInsights && !c && !supportsPerformanceInsights(engine, kind, db.instanceClass)) {
      issue("performanceInsights", `is not available for ${engine} on ${db.instanceClass}: use a larger class or leave it unset`);
    }
  });

export const databasesSchema = z.array(databaseSchema).default([]);

export type DatabaseConfig = z.output<typeof databaseSchema>;
export type DatabasesConfig = z.output<typeof databasesSchema>;

/**
 * One database with every default resolved, production-derived ones included: what the data
 * stack receives. `multiAz` is set for an instance only, `instances` for Aurora only.
 */
export interface ResolvedDatabaseConfig extends Omit<DatabaseConfig, "databaseName" | "backupRetentionDays" | "multiAz" | "instances"> {
  readonly databaseName: string;
  readonly backupRetentionDays: number;
  /** Instance only: standby in a second AZ (production: true). */
  readonly multiAz?: boolean;
  /** Aurora only: members, one per AZ. */
  readonly instances?: number;
}

/** Resolves the defaults of an environment's databases (production: 30 days, Multi-AZ, 2 Aurora members). */
export function resolveDatabases(databases: DatabasesConfig, production: boolean): ResolvedDatabaseConfig[] {
  return databases.map((db) => ({
    ...db,
    databaseName: defaultDatabaseName(db),
    backupRetentionDays: db.backupRetentionDays ?? defaultBackupRetentionDays(production),
    multiAz: db.kind === "instance" ? db.multiAz ?? production : undefined,
    instances: db.kind === "aurora" ? db.instances ?? defaultAuroraMembers(production) : undefined,
  }));
}

/** Cross-field rules: unique names, identifier length, production protection, Aurora members per AZ. */
export function refineDatabases(
  env: { project: string; name: string; production: boolean; azs?: string[]; region: string; databases: DatabasesConfig },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  const azCount = env.azs?.length ?? 3;
  env.databases.forEach((db, i) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["databases", i, path], message });
    if (seen.has(db.name)) issue("name", "is used by another database of this environment: names must be unique");
    seen.add(db.name);
    const identifier = `${env.project}-${env.name}-${db.name}`;
    const p = identifierProblem(identifier);
    if (p) issue("name", `gives the RDS identifier ${JSON.stringify(identifier)}, which ${p}`);
    if (env.production && db.kind === "instance" && db.multiAz === false) {
      issue("multiAz", "must not be false in a production environment (production databases are Multi-AZ)");
    }
    if (db.kind === "aurora") {
      const members = db.instances ?? defaultAuroraMembers(env.production);
      if (env.production && members < 2) issue("instances", "must be at least 2 in a production environment (a reader in a second AZ)");
      if (members > azCount) issue("instances", `must be at most ${azCount}: one member per AZ of the environment`);
    }
  });
}
