import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { MetricDescription } from "./metrics";
import { AlarmThresholds, resolveThresholds } from "./thresholds";

/**
 * What every alarm is made of: an AlarmSpec (what to watch, when it fires) turned into a
 * CloudWatch alarm by `metricAlarm`, the one place alarms are created. The alarm sets
 * (alarms.ts, data-alarms.ts, network-alarms.ts) group the specs per kind of resource; a module
 * whose alarm belongs to one resource it creates (a web ACL's rate rule, an ECS service's target
 * group) places the shared spec next to that resource with `metricAlarm`.
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

/** Where an alarm goes: its name prefix, topic and region. */
export interface AlarmTarget {
  /** Prefix of the alarm's name (`<prefix>-<spec.name>`). */
  readonly namePrefix: string;
  /** SNS topic notified on ALARM and OK. @default no actions (the alarm only shows in the console) */
  readonly topicArn?: string;
  /** Provider (region) of the alarm. @default the stack's provider */
  readonly provider?: TerraformProvider;
}

export type Comparison = "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

/** One alarm: what it watches and when it fires. */
export interface AlarmSpec {
  /** Last part of the alarm's name. */
  readonly name: string;
  readonly description: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  /** Seconds per datapoint (single-metric alarms). @default 60 */
  readonly period?: number;
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** A single metric... */
  readonly metric?: MetricDescription & {
    readonly statistic?: "Sum" | "Average" | "Maximum" | "Minimum";
    readonly extendedStatistic?: string;
  };
  /** ...or metric queries (metric math, Metrics Insights). */
  readonly queries?: CloudwatchMetricAlarmMetricQuery[];
  readonly treatMissingData: "notBreaching" | "breaching" | "missing" | "ignore";
}

/** Creates the CloudWatch alarm `spec` describes, named `<target.namePrefix>-<spec.name>`. */
export function metricAlarm(scope: Construct, id: string, target: AlarmTarget, spec: AlarmSpec): CloudwatchMetricAlarm {
  const actions = target.topicArn ? [target.topicArn] : undefined;
  return new CloudwatchMetricAlarm(scope, id, {
    provider: target.provider,
    alarmName: `${target.namePrefix}-${spec.name}`,
    alarmDescription: spec.description,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
    period: spec.metric ? spec.period ?? 60 : undefined,
    namespace: spec.metric?.namespace,
    metricName: spec.metric?.metricName,
    dimensions: spec.metric ? { ...spec.metric.dimensions } : undefined,
    statistic: spec.metric?.statistic,
    extendedStatistic: spec.metric?.extendedStatistic,
    metricQuery: spec.queries,
    treatMissingData: spec.treatMissingData,
    alarmActions: actions,
    okActions: actions,
  });
}

/** A metric in a metric-math alarm. */
export function metricQuery(id: string, m: MetricDescription, stat: string, period: number): CloudwatchMetricAlarmMetricQuery {
  return { id, returnData: false, metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, stat, period } };
}

/** Record keys become alarm names and addresses: lowercase letters, digits and hyphens only. */
function checkKeys(who: string, prop: string, keys: readonly string[]): void {
  for (const k of keys) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(k)) throw new Error(`${who}: ${prop} keys become alarm names and must be lowercase letters, digits and hyphens, got ${JSON.stringify(k)}`);
  }
}

/** Base of the alarm sets: resolves thresholds and creates alarms wired to the topic. */
export abstract class AlarmSet extends Construct {
  /** Alarm ARN by role key (e.g. `alb-5xx-rate`, `unhealthy-web`). */
  public readonly alarmArns: Record<string, string> = {};
  /** Alarm name by role key. */
  public readonly alarmNames: Record<string, string> = {};
  protected readonly thresholds: AlarmThresholds;
  private readonly target: AlarmTarget;

  protected constructor(scope: Construct, id: string, props: AlarmSetProps) {
    super(scope, id);
    const who = this.constructor.name;
    if (!props.namePrefix) throw new Error(`${who}: namePrefix must not be empty: pass the stack's <project>-<env> prefix`);
    if (!props.topicArn) throw new Error(`${who}: topicArn must not be empty: pass NetworkStack.alarmTopicArn`);
    this.thresholds = resolveThresholds(props.thresholds, who);
    this.target = { namePrefix: props.namePrefix, topicArn: props.topicArn, provider: props.provider };
  }

  /** The entries of `record` (a prop whose keys become alarm names), after checking its keys. */
  protected keyed<T>(prop: string, record: Readonly<Record<string, T>>): [string, T][] {
    checkKeys(this.constructor.name, prop, Object.keys(record));
    return Object.entries(record);
  }

  protected alarm(key: string, spec: AlarmSpec): CloudwatchMetricAlarm {
    const a = metricAlarm(this, key, this.target, spec);
    this.alarmArns[key] = a.arn;
    this.alarmNames[key] = a.alarmName;
    return a;
  }
}
