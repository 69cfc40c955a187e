import { Construct } from "constructs";
import { AlarmSet, AlarmSetProps } from "./alarm-set";
import { autoScalingGroupMetric, natGatewayMetric } from "./metrics";

/** The network stack's alarm sets: NAT gateways and auto scaling group members (bastions, NAT instance). */

export interface NatGatewayAlarmsProps extends AlarmSetProps {
  /** NAT gateway ids by AZ (`Network.natGatewayIds`). */
  readonly natGatewayIds: Readonly<Record<string, string>>;
}

/** Per NAT gateway: port-allocation errors (source-port exhaustion) in 5 minutes. */
export class NatGatewayAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: NatGatewayAlarmsProps) {
    super(scope, id, props);
    const t = this.thresholds;
    for (const [az, natId] of this.keyed("natGatewayIds", props.natGatewayIds)) {
      this.alarm(`nat-${az}`, {
        name: `nat-${az}-port-allocation-errors`,
        description: `NAT gateway in ${az}: at least ${t.natPortAllocationErrors} port-allocation error(s) in 5 minutes (too many concurrent connections to one destination)`,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: t.natPortAllocationErrors,
        period: 300,
        evaluationPeriods: 1,
        metric: { ...natGatewayMetric(natId, "ErrorPortAllocation"), statistic: "Sum" },
        treatMissingData: "notBreaching",
      });
    }
  }
}

export interface AutoScalingStatusAlarmsProps extends AlarmSetProps {
  /** Auto scaling group names by a stable key (the AZ). */
  readonly autoScalingGroupNames: Readonly<Record<string, string>>;
  /** Role in alarm names, e.g. `bastion`. @default "asg" */
  readonly role?: string;
}

/**
 * Status-check alarms for the members of auto scaling groups (bastions, the NAT instance).
 * Notification only: an auto scaling group replaces a member that fails its EC2 health check by
 * itself (the EC2 recover action is not available to auto scaling members, and the platform has
 * no standalone instances).
 */
export class AutoScalingStatusAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: AutoScalingStatusAlarmsProps) {
    super(scope, id, props);
    const role = props.role ?? "asg";
    if (!/^[a-z][a-z0-9-]*$/.test(role)) throw new Error(`AutoScalingStatusAlarms: role must be lowercase letters, digits and hyphens, got ${JSON.stringify(role)}`);
    const t = this.thresholds;
    for (const [key, asg] of this.keyed("autoScalingGroupNames", props.autoScalingGroupNames)) {
      this.alarm(`${role}-${key}`, {
        name: `${role}-${key}-status-check`,
        description: `${role} ${key}: an instance failed its EC2 status checks for ${t.statusCheckMinutes} minutes (auto scaling replaces it)`,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: t.statusCheckMinutes,
        metric: { ...autoScalingGroupMetric(asg, "StatusCheckFailed"), statistic: "Maximum" },
        // A parked (scaled-to-zero) group reports nothing.
        treatMissingData: "notBreaching",
      });
    }
  }
}
