/**
 * The CloudWatch metrics the alarm sets and the dashboard watch, one description per metric:
 * namespace, metric name and dimensions (in the order the dashboard lists them). An alarm and a
 * dashboard graph of the same metric are built from the same function here, so they cannot
 * drift apart (e.g. a dimension added to one only).
 */

/** One CloudWatch metric. */
export interface MetricDescription {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name -> value; the order is the dashboard's. */
  readonly dimensions: Readonly<Record<string, string>>;
}

const metric = (namespace: string, metricName: string, dimensions: Record<string, string>): MetricDescription => ({ namespace, metricName, dimensions });

// ---------------------------------------------------------------------------------------------
// Edge: ALB, target groups, WAF, CloudFront

/** Metrics of a whole load balancer. */
export type AlbMetricName = "RequestCount" | "HTTPCode_ELB_5XX_Count" | "HTTPCode_Target_5XX_Count" | "TargetResponseTime";

/** A load balancer's metric; `loadBalancer` is `aws_lb.arn_suffix` (`app/<name>/<id>`). */
export function albMetric(loadBalancer: string, metricName: AlbMetricName): MetricDescription {
  return metric("AWS/ApplicationELB", metricName, { LoadBalancer: loadBalancer });
}

/** A target group's metric behind a load balancer (both `arn_suffix` values). */
export function targetGroupMetric(loadBalancer: string, targetGroup: string, metricName: "UnHealthyHostCount"): MetricDescription {
  return metric("AWS/ApplicationELB", metricName, { TargetGroup: targetGroup, LoadBalancer: loadBalancer });
}

/** Where a web ACL's metrics are: the ACL's name and, for a REGIONAL ACL, its region. */
export interface WebAclMetricSource {
  readonly webAclName: string;
  /** The region of a REGIONAL ACL; omitted for CLOUDFRONT scope (metrics in us-east-1 without a Region). */
  readonly region?: string;
}

/** A web ACL rule's metric; `rule` is the rule's `visibility_config.metric_name`, or `ALL` for the whole ACL. */
export function wafMetric(acl: WebAclMetricSource, rule: string, metricName: "AllowedRequests" | "BlockedRequests" | "CountedRequests"): MetricDescription {
  return metric("AWS/WAFV2", metricName, { WebACL: acl.webAclName, ...(acl.region ? { Region: acl.region } : {}), Rule: rule });
}

/** A CloudFront distribution's metric (in us-east-1, `Region: Global`). */
export function cloudFrontMetric(distributionId: string, metricName: "Requests" | "5xxErrorRate" | "4xxErrorRate"): MetricDescription {
  return metric("AWS/CloudFront", metricName, { DistributionId: distributionId, Region: "Global" });
}

// ---------------------------------------------------------------------------------------------
// Platform: ECS and EKS

/** An ECS service's (or, without `serviceName`, the cluster's) reserved-capacity utilization. */
export function ecsMetric(clusterName: string, serviceName: string | undefined, metricName: "CPUUtilization" | "MemoryUtilization"): MetricDescription {
  return metric("AWS/ECS", metricName, { ClusterName: clusterName, ...(serviceName !== undefined ? { ServiceName: serviceName } : {}) });
}

/** An ECS service's task counts from Container Insights. */
export function ecsTaskCountMetric(clusterName: string, serviceName: string, metricName: "DesiredTaskCount" | "RunningTaskCount"): MetricDescription {
  return metric("ECS/ContainerInsights", metricName, { ClusterName: clusterName, ServiceName: serviceName });
}

/** An EKS cluster's metric from Container Insights. */
export function eksClusterMetric(clusterName: string, metricName: "cluster_node_count" | "cluster_failed_node_count" | "node_cpu_utilization" | "node_memory_utilization"): MetricDescription {
  return metric("ContainerInsights", metricName, { ClusterName: clusterName });
}

// ---------------------------------------------------------------------------------------------
// Data and network

/** Metrics of one RDS instance. */
export type RdsMetricName = "CPUUtilization" | "FreeStorageSpace" | "FreeableMemory" | "DatabaseConnections" | "ReadLatency" | "WriteLatency";

/** An RDS instance's metric (`identifier` is the DB instance identifier). */
export function rdsMetric(identifier: string, metricName: RdsMetricName): MetricDescription {
  return metric("AWS/RDS", metricName, { DBInstanceIdentifier: identifier });
}

/** A NAT gateway's metric. */
export function natGatewayMetric(natGatewayId: string, metricName: "ErrorPortAllocation" | "ActiveConnectionCount"): MetricDescription {
  return metric("AWS/NATGateway", metricName, { NatGatewayId: natGatewayId });
}

/** The EC2 status check of an auto scaling group's members (any member failing). */
export function autoScalingGroupMetric(autoScalingGroupName: string, metricName: "StatusCheckFailed"): MetricDescription {
  return metric("AWS/EC2", metricName, { AutoScalingGroupName: autoScalingGroupName });
}
