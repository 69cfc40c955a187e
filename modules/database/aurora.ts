import { Construct } from "constructs";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import type { RdsInstanceAlarmTarget } from "../observability/data-alarms";
import type { DatabaseProps } from "./index";
import type { BuiltDatabase, DatabaseBuildContext } from "./build";
import { commonArguments } from "./build";
import type { DatabaseSettings } from "./settings";
import { clusterParameterGroup, dbParameterGroup } from "./parameter-groups";

/**
 * An Aurora cluster, its cluster and member parameter groups, and its members (one per AZ in the
 * order of `subnetIds`, promotion tiers in that order), created in `scope` (the Database, so the
 * addresses are the database's).
 */
export function auroraCluster(scope: Construct, props: DatabaseProps, s: DatabaseSettings, c: DatabaseBuildContext): BuiltDatabase {
  const clusterParams = clusterParameterGroup(scope, props.identifier, s.family, s.parameters.cluster);
  const instanceParams = dbParameterGroup(scope, props.identifier, s.family, "-instance", " instances", s.parameters.instance);
  const cluster = new RdsCluster(scope, "cluster", {
    clusterIdentifier: props.identifier,
    engine: s.engine,
    engineVersion: props.engineVersion,
    databaseName: props.databaseName,
    masterUsername: s.username,
    dbClusterParameterGroupName: clusterParams.name,
    preferredBackupWindow: s.backupWindow,
    preferredMaintenanceWindow: s.maintenanceWindow,
    ...commonArguments(props, s, c),
  });
  const alarmTargets: Record<string, RdsInstanceAlarmTarget> = {};
  const instanceIdentifiers: Record<string, string> = {};
  s.azs.slice(0, s.members).forEach((az, i) => {
    const member = new RdsClusterInstance(scope, `member-${az}`, {
      identifier: `${props.identifier}-${az.slice(-1)}`,
      clusterIdentifier: cluster.id,
      engine: s.engine,
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      availabilityZone: az,
      dbSubnetGroupName: c.subnetGroupName,
      dbParameterGroupName: instanceParams.name,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      preferredMaintenanceWindow: s.maintenanceWindow,
      promotionTier: i,
      copyTagsToSnapshot: true,
      ...c.monitoring,
      ...c.performance,
      lifecycle: c.lifecycle,
    });
    alarmTargets[az] = { identifier: member.identifier, memoryGiB: s.memoryGiB, maxConnections: s.maxConnections };
    instanceIdentifiers[az] = member.identifier;
  });
  return {
    endpoint: cluster.endpoint,
    readerEndpoint: cluster.readerEndpoint,
    secretArn: cluster.masterUserSecret.get(0).secretArn,
    alarmTargets,
    instanceIdentifiers,
    identifier: cluster.clusterIdentifier,
  };
}
