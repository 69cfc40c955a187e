/**
 * What the database module knows about engines, versions and instance classes: the single source
 * for config validation (environments/features/data.ts) and the construct.
 */

export type DatabaseEngine = "mysql" | "postgres";
export type DatabaseKind = "instance" | "aurora";

export const ENGINES: readonly DatabaseEngine[] = ["mysql", "postgres"];
export const KINDS: readonly DatabaseKind[] = ["instance", "aurora"];

/** Smallest gp3 storage RDS accepts for the engine (GiB); the largest is 65536 for both. */
export const MIN_STORAGE_GIB: Readonly<Record<DatabaseEngine, number>> = { mysql: 20, postgres: 20 };
export const MAX_STORAGE_GIB = 65536;

export const PORTS: Readonly<Record<DatabaseEngine, number>> = { mysql: 3306, postgres: 5432 };

interface VersionRule {
  readonly pattern: RegExp;
  readonly example: string;
  readonly family: (version: string) => string;
}

const VERSIONS: Readonly<Record<DatabaseKind, Readonly<Record<DatabaseEngine, VersionRule>>>> = {
  instance: {
    mysql: { pattern: /^8\.(0|4)(\.\d+)?$/, example: '"8.0", "8.0.40" or "8.4"', family: (v) => `mysql${v.split(".").slice(0, 2).join(".")}` },
    postgres: { pattern: /^(16|17)(\.\d+)?$/, example: '"16", "16.6" or "17"', family: (v) => `postgres${v.split(".")[0]}` },
  },
  aurora: {
    mysql: { pattern: /^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/, example: '"8.0.mysql_aurora.3.08.0" (Aurora MySQL 3)', family: () => "aurora-mysql8.0" },
    postgres: { pattern: /^(16|17)\.\d+$/, example: '"16.6" or "17.4"', family: (v) => `aurora-postgresql${v.split(".")[0]}` },
  },
};

/** Why `version` is not a supported version of the engine, or undefined when it is. */
export function versionProblem(engine: DatabaseEngine, kind: DatabaseKind, version: string): string | undefined {
  const rule = VERSIONS[kind][engine];
  if (rule.pattern.test(version)) return undefined;
  const what = engine === "mysql" ? (kind === "aurora" ? "an Aurora MySQL 3 (MySQL 8.0)" : "a MySQL 8.0 or 8.4") : kind === "aurora" ? "an Aurora PostgreSQL 16 or 17" : "a PostgreSQL 16 or 17";
  return `must be ${what} version such as ${rule.example}`;
}

/** The parameter group family of a (valid) version, e.g. `mysql8.0`, `postgres16`, `aurora-postgresql17`. */
export function parameterFamily(engine: DatabaseEngine, kind: DatabaseKind, version: string): string {
  return VERSIONS[kind][engine].family(version);
}

/** The RDS `engine` value. */
export function rdsEngine(engine: DatabaseEngine, kind: DatabaseKind): string {
  return kind === "aurora" ? (engine === "mysql" ? "aurora-mysql" : "aurora-postgresql") : engine;
}

const SIZES_GIB_PER_VCPU_CLASS: Readonly<Record<string, number>> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  "2xlarge": 32,
  "4xlarge": 64,
  "8xlarge": 128,
  "12xlarge": 192,
  "16xlarge": 256,
};

const FAMILIES: Readonly<Record<string, { readonly ratio: number; readonly burstable: boolean }>> = {
  t3: { ratio: 1, burstable: true },
  t4g: { ratio: 1, burstable: true },
  m5: { ratio: 1, burstable: false },
  m6g: { ratio: 1, burstable: false },
  m6i: { ratio: 1, burstable: false },
  m7g: { ratio: 1, burstable: false },
  r5: { ratio: 2, burstable: false },
  r6g: { ratio: 2, burstable: false },
  r6i: { ratio: 2, burstable: false },
  r7g: { ratio: 2, burstable: false },
};

export interface InstanceClassInfo {
  readonly family: string;
  readonly size: string;
  /** Memory in GiB. */
  readonly memoryGiB: number;
  readonly burstable: boolean;
}

/** What the module knows about an instance class, or undefined for one it does not support. */
export function instanceClassInfo(instanceClass: string): InstanceClassInfo | undefined {
  const m = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
  if (!m) return undefined;
  const [, family, size] = m;
  const fam = FAMILIES[family];
  const base = SIZES_GIB_PER_VCPU_CLASS[size];
  if (!fam || base === undefined) return undefined;
  // Burstable classes stop at 2xlarge; general-purpose and memory-optimized start at large.
  if (fam.burstable && base > 32) return undefined;
  if (!fam.burstable && base < 8) return undefined;
  return { family, size, memoryGiB: base * fam.ratio, burstable: fam.burstable };
}

/** Classes a kind of database supports (Aurora: memory-optimized plus t3/t4g medium and large). */
export function classProblem(kind: DatabaseKind, instanceClass: string): string | undefined {
  const info = instanceClassInfo(instanceClass);
  const known = "db.<t3|t4g>.<micro..2xlarge>, db.<m5|m6g|m6i|m7g|r5|r6g|r6i|r7g>.<large..16xlarge>";
  if (!info) return `must be an RDS instance class this module knows: ${known}`;
  if (kind === "aurora" && (info.family.startsWith("m") || (info.burstable && info.size !== "medium" && info.size !== "large"))) {
    return "must be an Aurora instance class: db.t3.medium, db.t4g.medium, db.t4g.large or a db.r5/r6g/r6i/r7g class";
  }
  return undefined;
}

/**
 * Whether Performance Insights (Database Insights) is available: not on db.t3/t4g micro and small
 * for RDS for MySQL, not on any db.t3 nor on t4g micro/small for Aurora MySQL; every class for
 * PostgreSQL (AWS "DB engine, Region, and instance class support for Database Insights").
 */
export function supportsPerformanceInsights(engine: DatabaseEngine, kind: DatabaseKind, instanceClass: string): boolean {
  const info = instanceClassInfo(instanceClass);
  if (!info || engine === "postgres") return !!info;
  if (kind === "aurora" && info.family === "t3") return false;
  return !(info.burstable && (info.size === "micro" || info.size === "small"));
}

/**
 * The engine's default max_connections for the class, from the RDS default parameter formulas
 * (MySQL: DBInstanceClassMemory/12582880; PostgreSQL: LEAST(DBInstanceClassMemory/9531392, 5000)),
 * using the full class memory (RDS subtracts a little for the OS, so the real value is a bit lower).
 */
export function defaultMaxConnections(engine: DatabaseEngine, memoryGiB: number): number {
  const bytes = memoryGiB * 1024 * 1024 * 1024;
  return engine === "mysql" ? Math.floor(bytes / 12582880) : Math.min(5000, Math.floor(bytes / 9531392));
}

/** Log types exported to CloudWatch Logs. */
export function logExports(engine: DatabaseEngine, kind: DatabaseKind): string[] {
  if (engine === "mysql") return ["error", "slowquery"];
  return kind === "aurora" ? ["postgresql"] : ["postgresql", "upgrade"];
}

export interface DbParameter {
  readonly name: string;
  readonly value: string;
  /** Static parameters apply at the next reboot. @default "immediate" */
  readonly applyMethod?: "immediate" | "pending-reboot";
}

/**
 * Parameters: MySQL speaks utf8mb4 in UTC, requires TLS and logs slow queries; PostgreSQL requires
 * TLS and logs slow statements, DDL, connections, lock waits and temp files. For Aurora, `cluster`
 * goes to the cluster parameter group and `instance` to the instances' group.
 */
export function parameters(engine: DatabaseEngine): { cluster: DbParameter[]; instance: DbParameter[] } {
  const table = engine === "mysql" ? MYSQL_PARAMETERS : POSTGRES_PARAMETERS;
  return { cluster: asParameters(table.cluster), instance: asParameters(table.instance) };
}

/** Parameter name -> value, in the order the parameter groups list them. */
type ParameterTable = { readonly cluster: Readonly<Record<string, string>>; readonly instance: Readonly<Record<string, string>> };

const MYSQL_PARAMETERS: ParameterTable = {
  cluster: {
    character_set_server: "utf8mb4",
    character_set_client: "utf8mb4",
    character_set_connection: "utf8mb4",
    character_set_database: "utf8mb4",
    character_set_results: "utf8mb4",
    collation_server: "utf8mb4_0900_ai_ci",
    collation_connection: "utf8mb4_0900_ai_ci",
    time_zone: "UTC",
    require_secure_transport: "ON",
  },
  instance: { slow_query_log: "1", long_query_time: "2", log_output: "FILE" },
};

const POSTGRES_PARAMETERS: ParameterTable = {
  cluster: { "rds.force_ssl": "1", timezone: "UTC" },
  instance: {
    log_min_duration_statement: "1000",
    log_statement: "ddl",
    log_connections: "1",
    log_disconnections: "1",
    log_lock_waits: "1",
    log_temp_files: "10240",
    log_autovacuum_min_duration: "10000",
  },
};

function asParameters(table: Readonly<Record<string, string>>): DbParameter[] {
  return Object.entries(table).map(([name, value]) => ({ name, value }));
}

/** RDS DB identifier rules: 1-63 letters, digits, hyphens; starts with a letter; no `--`, no trailing `-`. */
export function identifierProblem(identifier: string): string | undefined {
  if (identifier.length < 1 || identifier.length > 63) return `must be 1 to 63 characters (is ${identifier.length})`;
  if (!/^[a-zA-Z]/.test(identifier)) return "must start with a letter";
  if (!/^[a-zA-Z0-9-]+$/.test(identifier)) return "may contain only letters, digits and hyphens";
  if (identifier.includes("--")) return "must not contain two consecutive hyphens";
  if (identifier.endsWith("-")) return "must not end with a hyphen";
  return undefined;
}

/** Database (schema) name rules: letters, digits, underscores, starting with a letter; MySQL 64, PostgreSQL 63 characters. */
export function databaseNameProblem(engine: DatabaseEngine, name: string): string | undefined {
  const max = engine === "mysql" ? 64 : 63;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return "must start with a letter and contain only letters, digits and underscores";
  if (name.length > max) return `must be at most ${max} characters for ${engine}`;
  if (["postgres", "template0", "template1", "rdsadmin", "mysql", "sys", "information_schema", "performance_schema"].includes(name.toLowerCase())) return "is a reserved database name";
  return undefined;
}

/** Master user name rules (MySQL: up to 16 characters; PostgreSQL: 63). */
export function usernameProblem(engine: DatabaseEngine, name: string): string | undefined {
  const max = engine === "mysql" ? 16 : 63;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return "must start with a letter and contain only letters, digits and underscores";
  if (name.length > max) return `must be at most ${max} characters for ${engine}`;
  if (["rdsadmin", "rdsrepladmin", "postgres", "root", "mysql"].includes(name.toLowerCase()) || name.toLowerCase().startsWith("rds")) return "is reserved by RDS or the engine";
  return undefined;
}

const DAY = "(mon|tue|wed|thu|fri|sat|sun)";
const HHMM = "([01]\\d|2[0-3]):[0-5]\\d";
export const BACKUP_WINDOW = new RegExp(`^${HHMM}-${HHMM}$`);
export const MAINTENANCE_WINDOW = new RegExp(`^${DAY}:${HHMM}-${DAY}:${HHMM}$`);

/** Daily backup window (UTC) when none is given. */
export const DEFAULT_BACKUP_WINDOW = "03:00-04:00";
/** Weekly maintenance window (UTC) when none is given. */
export const DEFAULT_MAINTENANCE_WINDOW = "sun:04:30-sun:05:30";

/** Why `days` cannot be the automated backup retention, or undefined. */
export function backupRetentionProblem(days: number): string | undefined {
  return Number.isInteger(days) && days >= 1 && days <= 35 ? undefined : "must be 1 to 35 days (RDS limits; 0 would turn backups off)";
}

/** Why `window` cannot be the daily backup window, or undefined. */
export function backupWindowProblem(window: string): string | undefined {
  return BACKUP_WINDOW.test(window) ? undefined : "must be a UTC window hh:mm-hh:mm such as 03:00-04:00";
}

/** Why `window` cannot be the weekly maintenance window, or undefined. */
export function maintenanceWindowProblem(window: string): string | undefined {
  return MAINTENANCE_WINDOW.test(window) ? undefined : "must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:04:30-sun:05:30";
}

/** What the storage rules read. */
export interface StorageFields {
  readonly allocatedStorageGiB?: number;
  readonly maxAllocatedStorageGiB?: number;
  readonly multiAz?: boolean;
}

/**
 * The storage rules, by field: an instance's gp3 storage within the engine's bounds and its
 * autoscaling ceiling above it; Aurora takes neither (nor multiAz: its members are the standby).
 */
export function storageProblems(engine: DatabaseEngine, kind: DatabaseKind, f: StorageFields): { readonly field: keyof StorageFields; readonly message: string }[] {
  const out: { field: keyof StorageFields; message: string }[] = [];
  if (kind === "aurora") {
    for (const field of ["allocatedStorageGiB", "maxAllocatedStorageGiB", "multiAz"] as const) {
      if (f[field] !== undefined) out.push({ field, message: 'does not apply to kind "aurora" (storage grows by itself; use instances >= 2 for Multi-AZ)' });
    }
    return out;
  }
  const min = MIN_STORAGE_GIB[engine];
  const storage = f.allocatedStorageGiB ?? min;
  if (!Number.isInteger(storage) || storage < min || storage > MAX_STORAGE_GIB) {
    out.push({ field: "allocatedStorageGiB", message: `must be a whole number of GiB from ${min} (the ${engine} gp3 minimum) to ${MAX_STORAGE_GIB}` });
  }
  const max = f.maxAllocatedStorageGiB;
  if (max !== undefined && (!Number.isInteger(max) || max <= storage || max > MAX_STORAGE_GIB)) {
    out.push({ field: "maxAllocatedStorageGiB", message: `must be above allocatedStorageGiB (${storage}) and at most ${MAX_STORAGE_GIB}` });
  }
  return out;
}
