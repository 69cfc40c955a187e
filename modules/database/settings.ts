import { Token } from "cdktf";
import type { DatabaseProps } from "./index";
import {
  backupRetentionProblem,
  backupWindowProblem,
  classProblem,
  DatabaseKind,
  databaseNameProblem,
  defaultMaxConnections,
  DbParameter,
  DEFAULT_BACKUP_WINDOW,
  DEFAULT_MAINTENANCE_WINDOW,
  identifierProblem,
  instanceClassInfo,
  maintenanceWindowProblem,
  MIN_STORAGE_GIB,
  parameterFamily,
  parameters,
  PORTS,
  rdsEngine,
  storageProblems,
  supportsPerformanceInsights,
  usernameProblem,
  versionProblem,
} from "./engines";

/** A Database's props checked and their defaults resolved: what the instance and Aurora builders read. */
export interface DatabaseSettings {
  readonly kind: DatabaseKind;
  /** Allocated storage (instance only). */
  readonly storageGiB: number;
  readonly username: string;
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  /** The AZs of `subnetIds`, in its order. */
  readonly azs: readonly string[];
  /** Aurora members, one per AZ. */
  readonly members: number;
  readonly performanceInsights: boolean;
  readonly monitoringIntervalSeconds: number;
  /** The RDS `engine` value. */
  readonly engine: string;
  /** The parameter group family, e.g. `mysql8.0`, `aurora-postgresql16`. */
  readonly family: string;
  readonly port: number;
  readonly protect: boolean;
  /** The engine's cluster-level and instance-level parameters. */
  readonly parameters: { readonly cluster: readonly DbParameter[]; readonly instance: readonly DbParameter[] };
  readonly memoryGiB: number;
  /** The engine's default `max_connections` for the class's memory (for the connections alarm). */
  readonly maxConnections: number;
}

/**
 * The Database's props checked (every problem throws, naming the identifier and the field) and
 * resolved: defaults filled in, engine, family, port and parameters looked up.
 */
export function databaseSettings(props: DatabaseProps): DatabaseSettings {
  const kind = props.kind ?? "instance";
  const fail = (msg: string): never => {
    throw new Error(`Database ${props.identifier}: ${msg}`);
  };
  const idProblem = identifierProblem(props.identifier);
  if (idProblem) fail(`identifier ${JSON.stringify(props.identifier)} ${idProblem}`);
  if (!["mysql", "postgres"].includes(props.engine)) fail(`engine must be "mysql" or "postgres", got ${JSON.stringify(props.engine)}`);
  const vProblem = versionProblem(props.engine, kind, props.engineVersion);
  if (vProblem) fail(`engineVersion ${JSON.stringify(props.engineVersion)} ${vProblem}`);
  const cProblem = classProblem(kind, props.instanceClass);
  if (cProblem) fail(`instanceClass ${JSON.stringify(props.instanceClass)} ${cProblem}`);
  const storage = props.allocatedStorageGiB ?? MIN_STORAGE_GIB[props.engine];
  for (const p of storageProblems(props.engine, kind, props)) fail(`${p.field} ${p.message}, got ${JSON.stringify(props[p.field])}`);
  const dbNameProblem = databaseNameProblem(props.engine, props.databaseName);
  if (dbNameProblem) fail(`databaseName ${JSON.stringify(props.databaseName)} ${dbNameProblem}`);
  const username = props.masterUsername ?? "dbadmin";
  const userProblem = usernameProblem(props.engine, username);
  if (userProblem) fail(`masterUsername ${JSON.stringify(username)} ${userProblem}`);
  const retention = props.backupRetentionDays;
  const retentionProblem = backupRetentionProblem(retention);
  if (retentionProblem) fail(`backupRetentionDays ${retentionProblem}, got ${retention}`);
  const backupWindow = props.backupWindow ?? DEFAULT_BACKUP_WINDOW;
  const windowProblem = backupWindowProblem(backupWindow);
  if (windowProblem) fail(`backupWindow ${windowProblem}, got ${JSON.stringify(backupWindow)}`);
  const maintenanceWindow = props.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW;
  const maintenanceProblem = maintenanceWindowProblem(maintenanceWindow);
  if (maintenanceProblem) fail(`maintenanceWindow ${maintenanceProblem}, got ${JSON.stringify(maintenanceWindow)}`);
  const azs = Object.keys(props.subnetIds);
  if (azs.length < 2) fail(`subnetIds must list private subnets in at least 2 AZs (an RDS subnet group needs 2), got ${azs.length}`);
  const members = props.auroraInstances ?? 1;
  if (kind === "aurora" && (!Number.isInteger(members) || members < 1 || members > azs.length)) {
    fail(`auroraInstances must be 1 to ${azs.length} (one per AZ), got ${members}`);
  }
  const pi = props.performanceInsights ?? supportsPerformanceInsights(props.engine, kind, props.instanceClass);
  if (pi && !supportsPerformanceInsights(props.engine, kind, props.instanceClass)) {
    fail(`performanceInsights is not available for ${props.engine} on ${props.instanceClass}: use a larger class or leave performanceInsights unset`);
  }
  const interval = props.monitoringIntervalSeconds ?? 60;
  if (![0, 1, 5, 10, 15, 30, 60].includes(interval)) fail(`monitoringIntervalSeconds must be 0, 1, 5, 10, 15, 30 or 60, got ${interval}`);
  if (interval > 0 && !props.monitoringRoleArn) fail("monitoringRoleArn is required for enhanced monitoring: pass MonitoringRole.roleArn or set monitoringIntervalSeconds to 0");
  if (!Token.isUnresolved(props.securityGroupId) && !props.securityGroupId) fail("securityGroupId must not be empty: pass the network stack's data security group");

  const info = instanceClassInfo(props.instanceClass)!;
  return {
    kind,
    storageGiB: storage,
    username,
    backupRetentionDays: retention,
    backupWindow,
    maintenanceWindow,
    azs,
    members,
    performanceInsights: pi,
    monitoringIntervalSeconds: interval,
    engine: rdsEngine(props.engine, kind),
    family: parameterFamily(props.engine, kind, props.engineVersion),
    port: PORTS[props.engine],
    protect: props.protect ?? false,
    parameters: parameters(props.engine),
    memoryGiB: info.memoryGiB,
    maxConnections: defaultMaxConnections(props.engine, info.memoryGiB),
  };
}
