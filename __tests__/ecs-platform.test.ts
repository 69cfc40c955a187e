import { environmentSchema } from "../environments/schema";
import { isGraviton } from "../environments/features/ecs";
import { DYNAMIC_HOST_PORTS, ECS_AMI_PARAMETERS } from "../modules/ecs-fleet";
import { dataOfType, envInput, Json, ofType, validated } from "./helpers";
import { synthWithServices } from "./fixtures/services/synth";

const PARKING = { stop: "0 0 * * *", start: "0 7 * * MON-FRI", timeZone: "America/New_York" };

describe("<env>-platform on ECS", () => {
  // GIVEN an ECS environment that is parked at night, and a production one that is not
  const out = synthWithServices(
    validated(
      envInput({ name: "small", vpc: { cidr: "10.10.0.0/16" }, parking: PARKING, edge: { enabled: false } } as never),
      envInput({ name: "live", production: true, vpc: { cidr: "10.40.0.0/16" }, edge: { enabled: false }, platform: { kind: "ecs", strategy: { onDemandBase: 2, spotWeight: 1 } } } as never),
    ),
  );
  const small = out.stack("small-platform");
  const groups = (s: Json) => Object.fromEntries(ofType(s, "aws_autoscaling_group").map((g) => [g.name, g])) as Record<string, Json>;

  test("a cluster with Container Insights and logged, encrypted ECS Exec", () => {
    const [cluster] = ofType(small, "aws_ecs_cluster");
    expect(cluster.name).toBe("harbor-small-cluster");
    expect(cluster.setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
    const exec = cluster.configuration.execute_command_configuration;
    expect(exec.logging).toBe("OVERRIDE");
    expect(exec.kms_key_id).toMatch(/terraform_remote_state\.cross-stack-reference-input-small-network/);
    expect(exec.log_configuration.cloud_watch_encryption_enabled).toBe(true);
    expect(exec.log_configuration.cloud_watch_log_group_name).toMatch(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/);
    const [logs] = ofType(small, "aws_cloudwatch_log_group");
    expect(logs.kms_key_id).toMatch(/terraform_remote_state/);
    expect(logs.retention_in_days).toBeGreaterThan(0);
  });

  test("an on-demand and a spot group in the private subnets, several instance types, spot price-capacity-optimized", () => {
    const g = groups(small);
    expect(Object.keys(g).sort()).toEqual(["harbor-small-on-demand", "harbor-small-spot"]);
    const od = g["harbor-small-on-demand"].mixed_instances_policy;
    const spot = g["harbor-small-spot"].mixed_instances_policy;
    expect(od.instances_distribution).toEqual({ on_demand_allocation_strategy: "lowest-price", on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 100 });
    expect(spot.instances_distribution).toEqual({ on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: "price-capacity-optimized" });
    expect(spot.launch_template.override.length).toBeGreaterThanOrEqual(2);
    for (const group of Object.values(g)) {
      expect(group.vpc_zone_identifier).toHaveLength(3);
      for (const subnet of group.vpc_zone_identifier) expect(subnet).toMatch(/private/);
      expect(group.protect_from_scale_in).toBe(true);
      expect(group.lifecycle.ignore_changes).toEqual(["desired_capacity"]);
    }
    expect(g["harbor-small-spot"].capacity_rebalance).toBe(true);
  });

  test("capacity providers with managed scaling, termination protection and draining; the default strategy from config", () => {
    const providers = ofType(small, "aws_ecs_capacity_provider");
    expect(providers.map((p) => p.name).sort()).toEqual(["harbor-small-on-demand", "harbor-small-spot"]);
    for (const p of providers) {
      const asg = p.auto_scaling_group_provider;
      expect(asg.managed_termination_protection).toBe("ENABLED");
      expect(asg.managed_draining).toBe("ENABLED");
      expect(asg.managed_scaling).toMatchObject({ status: "ENABLED", target_capacity: 100 });
      expect(asg.auto_scaling_group_arn).toMatch(/^\$\{aws_autoscaling_group\.[\w-]+\.arn\}$/);
    }
    const strategy = (s: Json) => ofType(s, "aws_ecs_cluster_capacity_providers")[0].default_capacity_provider_strategy;
    expect(strategy(small)).toEqual([
      { base: 1, weight: 1, capacity_provider: expect.stringMatching(/ecs_on-demand_provider.*\.name\}$/) },
      { base: 0, weight: 3, capacity_provider: expect.stringMatching(/ecs_spot_provider.*\.name\}$/) },
    ]);
    expect(strategy(out.stack("live-platform")).map((s: Json) => [s.base, s.weight])).toEqual([[2, 1], [0, 1]]);
  });

  test("launch templates: ECS-optimized AL2023 AMI from SSM, IMDSv2 with hop limit 1, encrypted volumes, agent config in user data", () => {
    const [ami] = dataOfType(small, "aws_ssm_parameter");
    expect(ami.name).toBe(ECS_AMI_PARAMETERS.x86_64);
    expect(ami.name).toBe("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
    const templates = ofType(small, "aws_launch_template");
    expect(templates).toHaveLength(2);
    for (const t of templates) {
      expect(t.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\.[\w-]+\.insecure_value\}$/);
      expect(t.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" });
      expect(t.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3" });
      const userData = Buffer.from(t.user_data, "base64").toString("utf8");
      expect(userData).toContain("ECS_CLUSTER=harbor-small-cluster\n");
      expect(userData).toContain("ECS_ENABLE_SPOT_INSTANCE_DRAINING=true\n");
      expect(userData).toContain("ECS_CONTAINER_STOP_TIMEOUT=30s\n");
      expect(userData).toContain(`ECS_DYNAMIC_HOST_PORT_RANGE=${DYNAMIC_HOST_PORTS.from}-${DYNAMIC_HOST_PORTS.to}\n`);
      expect(t.vpc_security_group_ids).toEqual([expect.stringMatching(/sg_app/)]);
    }
  });

  test("the instance role has only the ECS-for-EC2 and SSM managed policies", () => {
    expect(ofType(small, "aws_iam_role")).toHaveLength(1);
    expect(JSON.parse(ofType(small, "aws_iam_role")[0].assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    expect(ofType(small, "aws_iam_role_policy")).toHaveLength(0);
    expect(ofType(small, "aws_iam_role_policy_attachment").map((a) => a.policy_arn).sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    ]);
  });

  test("the app group accepts the ALB group only, on the dynamic host-port range only", () => {
    const rules = ofType(small, "aws_vpc_security_group_ingress_rule");
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ ip_protocol: "tcp", from_port: 32768, to_port: 60999 });
    expect(rules[0].referenced_security_group_id).toMatch(/sg_alb/);
    expect(rules[0].security_group_id).toMatch(/sg_app/);
    expect(rules[0].cidr_ipv4).toBeUndefined();
  });

  test("parking: both groups of a parked environment, none in production", () => {
    const schedules = ofType(small, "aws_autoscaling_schedule");
    expect(schedules.map((s) => s.scheduled_action_name).sort()).toEqual(["park", "park", "unpark", "unpark"]);
    expect(schedules.find((s) => s.scheduled_action_name === "unpark" && /on-demand/.test(s.autoscaling_group_name))).toMatchObject({ min_size: 0, desired_capacity: 0, max_size: 4 });
    expect(ofType(out.stack("live-platform"), "aws_autoscaling_schedule")).toHaveLength(0);
  });
});

describe("platform.kind ecs config validation", () => {
  const issue = (platform: Json) => {
    const r = environmentSchema.safeParse(envInput({ platform } as never));
    expect(r.success).toBe(false);
    return r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  test.each<[string, Json, string]>([
    ["one instance type", { instanceTypes: ["m6i.large"] }, "platform.instanceTypes: must list at least 2 instance types: spot capacity needs several pools to draw from"],
    ["a malformed instance type", { instanceTypes: ["m6i.large", "huge"] }, "platform.instanceTypes.1: must be an EC2 instance type such as m6i.large"],
    ["a repeated instance type", { instanceTypes: ["m6i.large", "m6i.large"] }, "platform.instanceTypes.1: is listed twice"],
    ["an arm64 type on x86_64", { instanceTypes: ["m6i.large", "m7g.large"] }, "platform.instanceTypes.1: is arm64 (Graviton), but architecture is x86_64: every instance type must run the same AMI"],
    ["an x86 type on arm64", { architecture: "arm64", instanceTypes: ["m7g.large", "m6i.large"] }, "platform.instanceTypes.1: is x86_64, but architecture is arm64: every instance type must run the same AMI"],
    ["on-demand min > max", { onDemand: { min: 5, max: 2 } }, "platform.onDemand.min: must not exceed onDemand.max (2)"],
    ["spot min > max", { spot: { min: 3, max: 1 } }, "platform.spot.min: must not exceed spot.max (1)"],
    ["no capacity", { onDemand: { min: 0, max: 0 }, spot: { min: 0, max: 0 }, strategy: { onDemandBase: 0, spotWeight: 0 } }, "platform.onDemand.max: leaves the fleet no capacity at all: raise onDemand.max or spot.max"],
    ["both weights 0", { strategy: { onDemandWeight: 0, spotWeight: 0 } }, "platform.strategy.spotWeight: and strategy.onDemandWeight are both 0: at least one must be positive"],
    ["a base without on-demand capacity", { onDemand: { min: 0, max: 0 } }, "platform.strategy.onDemandBase: needs on-demand capacity: onDemand.max is 0"],
    ["spot weight without spot capacity", { spot: { min: 0, max: 0 } }, "platform.strategy.spotWeight: places tasks on spot, but spot.max is 0: set spotWeight to 0 or allow spot instances"],
    ["a negative group size", { spot: { min: -1, max: 2 } }, "platform.spot.min: must be 0 to 1000 (fewest spot instances)"],
    ["target capacity above 100", { targetCapacityPercent: 120 }, "platform.targetCapacityPercent: must be 1 to 100 percent"],
    ["a small volume", { volumeSizeGiB: 8 }, "platform.volumeSizeGiB: must be 30 to 1024 GiB (the ECS-optimized AMI needs 30)"],
    ["a long stop timeout", { containerStopTimeoutSeconds: 300 }, "platform.containerStopTimeoutSeconds: must be 2 to 120 seconds (spot gives a 2-minute warning)"],
    ["a bad minimum healthy percent", { deployment: { minimumHealthyPercent: 150 } }, "platform.deployment.minimumHealthyPercent: must be 0 to 100"],
    ["a bad maximum percent", { deployment: { maximumPercent: 50 } }, "platform.deployment.maximumPercent: must be 100 to 400"],
    ["a bad deregistration delay", { deployment: { deregistrationDelaySeconds: 4000 } }, "platform.deployment.deregistrationDelaySeconds: must be 0 to 3600 seconds"],
    ["an unknown field", { spott: {} }, "platform: Unrecognized key(s) in object: 'spott'"],
  ])("%s", (_what, platform, message) => {
    expect(issue({ kind: "ecs", ...platform })).toContain(message);
  });

  test("Graviton detection", () => {
    expect(["m7g.large", "c6gn.xlarge", "t4g.small", "r8g.2xlarge"].every(isGraviton)).toBe(true);
    expect(["m6i.large", "g5.xlarge", "c5n.large", "m5a.large"].some(isGraviton)).toBe(false);
  });
});
