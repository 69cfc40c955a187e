import { Construct } from "constructs";
import { AlarmSet, AlarmSetProps } from "./alarm-set";
import { rdsMetric, RdsMetricName } from "./metrics";

/** The data stack's alarm set: per RDS instance (alarm-set.ts has the shared parts). */

export interface RdsInstanceAlarmTarget {
  /** The DB instance identifier (the `DBInstanceIdentifier` dimension). */
  readonly identifier: string;
  /** Memory of the instance class in GiB (freeable-memory threshold). */
  readonly memoryGiB: number;
  /** The engine's default max_connections for the class (connections threshold). */
  readonly maxConnections: number;
  /** Allocated storage in GiB; omit for Aurora (storage grows by itself). @default no storage alarm */
  readonly allocatedStorageGiB?: number;
}

export interface RdsAlarmsProps extends AlarmSetProps {
  /** Instances by a stable key (the database name, or `<db>-<instance>` for Aurora members). */
  readonly instances: Readonly<Record<string, RdsInstanceAlarmTarget>>;
}

const GIB = 1024 * 1024 * 1024;

/**
 * Per RDS instance: CPU above the threshold for 15 minutes; free storage, freeable memory below a
 * percentage of what the instance has; connections above a percentage of the default
 * max_connections. Multi-AZ fails over by itself; these alarms tell people before that is needed.
 */
export class RdsAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: RdsAlarmsProps) {
    super(scope, id, props);
    const t = this.thresholds;
    for (const [key, db] of this.keyed("instances", props.instances)) {
      if (!(db.memoryGiB > 0)) throw new Error(`RdsAlarms: instances.${key}.memoryGiB must be above 0, got ${db.memoryGiB}`);
      if (!(db.maxConnections > 0)) throw new Error(`RdsAlarms: instances.${key}.maxConnections must be above 0, got ${db.maxConnections}`);
      const metric = (metricName: RdsMetricName, statistic: "Average" | "Minimum" | "Maximum") => ({ ...rdsMetric(db.identifier, metricName), statistic });
      this.alarm(`${key}-cpu`, {
        name: `rds-${key}-cpu`,
        description: `Database ${key}: average CPU above ${t.rdsCpuPercent}% for 15 minutes`,
        comparison: "GreaterThanThreshold",
        threshold: t.rdsCpuPercent,
        period: 300,
        evaluationPeriods: 3,
        metric: metric("CPUUtilization", "Average"),
        treatMissingData: "missing",
      });
      // Free storage and freeable memory: below a percentage of what the instance has, 5-minute periods.
      const below = (role: string, name: string, what: string, metricName: RdsMetricName, statistic: "Average" | "Minimum", percent: number, gib: number, periods: number) =>
        this.alarm(`${key}-${role}`, {
          name: `rds-${key}-${name}`,
          description: `Database ${key}: ${what} below ${percent}% of ${gib} GiB for ${periods * 5} minutes`,
          comparison: "LessThanThreshold",
          threshold: Math.round((gib * GIB * percent) / 100),
          period: 300,
          evaluationPeriods: periods,
          metric: metric(metricName, statistic),
          treatMissingData: "missing",
        });
      if (db.allocatedStorageGiB !== undefined) below("storage", "free-storage", "free storage", "FreeStorageSpace", "Minimum", t.rdsFreeStoragePercent, db.allocatedStorageGiB, 2);
      below("memory", "freeable-memory", "freeable memory", "FreeableMemory", "Average", t.rdsFreeableMemoryPercent, db.memoryGiB, 3);
      const connections = Math.max(1, Math.floor((db.maxConnections * t.rdsConnectionsPercent) / 100));
      this.alarm(`${key}-connections`, {
        name: `rds-${key}-connections`,
        description: `Database ${key}: more than ${connections} connections (${t.rdsConnectionsPercent}% of max_connections ${db.maxConnections}) for 10 minutes`,
        comparison: "GreaterThanThreshold",
        threshold: connections,
        period: 300,
        evaluationPeriods: 2,
        metric: metric("DatabaseConnections", "Maximum"),
        treatMissingData: "missing",
      });
    }
  }
}
