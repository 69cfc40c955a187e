/*
 * Default configuration: the layers wired together in the project exactly as `npm run synth` builds it (helpers.repoProjectSynth).
 * This file reads the repository's environments/ (and services/) on purpose; module and stack
 * tests use the fixture project (helpers.fixtureProjectSynth) instead.
 */
import { Json, ofType, repoProjectSynth } from "./helpers";

/** How the layers fit together in the project as `npm run synth` builds it. */
const out = repoProjectSynth();
const dashboardBody = (env: string) => String((ofType(out.stack(`${env}-observability`), "aws_cloudwatch_dashboard")[0] as Json).dashboard_body);

describe("the layers wired together", () => {
  test("every environment has network, platform and (unless disabled) edge, apps and observability stacks", () => {
    for (const env of ["dev", "prod"]) for (const layer of ["network", "platform", "edge", "apps", "observability"]) expect(out.stacks).toContain(`${env}-${layer}`);
    for (const layer of ["network", "platform", "addons", "edge", "apps", "observability"]) expect(out.stacks).toContain(`staging-${layer}`);
    expect(out.stacks).toContain("global");
  });

  test("the dashboard reads the edge and the ECS platform through remote state", () => {
    const body = dashboardBody("dev");
    expect(body).toMatch(/cross-stack-reference-input-dev-edge\.outputs\.[^"]*arn_suffix/);
    expect(body).toMatch(/cross-stack-reference-input-dev-platform\.outputs\./);
    expect(body).toMatch(/cross-stack-reference-input-dev-apps\.outputs\./);
    expect(body).toContain("## Platform (ECS)");
  });

  test("an EKS host's dashboard shows its cluster", () => {
    expect(dashboardBody("staging")).toContain("## Platform (EKS)");
    expect(dashboardBody("staging")).toMatch(/cross-stack-reference-input-staging-platform\.outputs\./);
  });

  test("the sandbox preset: no bastions, no edge, no dashboard, a parked NAT instance, spot-only capacity", () => {
    const sandbox = out.stacks.filter((s) => s.startsWith("sandbox-demo-"));
    expect(sandbox.sort()).toEqual(["sandbox-demo-apps", "sandbox-demo-network", "sandbox-demo-platform"]);
    const net = out.stack("sandbox-demo-network");
    expect(ofType(net, "aws_autoscaling_group").map((g) => g.name)).toEqual(["harbor-sandbox-demo-nat-instance"]);
    expect(ofType(net, "aws_autoscaling_schedule")).toHaveLength(2);
    const groups = ofType(out.stack("sandbox-demo-platform"), "aws_autoscaling_group");
    const onDemand = groups.find((g) => /on-demand/.test(g.name))!;
    expect(onDemand.max_size).toBe(0);
  });
});

describe("default alarms across layers", () => {
  test("the edge alarms on ALB 5xx rates, p99 latency, WAF blocked spikes and rate rules, all to the network's topic", () => {
    const alarms = ofType(out.stack("dev-edge"), "aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      "harbor-dev-alb-5xx-rate",
      "harbor-dev-alb-rate-limit",
      "harbor-dev-cdn-rate-limit",
      "harbor-dev-target-5xx-rate",
      "harbor-dev-target-response-p99",
      "harbor-dev-waf-cloudfront-blocked-spike",
      "harbor-dev-waf-regional-blocked-spike",
    ]);
    for (const a of alarms) expect(a.alarm_actions).toEqual([expect.stringMatching(/cross-stack-reference-input-dev-network\.outputs\.[^}]*aws_sns_topic/)]);
    expect(alarms.filter((a) => a.provider === "aws.us_east_1").map((a) => a.alarm_name).sort()).toEqual(["harbor-dev-cdn-rate-limit", "harbor-dev-waf-cloudfront-blocked-spike"]);
  });
});

describe("parking reaches the services", () => {
  test("a parked ECS environment scales each service to zero and back on the parking schedule; prod does not", () => {
    const actions = ofType(out.stack("dev-apps"), "aws_appautoscaling_scheduled_action");
    expect(actions.map((a) => a.name).sort()).toEqual(["alpha-park", "alpha-unpark", "bravo-park", "bravo-unpark", "ledger-park", "ledger-unpark"]);
    const park = actions.find((a) => a.name === "alpha-park")!;
    expect(park).toMatchObject({ schedule: "cron(0 0 * * ? *)", timezone: "America/New_York", scalable_target_action: { min_capacity: "0", max_capacity: "0" } });
    expect(actions.find((a) => a.name === "alpha-unpark")).toMatchObject({ schedule: "cron(0 7 ? * MON-FRI *)" });
    expect(ofType(out.stack("prod-apps"), "aws_appautoscaling_scheduled_action")).toEqual([]);
  });
});
