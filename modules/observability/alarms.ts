import { Construct } from "constructs";
import { Token } from "cdktf";
import { AlarmSet, AlarmSetProps, AlarmSpec, metricQuery } from "./alarm-set";
import { albMetric, ecsMetric, ecsTaskCountMetric, eksClusterMetric, MetricDescription, targetGroupMetric, wafMetric } from "./metrics";

/**
 * The alarm sets of the edge and platform stacks, one small construct per kind of resource, and
 * the specs of the two alarms that modules place next to their own resource (a web ACL's rate
 * rule, an ECS service's target group). Each set takes the alarm topic, typed resource
 * identifiers and optional threshold overrides (merged over DEFAULT_THRESHOLDS; pass
 * `env.observability.thresholds`). Alarms are named `<namePrefix>-<role>` and keyed by role (and
 * by service or target group name), never by index. Data: data-alarms.ts; network: network-alarms.ts.
 */

// ---------------------------------------------------------------------------------------------
// Shared specs

/**
 * Unhealthy targets in one target group (maximum per minute) at or above `threshold` for 3
 * minutes. `subject` starts the description (`Service web`, `Target group web`).
 */
export function unhealthyHostsAlarm(name: string, subject: string, metric: MetricDescription, threshold: number): AlarmSpec {
  return {
    name,
    description: `${subject}: at least ${threshold} unhealthy target(s) for 3 minutes`,
    comparison: "GreaterThanOrEqualToThreshold",
    threshold,
    period: 60,
    evaluationPeriods: 3,
    metric: { ...metric, statistic: "Maximum" },
    treatMissingData: "notBreaching",
  };
}

/** What a web ACL's rate-rule alarm needs. */
export interface WafRateRuleAlarmProps {
  /** The rule's name (the last part of the alarm's name). */
  readonly ruleName: string;
  readonly webAclName: string;
  /** The rule's `BlockedRequests` (block rule) or `CountedRequests` (count rule). */
  readonly metric: MetricDescription;
  /** The rule's limit per client and window, for the description. */
  readonly limit: number;
  readonly windowSeconds: number;
  /** Requests per minute (`thresholds.wafRateRuleRequests`). */
  readonly threshold: number;
}

/** A rate-based rule blocking (or counting) more than `threshold` requests in one minute. */
export function wafRateRuleAlarm(p: WafRateRuleAlarmProps): AlarmSpec {
  const what = p.metric.metricName === "CountedRequests" ? "counted" : "blocked";
  return {
    name: p.ruleName,
    description: `More than ${p.threshold} requests ${what} in a minute by rule ${p.ruleName} of WAF ${p.webAclName} (clients over ${p.limit} requests per ${p.windowSeconds} s)`,
    comparison: "GreaterThanThreshold",
    threshold: p.threshold,
    period: 60,
    evaluationPeriods: 1,
    metric: { ...p.metric, statistic: "Sum" },
    treatMissingData: "notBreaching",
  };
}

// ---------------------------------------------------------------------------------------------
// Edge: ALB and WAF

export interface AlbAlarmsProps extends AlarmSetProps {
  /** `aws_lb.arn_suffix` (`app/<name>/<id>`), the `LoadBalancer` dimension. */
  readonly loadBalancerArnSuffix: string;
  /**
   * `aws_lb_target_group.arn_suffix` by a stable key (the service name), for target groups whose
   * owner does not place the unhealthy-hosts alarm itself (EKS pod target groups). @default none
   */
  readonly targetGroupArnSuffixes?: Readonly<Record<string, string>>;
}

/**
 * ALB alarms: ELB-generated and target 5xx as a percentage of requests (5-minute windows, two in
 * a row), p99 target response time (5 minutes in a row), and unhealthy hosts per target group.
 */
export class AlbAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: AlbAlarmsProps) {
    super(scope, id, props);
    if (!props.loadBalancerArnSuffix) throw new Error("AlbAlarms: loadBalancerArnSuffix must not be empty: pass aws_lb.arn_suffix");
    const tgs = this.keyed("targetGroupArnSuffixes", props.targetGroupArnSuffixes ?? {});
    const t = this.thresholds;
    const lb = props.loadBalancerArnSuffix;
    const rate = (key: string, errors: "HTTPCode_ELB_5XX_Count" | "HTTPCode_Target_5XX_Count", threshold: number, what: string) =>
      this.alarm(key, {
        name: key,
        description: `${what} above ${threshold}% of requests over 5 minutes, twice in a row`,
        comparison: "GreaterThanThreshold",
        threshold,
        evaluationPeriods: 2,
        queries: [
          metricQuery("errors", albMetric(lb, errors), "Sum", 300),
          metricQuery("requests", albMetric(lb, "RequestCount"), "Sum", 300),
          { id: "rate", expression: "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", label: `${what} %`, returnData: true },
        ],
        treatMissingData: "notBreaching",
      });
    rate("alb-5xx-rate", "HTTPCode_ELB_5XX_Count", t.alb5xxRatePercent, "Load-balancer 5xx responses");
    rate("target-5xx-rate", "HTTPCode_Target_5XX_Count", t.target5xxRatePercent, "Target 5xx responses");
    this.alarm("target-p99", {
      name: "target-response-p99",
      description: `p99 target response time above ${t.targetResponseTimeP99Seconds} s for 5 minutes`,
      comparison: "GreaterThanThreshold",
      threshold: t.targetResponseTimeP99Seconds,
      evaluationPeriods: 5,
      metric: { ...albMetric(lb, "TargetResponseTime"), extendedStatistic: "p99" },
      treatMissingData: "notBreaching",
    });
    for (const [key, suffix] of tgs) {
      this.alarm(`unhealthy-${key}`, unhealthyHostsAlarm(`unhealthy-hosts-${key}`, `Target group ${key}`, targetGroupMetric(lb, suffix, "UnHealthyHostCount"), t.unhealthyHosts));
    }
  }
}

export interface WafAlarmsProps extends AlarmSetProps {
  /** The web ACL's name (the `WebACL` dimension). */
  readonly webAclName: string;
  /** The web ACL's region for REGIONAL scope; omit for CLOUDFRONT scope (then pass a us-east-1 `provider`). @default CloudFront scope */
  readonly region?: string;
}

/**
 * WAF alarms over the whole web ACL: a spike of blocked requests in 5 minutes. The rate rule's
 * alarm comes with the ACL (`WebAcl`, from `wafRateRuleAlarm`).
 */
export class WafAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: WafAlarmsProps) {
    super(scope, id, props);
    if (!props.webAclName) throw new Error("WafAlarms: webAclName must not be empty: pass aws_wafv2_web_acl.name");
    const t = this.thresholds;
    this.alarm("blocked", {
      name: `waf-${props.region ? "regional" : "cloudfront"}-blocked-spike`,
      description: `Web ACL ${props.webAclName}: more than ${t.wafBlockedRequests} blocked requests in 5 minutes`,
      comparison: "GreaterThanThreshold",
      threshold: t.wafBlockedRequests,
      period: 300,
      evaluationPeriods: 1,
      metric: { ...wafMetric({ webAclName: props.webAclName, region: props.region }, "ALL", "BlockedRequests"), statistic: "Sum" },
      treatMissingData: "notBreaching",
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Platform: ECS and EKS

export interface EcsServiceAlarmsProps extends AlarmSetProps {
  /** The ECS cluster's name. */
  readonly clusterName: string;
  /** ECS service names by a stable key (the Compose service name). */
  readonly services: Readonly<Record<string, string>>;
}

/**
 * Per ECS service: average CPU and memory (15 minutes) and running tasks below desired for 10
 * minutes. The last needs Container Insights on the cluster (`ECS/ContainerInsights`).
 * ECS replaces failed tasks itself; these alarms tell people when it cannot keep up.
 */
export class EcsServiceAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: EcsServiceAlarmsProps) {
    super(scope, id, props);
    if (!props.clusterName) throw new Error("EcsServiceAlarms: clusterName must not be empty: pass aws_ecs_cluster.name");
    const t = this.thresholds;
    const utilization = [
      { role: "cpu", what: "CPU", metricName: "CPUUtilization", threshold: t.ecsCpuPercent },
      { role: "memory", what: "memory", metricName: "MemoryUtilization", threshold: t.ecsMemoryPercent },
    ] as const;
    for (const [key, serviceName] of this.keyed("services", props.services)) {
      for (const u of utilization) {
        this.alarm(`${key}-${u.role}`, {
          name: `ecs-${key}-${u.role}`,
          description: `ECS service ${key}: average ${u.what} above ${u.threshold}% for 15 minutes`,
          comparison: "GreaterThanThreshold",
          threshold: u.threshold,
          period: 300,
          evaluationPeriods: 3,
          metric: { ...ecsMetric(props.clusterName, serviceName, u.metricName), statistic: "Average" },
          treatMissingData: "missing",
        });
      }
      this.alarm(`${key}-tasks`, {
        name: `ecs-${key}-tasks-below-desired`,
        description: `ECS service ${key}: at least ${t.ecsTasksBelowDesired} task(s) below the desired count for 10 minutes`,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: t.ecsTasksBelowDesired,
        evaluationPeriods: 10,
        queries: [
          metricQuery("desired", ecsTaskCountMetric(props.clusterName, serviceName, "DesiredTaskCount"), "Average", 60),
          metricQuery("running", ecsTaskCountMetric(props.clusterName, serviceName, "RunningTaskCount"), "Average", 60),
          { id: "missing", expression: "desired - running", label: "tasks below desired", returnData: true },
        ],
        treatMissingData: "missing",
      });
    }
  }
}

export interface EksClusterAlarmsProps extends AlarmSetProps {
  /** The EKS cluster's name (the `ClusterName` dimension of Container Insights). */
  readonly clusterName: string;
  /** Sum of the node groups' minimum sizes: fewer nodes than this raises the alarm. */
  readonly minNodes: number;
}

/**
 * EKS cluster alarms from Container Insights (the `amazon-cloudwatch-observability` add-on):
 * node count below the node groups' minimum for 5 minutes (no data counts as no nodes), failed
 * nodes, and container restarts summed over the cluster's pods (a Metrics Insights query).
 * Managed node groups replace unhealthy nodes; these alarms say when that is not enough.
 */
export class EksClusterAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: EksClusterAlarmsProps) {
    super(scope, id, props);
    if (!props.clusterName) throw new Error("EksClusterAlarms: clusterName must not be empty: pass aws_eks_cluster.name");
    if (!Token.isUnresolved(props.minNodes) && (!Number.isInteger(props.minNodes) || props.minNodes < 1)) {
      throw new Error(`EksClusterAlarms: minNodes must be a whole number of at least 1, got ${props.minNodes}: pass the sum of the node groups' min sizes`);
    }
    if (!Token.isUnresolved(props.clusterName) && !/^[0-9A-Za-z][A-Za-z0-9_-]*$/.test(props.clusterName)) {
      throw new Error(`EksClusterAlarms: clusterName must be an EKS cluster name, got ${JSON.stringify(props.clusterName)}`);
    }
    const t = this.thresholds;
    this.alarm("nodes", {
      name: "eks-nodes-below-minimum",
      description: `EKS cluster: fewer than ${props.minNodes} nodes for 5 minutes`,
      comparison: "LessThanThreshold",
      threshold: props.minNodes,
      evaluationPeriods: 5,
      metric: { ...eksClusterMetric(props.clusterName, "cluster_node_count"), statistic: "Minimum" },
      treatMissingData: "breaching",
    });
    this.alarm("failed-nodes", {
      name: "eks-failed-nodes",
      description: "EKS cluster: at least one node with a failing node condition for 5 minutes",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 5,
      metric: { ...eksClusterMetric(props.clusterName, "cluster_failed_node_count"), statistic: "Maximum" },
      treatMissingData: "notBreaching",
    });
    this.alarm("pod-restarts", {
      name: "eks-pod-restarts",
      description: `EKS cluster: more than ${t.eksPodRestarts} container restarts across pods in 5 minutes`,
      comparison: "GreaterThanThreshold",
      threshold: t.eksPodRestarts,
      evaluationPeriods: 1,
      queries: [
        {
          id: "restarts",
          expression: `SELECT SUM(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = '${props.clusterName}'`,
          period: 300,
          label: "container restarts",
          returnData: true,
        },
      ],
      treatMissingData: "notBreaching",
    });
  }
}
