import { Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import type { DatabaseProps } from "./index";
import type { BuiltDatabase, DatabaseBuildContext } from "./build";
import { commonArguments } from "./build";
import type { DatabaseSettings } from "./settings";
import { dbParameterGroup } from "./parameter-groups";

/**
 * A single RDS instance and its parameter group (cluster and instance parameters together),
 * created in `scope` (the Database, so the addresses are the database's): gp3 storage, encrypted,
 * the master password managed by RDS, IAM authentication, never public, Multi-AZ when asked.
 */
export function rdsInstance(scope: Construct, props: DatabaseProps, s: DatabaseSettings, c: DatabaseBuildContext): BuiltDatabase {
  const parameterGroup = dbParameterGroup(scope, props.identifier, s.family, "", "", [...s.parameters.cluster, ...s.parameters.instance]);
  const db = new DbInstance(scope, "instance", {
    identifier: props.identifier,
    engine: s.engine,
    engineVersion: props.engineVersion,
    instanceClass: props.instanceClass,
    allocatedStorage: s.storageGiB,
    maxAllocatedStorage: props.maxAllocatedStorageGiB,
    storageType: "gp3",
    dbName: props.databaseName,
    username: s.username,
    publiclyAccessible: false,
    multiAz: props.multiAz ?? false,
    parameterGroupName: parameterGroup.name,
    caCertIdentifier: "rds-ca-rsa2048-g1",
    backupWindow: s.backupWindow,
    maintenanceWindow: s.maintenanceWindow,
    autoMinorVersionUpgrade: true,
    ...c.monitoring,
    ...c.performance,
    ...commonArguments(props, s, c),
  });
  return {
    endpoint: db.address,
    readerEndpoint: db.address,
    secretArn: db.masterUserSecret.get(0).secretArn,
    alarmTargets: { primary: { identifier: db.identifier, memoryGiB: s.memoryGiB, maxConnections: s.maxConnections, allocatedStorageGiB: s.storageGiB } },
    instanceIdentifiers: { primary: db.identifier },
    identifier: db.identifier,
  };
}
