import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { Environment } from "../environments/schema";
import { Database, DatabaseKey, MonitoringRole } from "../modules/database";
import { RdsAlarms, RdsInstanceAlarmTarget } from "../modules/observability/data-alarms";
import { EnvironmentStack } from "./environment-stack";
import type { NetworkRef } from "./contracts";

export interface DataStackProps {
  /** The environment's network (subnets, `data` security group, logs key, alarm topic). */
  readonly network: NetworkRef;
}

/** What later layers (apps, observability) read about one database. */
export interface DatabaseOutputs {
  /** Writer endpoint host name. */
  readonly endpoint: string;
  /** Reader endpoint (Aurora); the writer's for an instance. */
  readonly readerEndpoint: string;
  readonly port: number;
  readonly databaseName: string;
  /** Secrets Manager secret (RDS-managed) with the master `username` and `password`. */
  readonly secretArn: string;
  /** The `data` security group the database is in. */
  readonly securityGroupId: string;
  /** Instance identifier, or cluster identifier for Aurora. */
  readonly identifier: string;
  /** Instance identifiers (one, or one per Aurora member keyed by AZ), for dashboards. */
  readonly instanceIdentifiers: Readonly<Record<string, string>>;
  /** What the RDS alarms watch, by the same keys. */
  readonly alarmTargets: Readonly<Record<string, RdsInstanceAlarmTarget>>;
}

/**
 * `<env>-data`: the environment's databases from `databases` config, their KMS key, the enhanced
 * monitoring role, and their default alarms on the network stack's alarm topic.
 * An environment without databases still gets the stack (with no resources besides the provider),
 * so adding the first database is a plan, not a new state.
 */
export class DataStack extends EnvironmentStack {
  /** Databases by config name. */
  public readonly databases: Readonly<Record<string, DatabaseOutputs>>;

  constructor(scope: Construct, env: Environment, props: DataStackProps) {
    super(scope, env, "data");
    const { network } = props;
    const databases: Record<string, DatabaseOutputs> = {};
    if (env.databases.length > 0) {
      const key = new DatabaseKey(this, "key", { namePrefix: this.namePrefix, accountId: network.accountId, partition: network.partition });
      const monitoring = new MonitoringRole(this, "monitoring", { namePrefix: this.namePrefix, accountId: network.accountId, partition: network.partition });
      const alarmTargets: Record<string, RdsInstanceAlarmTarget> = {};
      for (const cfg of env.databases) {
        const db = new Database(this, cfg.name, {
          identifier: this.name(cfg.name),
          engine: cfg.engine,
          engineVersion: cfg.version,
          kind: cfg.kind,
          instanceClass: cfg.instanceClass,
          allocatedStorageGiB: cfg.allocatedStorageGiB,
          maxAllocatedStorageGiB: cfg.maxAllocatedStorageGiB,
          databaseName: cfg.databaseName,
          masterUsername: cfg.masterUsername,
          subnetIds: network.privateSubnetIds,
          securityGroupId: network.securityGroups.dataSgId,
          kmsKeyArn: key.keyArn,
          logsKmsKeyArn: network.logsKeyArn,
          logRetentionDays: env.observability.logRetentionDays,
          backupRetentionDays: cfg.backupRetentionDays,
          backupWindow: cfg.backupWindow,
          maintenanceWindow: cfg.maintenanceWindow,
          multiAz: cfg.multiAz,
          auroraInstances: cfg.instances,
          protect: env.production,
          performanceInsights: cfg.performanceInsights,
          monitoringIntervalSeconds: 60,
          monitoringRoleArn: monitoring.roleArn,
        });
        databases[cfg.name] = {
          endpoint: db.endpoint,
          readerEndpoint: db.readerEndpoint,
          port: db.port,
          databaseName: db.databaseName,
          secretArn: db.secretArn,
          securityGroupId: db.securityGroupId,
          identifier: db.identifier,
          instanceIdentifiers: db.instanceIdentifiers,
          alarmTargets: db.alarmTargets,
        };
        for (const [member, target] of Object.entries(db.alarmTargets)) {
          alarmTargets[member === "primary" ? cfg.name : `${cfg.name}-${member}`] = target;
        }
        // For operators (`terraform output`): where to connect and which secret holds the credentials. Never the password.
        const out = cfg.name.replace(/-/g, "_");
        new TerraformOutput(this, `${out}_endpoint`, { value: db.endpoint });
        new TerraformOutput(this, `${out}_port`, { value: db.port });
        new TerraformOutput(this, `${out}_database_name`, { value: db.databaseName });
        new TerraformOutput(this, `${out}_secret_arn`, { value: db.secretArn });
      }
      new RdsAlarms(this, "alarms", {
        namePrefix: this.namePrefix,
        topicArn: network.alarmTopicArn,
        thresholds: env.observability.thresholds,
        instances: alarmTargets,
      });
    }
    this.databases = databases;
  }
}
