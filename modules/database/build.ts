import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { Database, DatabaseProps } from "./index";
import { logExports } from "./engines";
import type { DatabaseSettings } from "./settings";

/** What the instance and Aurora builders share besides the settings: made once by the Database. */
export interface DatabaseBuildContext {
  readonly subnetGroupName: string;
  /** The exported log groups; the instance or cluster depends on them. */
  readonly logGroups: CloudwatchLogGroup[];
  /** Enhanced monitoring, on every instance or member. */
  readonly monitoring: { readonly monitoringInterval: number; readonly monitoringRoleArn?: string };
  /** Performance Insights, on every instance or member. */
  readonly performance: { readonly performanceInsightsEnabled: boolean; readonly performanceInsightsKmsKeyId?: string; readonly performanceInsightsRetentionPeriod?: number };
  /** `prevent_destroy` when protected. */
  readonly lifecycle?: { readonly preventDestroy: boolean };
}

/** The blocks every instance or member carries, and the lifecycle, from the settings. */
export function buildContext(props: DatabaseProps, s: DatabaseSettings, subnetGroupName: string, logGroups: CloudwatchLogGroup[]): DatabaseBuildContext {
  const interval = s.monitoringIntervalSeconds;
  return {
    subnetGroupName,
    logGroups,
    monitoring: interval > 0 ? { monitoringInterval: interval, monitoringRoleArn: props.monitoringRoleArn } : { monitoringInterval: 0 },
    performance: s.performanceInsights
      ? { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: props.kmsKeyArn, performanceInsightsRetentionPeriod: 7 }
      : { performanceInsightsEnabled: false },
    lifecycle: s.protect ? { preventDestroy: true } : undefined,
  };
}

/** What an instance or cluster builder hands back: the Database's fields that depend on the kind. */
export type BuiltDatabase = Pick<Database, "endpoint" | "readerEndpoint" | "secretArn" | "identifier" | "alarmTargets" | "instanceIdentifiers">;

/**
 * The arguments an RDS instance and an Aurora cluster take alike: the managed, KMS-encrypted master
 * secret, IAM authentication, the subnet group and `data` security group, encrypted storage, log
 * exports, backups, no major version upgrades, and protection (deletion protection and a final
 * snapshot) when asked; created after the log groups.
 */
export function commonArguments(props: DatabaseProps, s: DatabaseSettings, c: DatabaseBuildContext) {
  const protect = s.protect;
  return {
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: props.kmsKeyArn,
    iamDatabaseAuthenticationEnabled: true,
    port: s.port,
    dbSubnetGroupName: c.subnetGroupName,
    vpcSecurityGroupIds: [props.securityGroupId],
    storageEncrypted: true,
    kmsKeyId: props.kmsKeyArn,
    enabledCloudwatchLogsExports: logExports(props.engine, s.kind),
    backupRetentionPeriod: s.backupRetentionDays,
    allowMajorVersionUpgrade: false,
    copyTagsToSnapshot: true,
    deleteAutomatedBackups: !protect,
    deletionProtection: protect,
    skipFinalSnapshot: !protect,
    finalSnapshotIdentifier: protect ? `${props.identifier}-final` : undefined,
    dependsOn: c.logGroups,
    lifecycle: c.lifecycle,
  };
}
