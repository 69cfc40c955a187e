import { Construct } from "constructs";
import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";
import { splitCron } from "../../lib/cron";

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

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/**
 * A 5-field Unix cron (as `parking` takes it) in the 6-field form Application Auto Scaling and
 * EventBridge expect: `cron(min hour day-of-month month day-of-week year)`, with `?` in whichever
 * day field is unrestricted and day-of-week numbers (0-7, Sunday 0 or 7) written as names, since
 * AWS numbers days 1-7 from Sunday. Throws when both day fields are restricted (AWS cannot say it).
 */
export function toAwsCron(expr: string): string {
  const [minute, hour, dom, month, dow] = splitCron(expr);
  if ([minute, hour, dom, month, dow].some((f) => f === undefined)) throw new Error(`toAwsCron: ${JSON.stringify(expr)} is not a 5-field cron expression`);
  if (dom !== "*" && dow !== "*") {
    throw new Error(`toAwsCron: ${JSON.stringify(expr)} restricts both day-of-month and day-of-week, which AWS cron cannot express: restrict one of them`);
  }
  const named = dow.replace(/\d+/g, (n) => DAY_NAMES[Number(n) % 7]);
  return dow === "*" ? `cron(${minute} ${hour} ${dom} ${month} ? *)` : `cron(${minute} ${hour} ? ${month} ${named} *)`;
}
