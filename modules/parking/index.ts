import { Construct } from "constructs";
import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";

/** When a parked group stops and starts. */
export interface ParkingSchedule {
  /** Cron (minute hour day-of-month month day-of-week) at which the group scales to zero, e.g. `0 0 * * *`. */
  readonly stop: string;
  /** Cron at which the group returns to its normal capacity, e.g. `0 7 * * MON-FRI`. */
  readonly start: string;
  /** IANA time zone of both expressions, e.g. `America/New_York`. */
  readonly timeZone: string;
}

export interface ParkingProps {
  /** Name of the auto scaling group to park. */
  readonly autoScalingGroupName: string;
  readonly schedule: ParkingSchedule;
  /** The group's normal capacity, restored at `schedule.start`. */
  readonly capacity: { readonly min: number; readonly max: number; readonly desired: number };
}

/**
 * Parks an auto scaling group: one scheduled action scales it to zero at `stop`, another restores
 * its normal capacity at `start`, both in the schedule's time zone. Used by the bastions, the ECS
 * fleet and the EKS node groups of non-production environments.
 */
export class Parking extends Construct {
  constructor(scope: Construct, id: string, props: ParkingProps) {
    super(scope, id);
    const { min, max, desired } = props.capacity;
    if (!(min >= 0 && min <= desired && desired <= max)) {
      throw new Error(`Parking: capacity must satisfy 0 <= min <= desired <= max, got min ${min}, desired ${desired}, max ${max}`);
    }
    new AutoscalingSchedule(this, "stop", {
      autoscalingGroupName: props.autoScalingGroupName,
      scheduledActionName: "park",
      recurrence: props.schedule.stop,
      timeZone: props.schedule.timeZone,
      minSize: 0,
      maxSize: 0,
      desiredCapacity: 0,
    });
    new AutoscalingSchedule(this, "start", {
      autoscalingGroupName: props.autoScalingGroupName,
      scheduledActionName: "unpark",
      recurrence: props.schedule.start,
      timeZone: props.schedule.timeZone,
      minSize: min,
      maxSize: max,
      desiredCapacity: desired,
    });
  }
}
