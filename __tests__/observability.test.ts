import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ConfigError, validateEnvironments } from "../environments/load";
import { AlarmTopic } from "../modules/observability/alarm-topic";
import { AlbAlarms, EcsServiceAlarms, EksClusterAlarms, WafAlarms } from "../modules/observability/alarms";
import { Dashboard } from "../modules/observability/dashboard";
import { DEFAULT_THRESHOLDS } from "../modules/observability/thresholds";
import { envInput, Json, ofType, tmpDir, fixtureProjectSynth } from "./helpers";

const out = fixtureProjectSynth();
const TOPIC = "arn:aws:sns:us-east-1:123456789012:t";

function problems(observability: unknown): string[] {
  try {
    validateEnvironments([{ file: "environments/test.ts", input: envInput({ observability } as never) }]);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split("\n");
  }
  throw new Error("expected the configuration to be rejected");
}

/** Synthesizes whatever `build` adds to a bare stack. */
function synth(build: (stack: TerraformStack) => void): Json {
  const stack = new TerraformStack(new App({ outdir: tmpDir("obs") }), "s");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Json;
}

const alarms = (stack: Json) => ofType(stack, "aws_cloudwatch_metric_alarm");
const byName = (stack: Json, name: string) => alarms(stack).find((a) => a.alarm_name === name)!;

function expectTopicActions(alarm: Json, topic: string | RegExp): void {
  expect(alarm.alarm_actions[0]).toMatch(topic);
  expect(alarm.ok_actions).toEqual([alarm.alarm_actions[0]]);
}

describe("alarm topic", () => {
  test("one encrypted topic per environment, with a CMK CloudWatch may use, TLS-only publishing", () => {
    for (const env of ["small", "guest", "host", "live"]) {
      const network = out.stack(`${env}-network`);
      const [topic] = ofType(network, "aws_sns_topic");
      expect(topic.name).toBe(`harbor-${env}-alarms`);
      expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.alarms_key_[0-9A-F]+\.arn\}$/);
      const key = Object.entries(network.resource.aws_kms_key as Record<string, Json>).find(([k]) => k.startsWith("alarms_key"))![1];
      const keyPolicy = JSON.parse(key.policy);
      expect(keyPolicy.Statement.find((s: Json) => s.Sid === "CloudWatchAlarmsPublish").Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
      const policy = JSON.parse(ofType(network, "aws_sns_topic_policy")[0].policy);
      expect(policy.Statement.find((s: Json) => s.Sid === "DenyInsecureTransport")).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    }
  });

  test("live subscribes an email address and an HTTPS endpoint; small has no subscribers", () => {
    const subs = ofType(out.stack("live-network"), "aws_sns_topic_subscription");
    expect(subs.map((s) => s.protocol).sort()).toEqual(["email", "https"]);
    expect(subs.find((s) => s.protocol === "email")?.endpoint).toBe("platform-oncall@example.com");
    expect(ofType(out.stack("small-network"), "aws_sns_topic_subscription")).toHaveLength(0);
  });

  test("the module rejects an endpoint that is neither email nor HTTPS", () => {
    expect(() => synth((s) => new AlarmTopic(s, "t", { namePrefix: "p-e", accountId: "1", partition: "aws", subscriptions: ["http://x.example.com"] }))).toThrow(
      /subscriptions must be email addresses or HTTPS URLs, got "http:\/\/x\.example\.com"/,
    );
  });
});

describe("default alarms wired in the environments", () => {
  test("NAT gateways: port-allocation errors per NAT gateway, on the topic", () => {
    const live = out.stack("live-network");
    const nat = alarms(live).filter((a) => a.metric_name === "ErrorPortAllocation");
    expect(nat.map((a) => a.alarm_name).sort()).toEqual(["a", "b", "c"].map((l) => `harbor-live-nat-us-east-1${l}-port-allocation-errors`));
    for (const a of nat) {
      expect(a).toMatchObject({ namespace: "AWS/NATGateway", statistic: "Sum", threshold: DEFAULT_THRESHOLDS.natPortAllocationErrors, comparison_operator: "GreaterThanOrEqualToThreshold" });
      expect(a.dimensions.NatGatewayId).toMatch(/aws_nat_gateway\.network_nat-us-east-1[abc]_/);
      expectTopicActions(a, /^\$\{aws_sns_topic\.alarms_topic_[0-9A-F]+\.arn\}$/);
    }
  });

  test("bastions: one status-check alarm on the bastion group (any instance failing), notification only", () => {
    const small = out.stack("small-network");
    const status = alarms(small).filter((a) => a.metric_name === "StatusCheckFailed");
    const bastion = status.filter((x) => x.alarm_name.includes("-bastion-"));
    expect(bastion).toHaveLength(1);
    expect(bastion[0].statistic).toBe("Maximum");
    for (const a of bastion) {
      expect(a.dimensions.AutoScalingGroupName).toMatch(/aws_autoscaling_group\./);
      expect(a.alarm_actions).toHaveLength(1);
      expect(a.evaluation_periods).toBe(DEFAULT_THRESHOLDS.statusCheckMinutes);
    }
  });

  test("RDS: CPU, free storage, freeable memory and connections per instance, with thresholds and the network's topic", () => {
    const small = out.stack("small-data");
    const names = alarms(small).map((a) => a.alarm_name).sort();
    expect(names).toEqual(["harbor-small-rds-app-connections", "harbor-small-rds-app-cpu", "harbor-small-rds-app-free-storage", "harbor-small-rds-app-freeable-memory"]);
    expect(byName(small, "harbor-small-rds-app-cpu")).toMatchObject({ metric_name: "CPUUtilization", threshold: 80, comparison_operator: "GreaterThanThreshold" });
    // 10% of 20 GiB; 10% of db.t4g.micro's 1 GiB; 80% of PostgreSQL's 112 connections.
    expect(byName(small, "harbor-small-rds-app-free-storage")).toMatchObject({ metric_name: "FreeStorageSpace", threshold: 2147483648, comparison_operator: "LessThanThreshold" });
    expect(byName(small, "harbor-small-rds-app-freeable-memory")).toMatchObject({ metric_name: "FreeableMemory", threshold: 107374182 });
    expect(byName(small, "harbor-small-rds-app-connections")).toMatchObject({ metric_name: "DatabaseConnections", threshold: 89 });
    for (const a of alarms(small)) {
      expect(a.dimensions.DBInstanceIdentifier).toBe("${aws_db_instance.app_instance_2F0742B8.identifier}");
      expectTopicActions(a, /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-small-network\.outputs\.cross-stack-output-aws_sns_topicalarms_topic_[0-9A-F]+arn\}$/);
    }
  });

  test("live's override (rdsCpuPercent: 75) reaches its alarms; Aurora members are watched one by one, without a storage alarm", () => {
    const live = out.stack("live-data");
    expect(byName(live, "harbor-live-rds-orders-cpu").threshold).toBe(75);
    expect(byName(live, "harbor-live-rds-app-us-east-1a-cpu").threshold).toBe(75);
    expect(alarms(live).filter((a) => a.alarm_name.startsWith("harbor-live-rds-app-")).map((a) => a.alarm_name)).not.toContain("harbor-live-rds-app-us-east-1a-free-storage");
  });
});

describe("alarm builders for the edge, ECS and EKS stacks", () => {
  test("ALB: 5xx rates as metric math, p99 latency, unhealthy hosts per target group", () => {
    const s = synth((st) => new AlbAlarms(st, "alb", { namePrefix: "h-e", topicArn: TOPIC, loadBalancerArnSuffix: "app/lb/1", targetGroupArnSuffixes: { web: "targetgroup/web/2", api: "targetgroup/api/3" } }));
    expect(alarms(s).map((a) => a.alarm_name).sort()).toEqual(["h-e-alb-5xx-rate", "h-e-target-5xx-rate", "h-e-target-response-p99", "h-e-unhealthy-hosts-api", "h-e-unhealthy-hosts-web"]);
    const rate = byName(s, "h-e-alb-5xx-rate");
    expect(rate.threshold).toBe(5);
    expect(rate.metric_query.find((q: Json) => q.id === "rate").expression).toBe("IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)");
    expect(rate.metric_query.find((q: Json) => q.id === "errors").metric).toMatchObject({ metric_name: "HTTPCode_ELB_5XX_Count", stat: "Sum", dimensions: { LoadBalancer: "app/lb/1" } });
    expect(byName(s, "h-e-target-response-p99")).toMatchObject({ extended_statistic: "p99", threshold: 2 });
    expect(byName(s, "h-e-unhealthy-hosts-web")).toMatchObject({ threshold: 1, dimensions: { TargetGroup: "targetgroup/web/2", LoadBalancer: "app/lb/1" } });
    for (const a of alarms(s)) expect(a.alarm_actions).toEqual([TOPIC]);
  });

  test("ECS: CPU, memory and tasks below desired per service; thresholds overridable", () => {
    const s = synth((st) => new EcsServiceAlarms(st, "ecs", { namePrefix: "h-e", topicArn: TOPIC, clusterName: "c", services: { web: "h-e-web" }, thresholds: { ecsCpuPercent: 70 } }));
    expect(byName(s, "h-e-ecs-web-cpu")).toMatchObject({ threshold: 70, namespace: "AWS/ECS", dimensions: { ClusterName: "c", ServiceName: "h-e-web" } });
    expect(byName(s, "h-e-ecs-web-memory").threshold).toBe(85);
    const tasks = byName(s, "h-e-ecs-web-tasks-below-desired");
    expect(tasks.metric_query.find((q: Json) => q.id === "missing").expression).toBe("desired - running");
    expect(tasks.threshold).toBe(1);
  });

  test("EKS: nodes below the minimum (missing data breaches), failed nodes, pod restarts from Container Insights", () => {
    const s = synth((st) => new EksClusterAlarms(st, "eks", { namePrefix: "h-e", topicArn: TOPIC, clusterName: "h-e", minNodes: 3 }));
    expect(byName(s, "h-e-eks-nodes-below-minimum")).toMatchObject({ metric_name: "cluster_node_count", threshold: 3, comparison_operator: "LessThanThreshold", treat_missing_data: "breaching" });
    expect(byName(s, "h-e-eks-pod-restarts").metric_query[0].expression).toMatch(/SELECT SUM\(pod_number_of_container_restarts\) FROM SCHEMA\(ContainerInsights, ClusterName, Namespace, PodName\) WHERE ClusterName = 'h-e'/);
    expect(() => synth((st) => new EksClusterAlarms(st, "eks", { namePrefix: "h-e", topicArn: TOPIC, clusterName: "h-e", minNodes: 0 }))).toThrow(/minNodes must be a whole number of at least 1, got 0/);
  });

  test("WAF: a blocked-request spike over the whole ACL; the rate rule's alarm is the ACL's own (edge.test.ts)", () => {
    const s = synth((st) => new WafAlarms(st, "waf", { namePrefix: "h-e", topicArn: TOPIC, webAclName: "acl", region: "us-east-1" }));
    expect(alarms(s)).toHaveLength(1);
    expect(byName(s, "h-e-waf-regional-blocked-spike")).toMatchObject({ threshold: 1000, namespace: "AWS/WAFV2", metric_name: "BlockedRequests", dimensions: { WebACL: "acl", Region: "us-east-1", Rule: "ALL" } });
    const cf = synth((st) => new WafAlarms(st, "waf", { namePrefix: "h-e", topicArn: TOPIC, webAclName: "acl" }));
    expect(byName(cf, "h-e-waf-cloudfront-blocked-spike").dimensions).toEqual({ WebACL: "acl", Rule: "ALL" });
  });

  test("a threshold of the wrong type given to a builder is rejected", () => {
    expect(() => synth((st) => new AlbAlarms(st, "alb", { namePrefix: "h-e", topicArn: TOPIC, loadBalancerArnSuffix: "app/lb/1", thresholds: { alb5xxRatePercent: "5" as never } }))).toThrow(
      /AlbAlarms: thresholds\.alb5xxRatePercent must be a number above 0, got "5"/,
    );
  });
});

describe("dashboard", () => {
  test("live's dashboard shows the network and data layers through cross-stack references", () => {
    const stack = out.stack("live-observability");
    const [dash] = ofType(stack, "aws_cloudwatch_dashboard");
    expect(dash.dashboard_name).toBe("harbor-live");
    const body = JSON.parse(dash.dashboard_body);
    const titles = body.widgets.map((w: Json) => w.properties.title ?? w.properties.markdown);
    expect(titles).toEqual(expect.arrayContaining(["## Network", "## Data", "Database CPU %", "NAT port-allocation errors"]));
    expect(dash.dashboard_body).toMatch(/cross-stack-reference-input-live-data\.outputs\./);
    expect(dash.dashboard_body).toMatch(/cross-stack-reference-input-live-network\.outputs\./);
  });

  test("with edge and platform inputs it gains those sections", () => {
    const s = synth((st) => new Dashboard(st, "d", { name: "h-e", region: "us-east-1", edge: { loadBalancerArnSuffix: "app/lb/1", targetGroupArnSuffixes: { web: "tg" }, distributionId: "E1" }, platform: { kind: "eks", clusterName: "h-e" } }));
    const body = JSON.parse(ofType(s, "aws_cloudwatch_dashboard")[0].dashboard_body);
    const titles = body.widgets.map((w: Json) => w.properties.title ?? w.properties.markdown);
    expect(titles).toEqual(expect.arrayContaining(["## Edge", "## Platform (EKS)", "Unhealthy hosts by target group", "CloudFront requests and error rates", "Nodes"]));
    for (const w of body.widgets) expect(w.x + w.width).toBeLessThanOrEqual(24);
  });
});

describe("one description per metric, shared by alarms and the dashboard", () => {
  test("the unhealthy-hosts alarm and the dashboard's graph watch the same namespace, metric and dimensions", () => {
    // GIVEN the same load balancer and target group given to the alarm set and the dashboard
    const edge = { loadBalancerArnSuffix: "app/lb/1", targetGroupArnSuffixes: { web: "targetgroup/web/2" } };
    const s = synth((st) => {
      new AlbAlarms(st, "alb", { namePrefix: "h-e", topicArn: TOPIC, ...edge });
      new Dashboard(st, "d", { name: "h-e", region: "us-east-1", edge });
    });
    // THEN the graph line is the alarm's metric in CloudWatch's array form
    const alarm = byName(s, "h-e-unhealthy-hosts-web");
    const body = JSON.parse(ofType(s, "aws_cloudwatch_dashboard")[0].dashboard_body);
    const [lineOfGraph] = body.widgets.find((w: Json) => w.properties.title === "Unhealthy hosts by target group").properties.metrics;
    const [namespace, metricName, ...rest] = lineOfGraph;
    const dims = Object.fromEntries(rest.slice(0, -1).reduce((pairs: string[][], v: string, i: number) => (i % 2 ? pairs : [...pairs, [v, rest[i + 1]]]), []));
    expect({ namespace, metricName, dims }).toEqual({ namespace: alarm.namespace, metricName: alarm.metric_name, dims: alarm.dimensions });
  });
});

describe("observability config validation", () => {
  test.each<[string, unknown, RegExp]>([
    ["subscription that is not an email or HTTPS URL", { alarmSubscriptions: ["http://hooks.example.com/x"] }, /observability\.alarmSubscriptions\.0: must be an email address .* or an HTTPS URL .* \(got "http:\/\/hooks\.example\.com\/x"\)/],
    ["subscription that is a bare word", { alarmSubscriptions: ["oncall"] }, /observability\.alarmSubscriptions\.0: must be an email address/],
    ["duplicate subscription", { alarmSubscriptions: ["a@example.com", "A@example.com"] }, /observability\.alarmSubscriptions\.1: is listed twice/],
    ["threshold of the wrong type", { thresholds: { rdsCpuPercent: "80" } }, /observability\.thresholds\.rdsCpuPercent: must be a percentage \(the default is 80\), not a string or other type \(got "80"\)/],
    ["percentage above 100", { thresholds: { alb5xxRatePercent: 150 } }, /observability\.thresholds\.alb5xxRatePercent: must be a percentage above 0 and at most 100 \(got 150\)/],
    ["fractional count", { thresholds: { unhealthyHosts: 1.5 } }, /observability\.thresholds\.unhealthyHosts: must be a whole number of at least 1 \(got 1\.5\)/],
    ["unknown threshold", { thresholds: { cpu: 1 } }, /observability\.thresholds\.cpu: unknown field cpu/],
    ["log retention CloudWatch does not accept", { logRetentionDays: 10 }, /observability\.logRetentionDays: must be one of the retention periods CloudWatch Logs accepts/],
  ])("%s", (_name, observability, expected) => {
    expect(problems(observability).join("\n")).toMatch(expected);
  });

  test("valid subscriptions and overrides are accepted", () => {
    const [env] = validateEnvironments([{ file: "environments/test.ts", input: envInput({ observability: { alarmSubscriptions: ["ops@example.com", "https://hooks.example.com/a"], thresholds: { rdsCpuPercent: 70 } } } as never) }]);
    expect(env.observability).toEqual({ alarmSubscriptions: ["ops@example.com", "https://hooks.example.com/a"], thresholds: { rdsCpuPercent: 70 }, logRetentionDays: 30, dashboard: true });
  });
});
