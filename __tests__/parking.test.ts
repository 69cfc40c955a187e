import { Testing, TerraformStack } from "cdktf";
import { cronProblem } from "../environments/features/parking";
import { Parking } from "../modules/parking";
import { toAwsCron } from "../lib/cron";
import { ConfigError, validateEnvironments } from "../environments/load";
import { envInput, Json } from "./helpers";

function rejects(input: unknown): string {
  try {
    validateEnvironments([{ file: "environments/x.ts", input }]);
  } catch (e) {
    return (e as ConfigError).message;
  }
  throw new Error("expected a rejection");
}

const schedule = { stop: "0 0 * * *", start: "0 7 * * MON-FRI", timeZone: "America/New_York" };

describe("parking", () => {
  test("GIVEN a schedule THEN a park and an unpark action in the time zone", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    new Parking(stack, "parking", { autoScalingGroupName: "asg", schedule, capacity: { min: 3, max: 3, desired: 3 } });
    const actions = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_autoscaling_schedule) as Json[];
    expect(actions).toHaveLength(2);
    expect(actions.find((a) => a.scheduled_action_name === "park")).toMatchObject({ recurrence: "0 0 * * *", time_zone: "America/New_York", min_size: 0, max_size: 0, desired_capacity: 0 });
    expect(actions.find((a) => a.scheduled_action_name === "unpark")).toMatchObject({ recurrence: "0 7 * * MON-FRI", time_zone: "America/New_York", min_size: 3, max_size: 3, desired_capacity: 3 });
  });

  test("capacity must be ordered", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    expect(() => new Parking(stack, "p", { autoScalingGroupName: "asg", schedule, capacity: { min: 2, max: 1, desired: 1 } })).toThrow(
      "Parking: capacity must satisfy 0 <= min <= desired <= max, got min 2, desired 1, max 1",
    );
  });

  test.each([
    ["0 0 * * *", undefined],
    ["30 7 * * MON-FRI", undefined],
    ["*/15 8-18 1,15 JAN-DEC 0-7", undefined],
    ["0 0 * *", "must have 5 fields"],
    ["61 0 * * *", "minute field \"61\" must be within 0-59"],
    ["0 25 * * *", "hour field \"25\" must be within 0-23"],
    ["0 0 * * FUNDAY", "day-of-week field \"FUNDAY\" must be within 0-6"],
    ["0 0 * * FRI-MON", "runs backwards"],
    ["0 0/0 * * *", "bad step"],
  ])("cron %s", (expr, problem) => {
    if (problem === undefined) expect(cronProblem(expr)).toBeUndefined();
    else expect(cronProblem(expr)).toContain(problem);
  });

  test("a bad cron is rejected naming the field", () => {
    expect(rejects(envInput({ parking: { ...schedule, stop: "0 0 * *" } }))).toMatch(/environments\/x\.ts: parking\.stop: is not a valid cron expression: must have 5 fields .*\(got "0 0 \* \*"\)/);
  });

  test("an unknown time zone is rejected", () => {
    expect(rejects(envInput({ parking: { ...schedule, timeZone: "Mars/Olympus" } }))).toMatch(/parking\.timeZone: must be an IANA time zone .*\(got "Mars\/Olympus"\)/);
  });

  test("parking on production is rejected unless forced", () => {
    expect(rejects(envInput({ production: true, parking: schedule }))).toMatch(/parking: is not allowed on a production environment/);
    expect(() => validateEnvironments([{ file: "x", input: envInput({ production: true, parking: { ...schedule, force: true } }) }])).not.toThrow();
  });
});

describe("parking in AWS cron (Application Auto Scaling)", () => {
  test.each([
    ["0 0 * * *", "cron(0 0 * * ? *)"],
    ["0 7 * * MON-FRI", "cron(0 7 ? * MON-FRI *)"],
    ["30 6 * * 1-5", "cron(30 6 ? * MON-FRI *)"],
    ["0 20 * * 0,6", "cron(0 20 ? * SUN,SAT *)"],
    ["0 20 * * 7", "cron(0 20 ? * SUN *)"],
    ["0 1 15 * *", "cron(0 1 15 * ? *)"],
  ])("%s -> %s", (unix, aws) => {
    expect(toAwsCron(unix)).toBe(aws);
  });

  test("both day fields restricted is rejected in config, naming the field", () => {
    expect(() => toAwsCron("0 0 1 * MON")).toThrow(/restricts both day-of-month and day-of-week/);
    expect(rejects(envInput({ parking: { ...schedule, start: "0 7 1 * MON" } }))).toMatch(/parking\.start: restricts both day-of-month and day-of-week/);
  });
});
