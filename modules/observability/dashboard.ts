import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { albMetric, cloudFrontMetric, ecsMetric, ecsTaskCountMetric, eksClusterMetric, MetricDescription, natGatewayMetric, rdsMetric, RdsMetricName, targetGroupMetric, wafMetric } from "./metrics";

/** The edge's identifiers (from the edge stack). */
export interface DashboardEdgeInput {
  /** `aws_lb.arn_suffix`. */
  readonly loadBalancerArnSuffix: string;
  /** `aws_lb_target_group.arn_suffix` by service name. @default none */
  readonly targetGroupArnSuffixes?: Readonly<Record<string, string>>;
  /** CloudFront distribution id (metrics in us-east-1). @default no CloudFront widgets */
  readonly distributionId?: string;
  /** Regional web ACL name (in the environment's region). @default no WAF widget */
  readonly regionalWebAclName?: string;
}

/** The platform's identifiers (from the platform stack). */
export type DashboardPlatformInput =
  | {
      readonly kind: "ecs";
      readonly clusterName: string;
      /** ECS service names by key. @default cluster-level widgets only */
      readonly serviceNames?: Readonly<Record<string, string>>;
    }
  | { readonly kind: "eks"; readonly clusterName: string };

export interface DashboardProps {
  /** Dashboard name, `<project>-<env>`. */
  readonly name: string;
  /** The environment's region. */
  readonly region: string;
  /** Edge widgets (ALB, CloudFront, WAF). @default none */
  readonly edge?: DashboardEdgeInput;
  /** Platform widgets (ECS services or EKS nodes/pods). @default none */
  readonly platform?: DashboardPlatformInput;
  /** NAT gateway ids by AZ. @default no NAT widgets */
  readonly natGatewayIds?: Readonly<Record<string, string>>;
  /** Database instance identifiers by database name, then by member key. @default no data widgets */
  readonly databases?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

type Metric = (string | Record<string, unknown>)[];

/**
 * A graph line in CloudWatch's array form, `[namespace, name, dimension, value, ..., options]`;
 * with `sameNamespace` the namespace is written "." (the line before's).
 */
function line(m: MetricDescription, options?: Record<string, unknown>, sameNamespace = false): Metric {
  return [sameNamespace ? "." : m.namespace, m.metricName, ...Object.entries(m.dimensions).flat(), ...(options ? [options] : [])];
}

interface Widget {
  readonly type: "metric" | "text";
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

/** The widgets of one dashboard, in order: section headers and time-series graphs. */
class WidgetList {
  readonly widgets: Widget[] = [];

  /** `region`: the default region of the graphs' metrics. */
  constructor(private readonly region: string) {}

  header(text: string): void {
    this.widgets.push({ type: "text", width: 24, height: 1, properties: { markdown: `## ${text}` } });
  }

  graph(title: string, metrics: Metric[], opts: { stat?: string; region?: string; period?: number } = {}): void {
    this.widgets.push({
      type: "metric",
      width: 12,
      height: 6,
      properties: { title, view: "timeSeries", stacked: false, region: opts.region ?? this.region, stat: opts.stat ?? "Average", period: opts.period ?? 300, metrics },
    });
  }
}

/** Edge: ALB requests, 5xx and latency, unhealthy hosts per target group, CloudFront, regional WAF. */
function edgeSection(w: WidgetList, e: NonNullable<DashboardProps["edge"]>, region: string): void {
  const lb = e.loadBalancerArnSuffix;
  w.header("Edge");
  w.graph("ALB requests and 5xx", [line(albMetric(lb, "RequestCount")), line(albMetric(lb, "HTTPCode_ELB_5XX_Count"), undefined, true), line(albMetric(lb, "HTTPCode_Target_5XX_Count"), undefined, true)], { stat: "Sum" });
  w.graph("Target response time", [line(albMetric(lb, "TargetResponseTime"), { stat: "p50" }), ["...", { stat: "p99" }]]);
  const tgs = Object.entries(e.targetGroupArnSuffixes ?? {});
  if (tgs.length) w.graph("Unhealthy hosts by target group", tgs.map(([key, tg]) => line(targetGroupMetric(lb, tg, "UnHealthyHostCount"), { label: key })), { stat: "Maximum", period: 60 });
  if (e.distributionId) {
    const d = e.distributionId;
    const rate = { yAxis: "right" };
    w.graph("CloudFront requests and error rates", [line(cloudFrontMetric(d, "Requests"), { stat: "Sum" }), line(cloudFrontMetric(d, "5xxErrorRate"), rate, true), line(cloudFrontMetric(d, "4xxErrorRate"), rate, true)], { region: "us-east-1" });
  }
  if (e.regionalWebAclName) {
    const acl = { webAclName: e.regionalWebAclName, region };
    w.graph("WAF allowed and blocked", [line(wafMetric(acl, "ALL", "AllowedRequests")), line(wafMetric(acl, "ALL", "BlockedRequests"), undefined, true)], { stat: "Sum" });
  }
}

/** Platform: ECS services (or the whole cluster) or EKS nodes. */
function platformSection(w: WidgetList, p: NonNullable<DashboardProps["platform"]>): void {
  w.header(p.kind === "ecs" ? "Platform (ECS)" : "Platform (EKS)");
  if (p.kind === "ecs") {
    const services = Object.entries(p.serviceNames ?? {});
    const c = p.clusterName;
    if (services.length) {
      w.graph("Service CPU %", services.map(([k, s]) => line(ecsMetric(c, s, "CPUUtilization"), { label: k })));
      w.graph("Service memory %", services.map(([k, s]) => line(ecsMetric(c, s, "MemoryUtilization"), { label: k })));
      w.graph("Running tasks", services.map(([k, s]) => line(ecsTaskCountMetric(c, s, "RunningTaskCount"), { label: k })), { period: 60 });
    } else {
      w.graph("Cluster CPU and memory %", [line(ecsMetric(c, undefined, "CPUUtilization")), line(ecsMetric(c, undefined, "MemoryUtilization"), undefined, true)]);
    }
  } else {
    const c = p.clusterName;
    w.graph("Nodes", [line(eksClusterMetric(c, "cluster_node_count")), line(eksClusterMetric(c, "cluster_failed_node_count"), undefined, true)], { stat: "Minimum", period: 60 });
    w.graph("Node CPU and memory %", [line(eksClusterMetric(c, "node_cpu_utilization")), line(eksClusterMetric(c, "node_memory_utilization"), undefined, true)]);
  }
}

/** Network: NAT gateway port-allocation errors and connections, per AZ. */
function networkSection(w: WidgetList, natGatewayIds: Readonly<Record<string, string>>): void {
  const nats = Object.entries(natGatewayIds);
  if (nats.length) {
    w.header("Network");
    w.graph("NAT port-allocation errors", nats.map(([az, id]) => line(natGatewayMetric(id, "ErrorPortAllocation"), { label: az })), { stat: "Sum" });
    w.graph("NAT active connections", nats.map(([az, id]) => line(natGatewayMetric(id, "ActiveConnectionCount"), { label: az })), { stat: "Maximum" });
  }
}

/** Data: each database instance's CPU, connections, memory, storage and latency. */
function dataSection(w: WidgetList, databases: NonNullable<DashboardProps["databases"]>): void {
  const instances = Object.entries(databases).flatMap(([db, members]) => Object.entries(members).map(([m, id]) => ({ label: m === "primary" ? db : `${db} ${m}`, id })));
  if (instances.length) {
    w.header("Data");
    const per = (metric: RdsMetricName) => instances.map((i) => line(rdsMetric(i.id, metric), { label: i.label }));
    w.graph("Database CPU %", per("CPUUtilization"));
    w.graph("Database connections", per("DatabaseConnections"), { stat: "Maximum" });
    w.graph("Freeable memory (bytes)", per("FreeableMemory"), { stat: "Minimum" });
    w.graph("Free storage (bytes)", per("FreeStorageSpace"), { stat: "Minimum" });
    w.graph("Read and write latency (s)", [...per("ReadLatency"), ...per("WriteLatency")]);
  }
}

/** Lays widgets out left to right, top to bottom on the 24-column grid. */
function layOut(widgets: readonly Widget[]): Record<string, unknown>[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((w) => {
    if (x + w.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const out = { type: w.type, x, y, width: w.width, height: w.height, properties: w.properties };
    x += w.width;
    rowHeight = Math.max(rowHeight, w.height);
    return out;
  });
}

/**
 * One CloudWatch dashboard per environment with a section per layer: edge (ALB requests, 5xx,
 * p99 latency, unhealthy hosts, CloudFront, WAF), platform (ECS services or EKS nodes and pods),
 * network (NAT gateways) and data (each database instance's CPU, memory, connections, storage,
 * latency). Sections without inputs are left out, so the dashboard grows as layers are wired.
 */
export class Dashboard extends Construct {
  public readonly dashboardName: string;
  /** Number of widgets (for tests and sanity). */
  public readonly widgetCount: number;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(props.name)) throw new Error(`Dashboard: name must be 1-255 letters, digits, - and _, got ${JSON.stringify(props.name)}`);
    const w = new WidgetList(props.region);
    if (props.edge) edgeSection(w, props.edge, props.region);
    if (props.platform) platformSection(w, props.platform);
    if (props.natGatewayIds) networkSection(w, props.natGatewayIds);
    if (props.databases) dataSection(w, props.databases);
    new CloudwatchDashboard(this, "dashboard", { dashboardName: props.name, dashboardBody: JSON.stringify({ widgets: layOut(w.widgets) }) });
    this.dashboardName = props.name;
    this.widgetCount = w.widgets.length;
  }
}
