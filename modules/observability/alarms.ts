import { Construct } from "constructs";
import { TerraformProvider, Token } from "cdktf";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { AlarmThresholds, resolveThresholds } from "./thresholds";

/**
 * The default alarm sets, one small construct per kind of resource. Each takes the alarm topic
 * (alarm and OK actions), typed resource identifiers, and optional threshold overrides (merged
 * over DEFAULT_THRESHOLDS; pass `env.observability.thresholds`). Alarms are named
 * `<namePrefix>-<role>` and keyed by role (and by AZ, service or target group name), never by index.
 */

/** Props every alarm set takes. */
export interface AlarmSetProps {
  /** Prefix of alarm names, `<project>-<env>`. */
  readonly namePrefix: string;
  /** SNS topic for alarm and OK notifications (`NetworkStack.alarmTopicArn`). */
  readonly topicArn: string;
  /** Overrides of the default thresholds. @default DEFAULT_THRESHOLDS */
  readonly thresholds?: Partial<AlarmThresholds>;
  /** Provider (region) the alarms live in; CloudFront-scope WAF metrics are in us-east-1. @default the stack's provider */
  readonly provider?: TerraformProvider;
}

type Comparison = "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

interface AlarmSpec {
  readonly name: string;
  readonly description: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  /** Seconds per datapoint. @default 60 */
  readonly period?: number;
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** A single metric... */
  readonly metric?: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, string>;
    readonly statistic?: "Sum" | "Average" | "Maximum" | "Minimum";
    readonly extendedStatistic?: string;
  };
  /** ...or metric queries (metric math, Metrics Insights). */
  readonly queries?: CloudwatchMetricAlarmMetricQuery[];
  readonly treatMissingData: "notBreaching" | "breaching" | "missing" | "ignore";
  /** Actions besides the topic (EC2 recover/reboot). */
  readonly extraAlarmActions?: readonly string[];
}

/** Base of the alarm sets: resolves thresholds and creates alarms wired to the topic. */
export abstract class AlarmSet extends Construct {
  /** Alarm ARN by role key (e.g. `alb-5xx-rate`, `unhealthy-web`). */
  public readonly alarmArns: Record<string, string> = {};
  /** Alarm name by role key. */
  public readonly alarmNames: Record<string, string> = {};
  protected readonly thresholds: AlarmThresholds;
  private readonly common: AlarmSetProps;

  protected constructor(scope: Construct, id: string, props: AlarmSetProps) {
    super(scope, id);
    const who = this.constructor.name;
    if (!props.namePrefix) throw new Error(`${who}: namePrefix must not be empty: pass the stack's <project>-<env> prefix`);
    if (!props.topicArn) throw new Error(`${who}: topicArn must not be empty: pass NetworkStack.alarmTopicArn`);
    this.thresholds = resolveThresholds(props.thresholds, who);
    this.common = props;
  }

  protected alarm(key: string, spec: AlarmSpec): CloudwatchMetricAlarm {
    const a = new CloudwatchMetricAlarm(this, key, {
      provider: this.common.provider,
      alarmName: `${this.common.namePrefix}-${spec.name}`,
      alarmDescription: spec.description,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
      period: spec.metric ? spec.period ?? 60 : undefined,
      namespace: spec.metric?.namespace,
      metricName: spec.metric?.metricName,
      dimensions: spec.metric?.dimensions,
      statistic: spec.metric?.statistic,
      extendedStatistic: spec.metric?.extendedStatistic,
      metricQuery: spec.queries,
      treatMissingData: spec.treatMissingData,
      alarmActions: [this.common.topicArn, ...(spec.extraAlarmActions ?? [])],
      okActions: [this.common.topicArn],
    });
    this.alarmArns[key] = a.arn;
    this.alarmNames[key] = a.alarmName;
    return a;
  }
}

/** A metric in a metric-math alarm. */
function metricQuery(id: string, namespace: string, metricName: string, dimensions: Record<string, string>, stat: string, period: number): CloudwatchMetricAlarmMetricQuery {
  return { id, returnData: false, metric: { namespace, metricName, dimensions, stat, period } };
}

function checkKeys(who: string, prop: string, record: Readonly<Record<string, string>>): void {
  for (const k of Object.keys(record)) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(k)) throw new Error(`${who}: ${prop} keys become alarm names and must be lowercase letters, digits and hyphens, got ${JSON.stringify(k)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Edge: ALB and WAF

export interface AlbAlarmsProps extends AlarmSetProps {
  /** `aws_lb.arn_suffix` (`app/<name>/<id>`), the `LoadBalancer` dimension. */
  readonly loadBalancerArnSuffix: string;
  /** `aws_lb_target_group.arn_suffix` by a stable key (the service name). @default none */
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
    const tgs = props.targetGroupArnSuffixes ?? {};
    checkKeys("AlbAlarms", "targetGroupArnSuffixes", tgs);
    const t = this.thresholds;
    const lb = { LoadBalancer: props.loadBalancerArnSuffix };
    const rate = (key: string, metricName: string, threshold: number, what: string) =>
      this.alarm(key, {
        name: key,
        description: `${what} above ${threshold}% of requests over 5 minutes, twice in a row`,
        comparison: "GreaterThanThreshold",
        threshold,
        evaluationPeriods: 2,
        queries: [
          metricQuery("errors", "AWS/ApplicationELB", metricName, lb, "Sum", 300),
          metricQuery("requests", "AWS/ApplicationELB", "RequestCount", lb, "Sum", 300),
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
      metric: { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: lb, extendedStatistic: "p99" },
      treatMissingData: "notBreaching",
    });
    for (const [key, suffix] of Object.entries(tgs)) {
      this.alarm(`unhealthy-${key}`, {
        name: `unhealthy-hosts-${key}`,
        description: `Target group ${key}: at least ${t.unhealthyHosts} unhealthy target(s) for 3 minutes`,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: t.unhealthyHosts,
        evaluationPeriods: 3,
        metric: { namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", dimensions: { ...lb, TargetGroup: suffix }, statistic: "Maximum" },
        treatMissingData: "notBreaching",
      });
    }
  }
}

export interface WafAlarmsProps extends AlarmSetProps {
  /** The web ACL's name (the `WebACL` dimension). */
  readonly webAclName: string;
  /** The web ACL's region for REGIONAL scope; omit for CLOUDFRONT scope (then pass a us-east-1 `provider`). @default CloudFront scope */
  readonly region?: string;
  /** CloudWatch metric names of the ACL's rate-based rules (`visibility_config.metric_name`). @default none */
  readonly rateRuleMetricNames?: readonly string[];
}

/**
 * WAF alarms: a spike of blocked requests over the whole web ACL, and each rate-based rule
 * blocking or counting more than its threshold in 5 minutes.
 */
export class WafAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: WafAlarmsProps) {
    super(scope, id, props);
    if (!props.webAclName) throw new Error("WafAlarms: webAclName must not be empty: pass aws_wafv2_web_acl.name");
    const t = this.thresholds;
    const base: Record<string, string> = { WebACL: props.webAclName, ...(props.region ? { Region: props.region } : {}) };
    const scopeKey = props.region ? "regional" : "cloudfront";
    this.alarm("blocked", {
      name: `waf-${scopeKey}-blocked-spike`,
      description: `Web ACL ${props.webAclName}: more than ${t.wafBlockedRequests} blocked requests in 5 minutes`,
      comparison: "GreaterThanThreshold",
      threshold: t.wafBlockedRequests,
      period: 300,
      evaluationPeriods: 1,
      metric: { namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensions: { ...base, Rule: "ALL" }, statistic: "Sum" },
      treatMissingData: "notBreaching",
    });
    for (const rule of props.rateRuleMetricNames ?? []) {
      if (!Token.isUnresolved(rule) && !/^[A-Za-z0-9_-]{1,128}$/.test(rule)) {
        throw new Error(`WafAlarms: rateRuleMetricNames must be WAF metric names (letters, digits, _ and -), got ${JSON.stringify(rule)}`);
      }
      const key = rule.toLowerCase().replace(/_/g, "-");
      const dims = { ...base, Rule: rule };
      this.alarm(`rate-${key}`, {
        name: `waf-${scopeKey}-rate-${key}`,
        description: `Rate-based rule ${rule}: more than ${t.wafRateRuleRequests} requests blocked or counted in 5 minutes`,
        comparison: "GreaterThanThreshold",
        threshold: t.wafRateRuleRequests,
        evaluationPeriods: 1,
        queries: [
          metricQuery("blocked", "AWS/WAFV2", "BlockedRequests", dims, "Sum", 300),
          metricQuery("counted", "AWS/WAFV2", "CountedRequests", dims, "Sum", 300),
          { id: "total", expression: "FILL(blocked, 0) + FILL(counted, 0)", label: `${rule} requests`, returnData: true },
        ],
        treatMissingData: "notBreaching",
      });
    }
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
    checkKeys("EcsServiceAlarms", "services", props.services);
    const t = this.thresholds;
    for (const [key, serviceName] of Object.entries(props.services)) {
      const dims = { ClusterName: props.clusterName, ServiceName: serviceName };
      this.alarm(`${key}-cpu`, {
        name: `ecs-${key}-cpu`,
        description: `ECS service ${key}: average CPU above ${t.ecsCpuPercent}% for 15 minutes`,
        comparison: "GreaterThanThreshold",
        threshold: t.ecsCpuPercent,
        period: 300,
        evaluationPeriods: 3,
        metric: { namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions: dims, statistic: "Average" },
        treatMissingData: "missing",
      });
      this.alarm(`${key}-memory`, {
        name: `ecs-${key}-memory`,
        description: `ECS service ${key}: average memory above ${t.ecsMemoryPercent}% for 15 minutes`,
        comparison: "GreaterThanThreshold",
        threshold: t.ecsMemoryPercent,
        period: 300,
        evaluationPeriods: 3,
        metric: { namespace: "AWS/ECS", metricName: "MemoryUtilization", dimensions: dims, statistic: "Average" },
        treatMissingData: "missing",
      });
      this.alarm(`${key}-tasks`, {
        name: `ecs-${key}-tasks-below-desired`,
        description: `ECS service ${key}: at least ${t.ecsTasksBelowDesired} task(s) below the desired count for 10 minutes`,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: t.ecsTasksBelowDesired,
        evaluationPeriods: 10,
        queries: [
          metricQuery("desired", "ECS/ContainerInsights", "DesiredTaskCount", dims, "Average", 60),
          metricQuery("running", "ECS/ContainerInsights", "RunningTaskCount", dims, "Average", 60),
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
    const dims = { ClusterName: props.clusterName };
    this.alarm("nodes", {
      name: "eks-nodes-below-minimum",
      description: `EKS cluster: fewer than ${props.minNodes} nodes for 5 minutes`,
      comparison: "LessThanThreshold",
      threshold: props.minNodes,
      evaluationPeriods: 5,
      metric: { namespace: "ContainerInsights", metricName: "cluster_node_count", dimensions: dims, statistic: "Minimum" },
      treatMissingData: "breaching",
    });
    this.alarm("failed-nodes", {
      name: "eks-failed-nodes",
      description: "EKS cluster: at least one node with a failing node condition for 5 minutes",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 5,
      metric: { namespace: "ContainerInsights", metricName: "cluster_failed_node_count", dimensions: dims, statistic: "Maximum" },
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

// ---------------------------------------------------------------------------------------------
// Data: RDS

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
    checkKeys("RdsAlarms", "instances", Object.fromEntries(Object.keys(props.instances).map((k) => [k, k])));
    const t = this.thresholds;
    for (const [key, db] of Object.entries(props.instances)) {
      if (!(db.memoryGiB > 0)) throw new Error(`RdsAlarms: instances.${key}.memoryGiB must be above 0, got ${db.memoryGiB}`);
      if (!(db.maxConnections > 0)) throw new Error(`RdsAlarms: instances.${key}.maxConnections must be above 0, got ${db.maxConnections}`);
      const dims = { DBInstanceIdentifier: db.identifier };
      const metric = (metricName: string, statistic: "Average" | "Minimum" | "Maximum") => ({ namespace: "AWS/RDS", metricName, dimensions: dims, statistic });
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
      if (db.allocatedStorageGiB !== undefined) {
        const bytes = Math.round((db.allocatedStorageGiB * GIB * t.rdsFreeStoragePercent) / 100);
        this.alarm(`${key}-storage`, {
          name: `rds-${key}-free-storage`,
          description: `Database ${key}: free storage below ${t.rdsFreeStoragePercent}% of ${db.allocatedStorageGiB} GiB for 10 minutes`,
          comparison: "LessThanThreshold",
          threshold: bytes,
          period: 300,
          evaluationPeriods: 2,
          metric: metric("FreeStorageSpace", "Minimum"),
          treatMissingData: "missing",
        });
      }
      this.alarm(`${key}-memory`, {
        name: `rds-${key}-freeable-memory`,
        description: `Database ${key}: freeable memory below ${t.rdsFreeableMemoryPercent}% of ${db.memoryGiB} GiB for 15 minutes`,
        comparison: "LessThanThreshold",
        threshold: Math.round((db.memoryGiB * GIB * t.rdsFreeableMemoryPercent) / 100),
        period: 300,
        evaluationPeriods: 3,
        metric: metric("FreeableMemory", "Average"),
        treatMissingData: "missing",
      });
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

// ---------------------------------------------------------------------------------------------
// Network: NAT gateways, bastions, standalone instances

export interface NatGatewayAlarmsProps extends AlarmSetProps {
  /** NAT gateway ids by AZ (`Network.natGatewayIds`). */
  readonly natGatewayIds: Readonly<Record<string, string>>;
}

/** Per NAT gateway: port-allocation errors (source-port exhaustion) in 5 minutes. */
export class NatGatewayAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: NatGatewayAlarmsProps) {
    super(scope, id, props);
    checkKeys("NatGatewayAlarms", "natGatewayIds", props.natGatewayIds);
    const t = this.thresholds;
    for (const [az, natId] of Object.entries(props.natGatewayIds)) {
      this.alarm(`nat-${az}`, {
        name: `nat-${az}-port-allocation-errors`,
        description: `NAT gateway in ${az}: at least ${t.natPortAllocationErrors} port-allocation error(s) in 5 minutes (too many concurrent connections to one destination)`,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: t.natPortAllocationErrors,
        period: 300,
        evaluationPeriods: 1,
        metric: { namespace: "AWS/NATGateway", metricName: "ErrorPortAllocation", dimensions: { NatGatewayId: natId }, statistic: "Sum" },
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
 * Status-check alarms for the members of auto scaling groups (bastions). Notification only: an
 * auto scaling group replaces a member that fails its EC2 health check by itself, and the EC2
 * recover action is not available to auto scaling members.
 */
export class AutoScalingStatusAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: AutoScalingStatusAlarmsProps) {
    super(scope, id, props);
    checkKeys("AutoScalingStatusAlarms", "autoScalingGroupNames", props.autoScalingGroupNames);
    const role = props.role ?? "asg";
    if (!/^[a-z][a-z0-9-]*$/.test(role)) throw new Error(`AutoScalingStatusAlarms: role must be lowercase letters, digits and hyphens, got ${JSON.stringify(role)}`);
    const t = this.thresholds;
    for (const [key, asg] of Object.entries(props.autoScalingGroupNames)) {
      this.alarm(`${role}-${key}`, {
        name: `${role}-${key}-status-check`,
        description: `${role} ${key}: an instance failed its EC2 status checks for ${t.statusCheckMinutes} minutes (auto scaling replaces it)`,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: t.statusCheckMinutes,
        metric: { namespace: "AWS/EC2", metricName: "StatusCheckFailed", dimensions: { AutoScalingGroupName: asg }, statistic: "Maximum" },
        // A parked (scaled-to-zero) group reports nothing.
        treatMissingData: "notBreaching",
      });
    }
  }
}

export interface InstanceRecoveryAlarmsProps extends AlarmSetProps {
  /** Standalone EC2 instance ids (not in an auto scaling group) by a stable key. */
  readonly instanceIds: Readonly<Record<string, string>>;
  /** Region of the instances (in the recover/reboot action ARNs). */
  readonly region: string;
  /** AWS partition (`aws`, `aws-cn`, ...). */
  readonly partition: string;
}

/**
 * Recovery for standalone instances: a failed system status check triggers the EC2 `recover`
 * action (the instance moves to healthy hardware, keeping its id, addresses and EBS volumes;
 * only for instance types with EBS-only storage), a failed instance status check triggers
 * `reboot`. Both also notify the topic.
 */
export class InstanceRecoveryAlarms extends AlarmSet {
  constructor(scope: Construct, id: string, props: InstanceRecoveryAlarmsProps) {
    super(scope, id, props);
    checkKeys("InstanceRecoveryAlarms", "instanceIds", props.instanceIds);
    if (!props.region) throw new Error("InstanceRecoveryAlarms: region must not be empty");
    const t = this.thresholds;
    const action = (what: string) => `arn:${props.partition}:automate:${props.region}:ec2:${what}`;
    for (const [key, instanceId] of Object.entries(props.instanceIds)) {
      const check = (metricName: string, what: string, act: string) =>
        this.alarm(`${key}-${what}`, {
          name: `${key}-${what}-status-check`,
          description: `Instance ${key}: ${what} status check failed for ${t.statusCheckMinutes} minutes; EC2 ${act}s it`,
          comparison: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          evaluationPeriods: t.statusCheckMinutes,
          metric: { namespace: "AWS/EC2", metricName, dimensions: { InstanceId: instanceId }, statistic: "Maximum" },
          treatMissingData: "missing",
          extraAlarmActions: [action(act)],
        });
      check("StatusCheckFailed_System", "system", "recover");
      check("StatusCheckFailed_Instance", "instance", "reboot");
    }
  }
}
