import { PRICES } from "./prices";
import { cronFieldValues, splitCron } from "../lib/cron";

/** The review's cost side: running hours of parked groups from their schedules, and the fixed monthly cost of an environment. */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---------------------------------------------------------------------------------------------
// Parking: running hours from the scheduled actions

/** A 5-field cron as a predicate over (minute, hour, weekday) of a generic week (grammar: lib/cron.ts). */
export function cronMatcher(expr: string): (minute: number, hour: number, weekday: number) => boolean {
  const [mi, ho, , , dw] = splitCron(expr);
  const m = cronFieldValues(0, mi);
  const h = cronFieldValues(1, ho);
  const d = cronFieldValues(4, dw);
  return (minute, hour, weekday) => m.has(minute) && h.has(hour) && d.has(weekday);
}

/** Fraction of a week a group is up under park (`stop`) / unpark (`start`) schedules; 1 when never parked. */
export function runningFraction(stop: string | undefined, start: string | undefined): number {
  if (!stop || !start) return 1;
  const isStop = cronMatcher(stop);
  const isStart = cronMatcher(start);
  // Two passes over the week so the state at the start of the week is the one the previous week left.
  let up = true;
  let upMinutes = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let day = 0; day < 7; day++) {
      for (let hour = 0; hour < 24; hour++) {
        for (let minute = 0; minute < 60; minute++) {
          if (isStop(minute, hour, day)) up = false;
          if (isStart(minute, hour, day)) up = true;
          if (pass === 1 && up) upMinutes++;
        }
      }
    }
  }
  return upMinutes / (7 * 24 * 60);
}

// ---------------------------------------------------------------------------------------------
// Cost estimate

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  /** Monthly cost as configured (parked groups at their running fraction). */
  readonly monthly: number;
  /** Monthly cost if nothing were parked. */
  readonly alwaysOn: number;
}

const H = PRICES.hoursPerMonth;
const money = (n: number) => Math.round(n * 100) / 100;

function refName(expr: unknown): string | undefined {
  const m = /\$\{aws_[a-z0-9_]+\.([A-Za-z0-9_-]+)\./.exec(String(expr));
  return m?.[1];
}

/** Running fraction per parked group, keyed by the group's resource name (ASG or EKS node group). */
function parkedGroups(stack: Json): Map<string, number> {
  const byGroup = new Map<string, { stop?: string; start?: string }>();
  for (const sched of Object.values((stack.resource?.aws_autoscaling_schedule ?? {}) as Record<string, Json>)) {
    const group = refName(sched.autoscaling_group_name);
    if (!group) continue;
    const entry = byGroup.get(group) ?? {};
    // The park action empties the group (max 0); the unpark action restores it.
    if (sched.max_size === 0) entry.stop = sched.recurrence;
    else entry.start = sched.recurrence;
    byGroup.set(group, entry);
  }
  return new Map([...byGroup].map(([g, s]) => [g, runningFraction(s.stop, s.start)]));
}

function ec2Price(type: string, unknown: Set<string>): number {
  const p = PRICES.ec2[type];
  if (p === undefined) unknown.add(type);
  return p ?? 0;
}

/**
 * Instances ECS managed scaling will keep in each capacity-provider group (by the group's resource
 * name) for the environment's services: tasks are spread over the default capacity provider
 * strategy (base first, then by weight), and a group needs enough instances of its first type for
 * its tasks' CPU and memory (90 % of an instance's memory is usable), within its min and max size.
 */
export function ecsCapacityNeeds(stacks: readonly Json[]): Map<string, number> {
  const needs = new Map<string, number>();
  const res = (type: string) => stacks.flatMap((s) => Object.entries((s.resource?.[type] ?? {}) as Record<string, Json>));
  const tasks = new Map(res("aws_ecs_task_definition").map(([name, td]) => [name, { cpu: Number(td.cpu ?? 0), mem: Number(td.memory ?? 0) }]));
  const demand: { cpu: number; mem: number }[] = [];
  for (const [, svc] of res("aws_ecs_service")) {
    const td = tasks.get(refName(svc.task_definition) ?? "");
    for (let i = 0; i < Number(svc.desired_count ?? 0); i++) if (td) demand.push(td);
  }
  const [, cps] = res("aws_ecs_cluster_capacity_providers")[0] ?? [];
  if (!cps || !demand.length) return needs;
  const providers = new Map(res("aws_ecs_capacity_provider").map(([name, cp]) => [name, refName(cp.auto_scaling_group_provider?.auto_scaling_group_arn)]));
  const groups = new Map(res("aws_autoscaling_group"));
  const strategy = ((cps.default_capacity_provider_strategy ?? []) as Json[]).map((s) => ({ group: providers.get(refName(s.capacity_provider) ?? ""), base: Number(s.base ?? 0), weight: Number(s.weight ?? 0) }));
  const assigned = new Map<string, { cpu: number; mem: number }>();
  const give = (group: string | undefined, t: { cpu: number; mem: number }) => {
    if (!group) return;
    const a = assigned.get(group) ?? { cpu: 0, mem: 0 };
    assigned.set(group, { cpu: a.cpu + t.cpu, mem: a.mem + t.mem });
  };
  const queue = [...demand];
  for (const s of strategy) for (let i = 0; i < s.base && queue.length; i++) give(s.group, queue.shift()!);
  const weights = strategy.filter((s) => s.weight > 0);
  const totalWeight = weights.reduce((n, s) => n + s.weight, 0);
  queue.forEach((t, i) => {
    let slot = i % totalWeight;
    const s = weights.find((w) => (slot -= w.weight) < 0);
    give(s?.group, t);
  });
  for (const [group, a] of assigned) {
    const asg = groups.get(group);
    if (!asg) continue;
    const type = asg.mixed_instances_policy?.launch_template?.override?.[0]?.instance_type as string | undefined;
    const [vcpu, mib] = (type && PRICES.specs[type]) || [2, 4096];
    const n = Math.ceil(Math.max(a.cpu / (vcpu * 1024), a.mem / (mib * 0.9)));
    needs.set(group, Math.min(Math.max(n, Number(asg.min_size ?? 0)), Number(asg.max_size ?? n)));
  }
  return needs;
}

/** Adds one cost line (skipped when both figures are 0); `alwaysOn` is the cost without parking. */
type AddLine = (item: string, quantity: string, monthly: number, alwaysOn?: number) => void;

/** The launch template of one stack that a reference expression names. */
function launchTemplates(stack: Json): (expr: unknown) => Json | undefined {
  const templates = (stack.resource?.aws_launch_template ?? {}) as Record<string, Json>;
  return (expr) => templates[refName(expr) ?? ""];
}

/** EC2 (and its EBS and public IPv4) of one stack's Auto Scaling groups, parked or not; ECS groups at least at the capacity their services need. */
function autoScalingGroupCosts(stack: Json, ecsNeeds: ReadonlyMap<string, number>, add: AddLine, unknown: Set<string>): void {
  const parked = parkedGroups(stack);
  const templateOf = launchTemplates(stack);
  for (const [name, asg] of Object.entries((stack.resource?.aws_autoscaling_group ?? {}) as Record<string, Json>)) {
    const fraction = parked.get(name) ?? 1;
    const capacity = Math.max(Number(asg.desired_capacity ?? asg.min_size ?? 0), ecsNeeds.get(name) ?? 0);
    if (!capacity) continue;
    const lt = asg.launch_template ? templateOf(asg.launch_template.id ?? asg.launch_template.name) : undefined;
    const mip = asg.mixed_instances_policy;
    let hourly = 0;
    let label = "";
    if (mip) {
      const spec = mip.launch_template?.launch_template_specification ?? {};
      const overrides = (mip.launch_template?.override ?? []) as Json[];
      const types = overrides.map((o) => o.instance_type).filter(Boolean) as string[];
      const t = types[0] ?? templateOf(spec.launch_template_id)?.instance_type;
      const dist = mip.instances_distribution ?? {};
      const base = Math.min(Number(dist.on_demand_base_capacity ?? 0), capacity);
      const pct = Number(dist.on_demand_percentage_above_base_capacity ?? 100) / 100;
      const onDemand = base + (capacity - base) * pct;
      const spot = capacity - onDemand;
      hourly = ec2Price(t, unknown) * (onDemand + spot * PRICES.spotFactor);
      label = `${capacity} x ${t} (${onDemand} on-demand, ${spot} spot)`;
      const gb = ((templateOf(spec.launch_template_id)?.block_device_mappings ?? []) as Json[]).reduce((sum, b) => sum + Number(b.ebs?.volume_size ?? 0), 0);
      if (gb) add(`EBS of ${asg.name ?? name}`, `${capacity} x ${gb} GB`, capacity * gb * PRICES.ebsGp3PerGbMonth * fraction, capacity * gb * PRICES.ebsGp3PerGbMonth);
    } else if (lt) {
      const spot = lt.instance_market_options?.market_type === "spot" || lt.instance_market_options?.[0]?.market_type === "spot";
      hourly = ec2Price(lt.instance_type, unknown) * capacity * (spot ? PRICES.spotFactor : 1);
      label = `${capacity} x ${lt.instance_type}${spot ? " spot" : ""}`;
      if (lt.network_interfaces?.some((n: Json) => n.associate_public_ip_address === "true" || n.associate_public_ip_address === true)) {
        add(`Public IPv4 of ${asg.name ?? name}`, `${capacity} x ${Math.round(H * fraction)} h`, capacity * PRICES.publicIpv4Hour * H * fraction, capacity * PRICES.publicIpv4Hour * H);
      }
      const gb = (lt.block_device_mappings ?? []).reduce((sum: number, b: Json) => sum + Number(b.ebs?.volume_size ?? 0), 0);
      if (gb) add(`EBS of ${asg.name ?? name}`, `${capacity} x ${gb} GB`, (capacity * gb * PRICES.ebsGp3PerGbMonth * fraction), capacity * gb * PRICES.ebsGp3PerGbMonth);
    } else continue;
    const parkedNote = fraction < 1 ? `, parked: up ${Math.round(fraction * 100)} % of the week` : "";
    add(`EC2 ${asg.name ?? name}`, `${label}${parkedNote}`, hourly * H * fraction, hourly * H);
  }
}

/** EC2 of one stack's EKS managed node groups, parked or not. */
function nodeGroupCosts(stack: Json, add: AddLine, unknown: Set<string>): void {
  const parked = parkedGroups(stack);
  const templateOf = launchTemplates(stack);
  for (const [name, ng] of Object.entries((stack.resource?.aws_eks_node_group ?? {}) as Record<string, Json>)) {
    const fraction = parked.get(name) ?? 1;
    const capacity = Number(ng.scaling_config?.desired_size ?? ng.scaling_config?.[0]?.desired_size ?? 0);
    const types = (ng.instance_types ?? []) as string[];
    const spot = ng.capacity_type === "SPOT";
    const t = types[0] ?? templateOf(ng.launch_template?.id)?.instance_type ?? "unknown";
    const hourly = ec2Price(t, unknown) * capacity * (spot ? PRICES.spotFactor : 1);
    add(`EKS nodes ${ng.node_group_name ?? name}`, `${capacity} x ${t}${spot ? " spot" : ""}${fraction < 1 ? `, parked: up ${Math.round(fraction * 100)} %` : ""}`, hourly * H * fraction, hourly * H);
  }
}

/** RDS instances (with storage) and Aurora instances. */
function databaseCosts(all: (type: string) => [string, Json][], add: AddLine, unknown: Set<string>): void {
  for (const [, db] of all("aws_db_instance")) {
    const cls = String(db.instance_class);
    const p = PRICES.rds[cls];
    if (p === undefined) unknown.add(cls);
    const azs = db.multi_az ? 2 : 1;
    add(`RDS ${db.identifier ?? ""} ${db.engine}${db.multi_az ? " Multi-AZ" : ""}`, `${azs} x ${cls}`, (p ?? 0) * azs * H);
    const gb = Number(db.allocated_storage ?? 0);
    if (gb) add(`RDS storage ${db.identifier ?? ""}`, `${azs} x ${gb} GB`, gb * azs * PRICES.rdsStoragePerGbMonth);
  }
  for (const [, inst] of all("aws_rds_cluster_instance")) {
    const cls = String(inst.instance_class);
    const p = PRICES.aurora[cls];
    if (p === undefined) unknown.add(cls);
    add(`Aurora instance ${inst.identifier ?? ""}`, `1 x ${cls}`, (p ?? 0) * H);
  }
}

/** Fixed monthly cost of one environment's stacks, line by line. */
export function estimateCost(stacks: readonly Json[]): { lines: CostLine[]; unknownPrices: string[] } {
  const lines: CostLine[] = [];
  const unknown = new Set<string>();
  const add = (item: string, quantity: string, monthly: number, alwaysOn = monthly) => {
    if (monthly > 0 || alwaysOn > 0) lines.push({ item, quantity, monthly: money(monthly), alwaysOn: money(alwaysOn) });
  };
  const all = (type: string) => stacks.flatMap((s) => Object.entries((s.resource?.[type] ?? {}) as Record<string, Json>));
  const count = (type: string) => all(type).length;

  add("NAT gateways", `${count("aws_nat_gateway")} x ${H} h`, count("aws_nat_gateway") * PRICES.natGatewayHour * H);
  add("Elastic IPs (public IPv4)", `${count("aws_eip")} x ${H} h`, count("aws_eip") * PRICES.publicIpv4Hour * H);
  add("Application Load Balancers", `${count("aws_lb")} x ${H} h`, count("aws_lb") * PRICES.albHour * H);
  add("EKS control planes", `${count("aws_eks_cluster")} x ${H} h`, count("aws_eks_cluster") * PRICES.eksClusterHour * H);

  const ecsNeeds = ecsCapacityNeeds(stacks);
  for (const stack of stacks) {
    autoScalingGroupCosts(stack, ecsNeeds, add, unknown);
    nodeGroupCosts(stack, add, unknown);
  }

  databaseCosts(all, add, unknown);

  const acls = all("aws_wafv2_web_acl");
  const rules = acls.reduce((n, [, acl]) => n + ((acl.rule ?? []) as unknown[]).length, 0);
  add("WAF web ACLs and rules", `${acls.length} ACLs, ${rules} rules`, acls.length * PRICES.wafWebAclMonth + rules * PRICES.wafRuleMonth);
  if (count("aws_cloudfront_distribution")) add("CloudFront distributions", `${count("aws_cloudfront_distribution")} (no base fee; requests and traffic excluded)`, PRICES.cloudFrontBaseMonth);
  add("KMS keys", `${count("aws_kms_key")}`, count("aws_kms_key") * PRICES.kmsKeyMonth);
  add("Secrets Manager secrets", `${count("aws_secretsmanager_secret")}`, count("aws_secretsmanager_secret") * PRICES.secretMonth);
  add("Route 53 hosted zones", `${count("aws_route53_zone")}`, count("aws_route53_zone") * PRICES.route53ZoneMonth);
  add("Route 53 health checks", `${count("aws_route53_health_check")}`, count("aws_route53_health_check") * PRICES.route53HealthCheckMonth);
  add("CloudWatch alarms", `${count("aws_cloudwatch_metric_alarm")}`, count("aws_cloudwatch_metric_alarm") * PRICES.cloudWatchAlarmMonth);
  add("CloudWatch dashboards", `${count("aws_cloudwatch_dashboard")}`, count("aws_cloudwatch_dashboard") * PRICES.cloudWatchDashboardMonth);
  return { lines, unknownPrices: [...unknown].sort() };
}

export function total(lines: readonly CostLine[], key: "monthly" | "alwaysOn"): number {
  return money(lines.reduce((s, l) => s + l[key], 0));
}
