import { dataOfType, envInput, ofType, resources, synthAll, validated, fixtureProjectSynth } from "./helpers";

describe("network stacks of the fixture project's environments", () => {
  const out = fixtureProjectSynth();

  test.each(["small", "guest", "host", "live"])("%s: exactly 6 subnets over 3 AZs, 3 public and 3 private", (env) => {
    const subnets = ofType(out.stack(`${env}-network`), "aws_subnet");
    expect(subnets).toHaveLength(6);
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(new Set(["us-east-1a", "us-east-1b", "us-east-1c"]));
    expect(subnets.filter((s) => s.tags.Tier === "public")).toHaveLength(3);
    expect(subnets.filter((s) => s.tags.Tier === "private")).toHaveLength(3);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
  });

  test("live has a NAT gateway per AZ, each private route table uses its own AZ's NAT", () => {
    const live = out.stack("live-network");
    expect(ofType(live, "aws_nat_gateway")).toHaveLength(3);
    expect(ofType(live, "aws_eip")).toHaveLength(3);
    const routes = [...resources(live).entries()].filter(([k]) => k.startsWith("aws_route.network_private-default-"));
    expect(routes).toHaveLength(3);
    for (const [key, route] of routes) {
      const az = /private-default-(us-east-1[a-f])/.exec(key)![1];
      expect(route.nat_gateway_id).toMatch(new RegExp(`aws_nat_gateway\\.network_nat-${az}_`));
      expect(route.route_table_id).toMatch(new RegExp(`aws_route_table\\.network_private-rt-${az}_`));
    }
  });

  test("small has one NAT gateway that every private route table uses", () => {
    const small = out.stack("small-network");
    expect(ofType(small, "aws_nat_gateway")).toHaveLength(1);
    const routes = ofType(small, "aws_route").filter((r) => r.nat_gateway_id);
    expect(routes).toHaveLength(3);
    expect(new Set(routes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  test("VPC has DNS support and hostnames; public subnets route to the internet gateway", () => {
    const small = out.stack("small-network");
    const [vpc] = ofType(small, "aws_vpc");
    expect(vpc).toMatchObject({ cidr_block: "10.10.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    const publicRoute = ofType(small, "aws_route").find((r) => r.gateway_id);
    expect(publicRoute?.gateway_id).toMatch(/^\$\{aws_internet_gateway\./);
    expect(ofType(small, "aws_route_table")).toHaveLength(4);
  });

  test("the default security group is managed with no rules", () => {
    const [sg] = ofType(out.stack("guest-network"), "aws_default_security_group");
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
  });

  test("S3 and DynamoDB gateway endpoints on every private route table", () => {
    const endpoints = ofType(out.stack("small-network"), "aws_vpc_endpoint");
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(["com.amazonaws.us-east-1.dynamodb", "com.amazonaws.us-east-1.s3"]);
    for (const e of endpoints) {
      expect(e.vpc_endpoint_type).toBe("Gateway");
      expect(e.route_table_ids).toHaveLength(3);
      expect(e.route_table_ids.every((id: string) => id.includes("private-rt"))).toBe(true);
    }
  });

  test("CloudWatch flow logs: KMS-encrypted group with retention and a least-privilege role", () => {
    const small = out.stack("small-network");
    const [group] = ofType(small, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/vpc-flow-logs/harbor-small", retention_in_days: 14 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\./);
    const [flow] = ofType(small, "aws_flow_log");
    expect(flow).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    const policy = JSON.parse(ofType(small, "aws_iam_role_policy")[0].policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
    expect(JSON.stringify(policy)).not.toContain('"*"');
    const [key] = ofType(small, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
  });

  test("S3 flow logs (live): locked-down bucket with expiry and prevent_destroy", () => {
    const live = out.stack("live-network");
    const [flow] = ofType(live, "aws_flow_log");
    expect(flow.log_destination_type).toBe("s3");
    const [bucket] = ofType(live, "aws_s3_bucket");
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
    expect(ofType(live, "aws_s3_bucket_public_access_block")[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(ofType(live, "aws_s3_bucket_lifecycle_configuration")[0].rule[0].expiration).toEqual([{ days: 365 }]);
    const policy = JSON.parse(ofType(live, "aws_s3_bucket_policy")[0].policy);
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === "DenyInsecureTransport").Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
    expect(ofType(live, "aws_s3_bucket_server_side_encryption_configuration")[0].rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
  });

  test("provider default_tags carry Project, Environment, Owner, Purpose and CostCenter", () => {
    const tags = out.stack("host-network").provider.aws[0].default_tags[0].tags;
    expect(tags).toMatchObject({ Project: "harbor", Environment: "host", Owner: "platform-team", Purpose: "staging", CostCenter: "cc-1003" });
  });

  test("the CloudFront origin-facing prefix list is looked up by name", () => {
    expect(dataOfType(out.stack("small-network"), "aws_ec2_managed_prefix_list")[0].name).toBe("com.amazonaws.global.cloudfront.origin-facing");
  });
});

describe("resource addresses are keyed by AZ", () => {
  test("going from 3 AZs to 2 removes only that AZ's resources", () => {
    const three = resources(synthAll(validated(envInput({ nat: { strategy: "perAz" } }))).stack("test-network"));
    const two = resources(
      synthAll(validated(envInput({ nat: { strategy: "perAz" }, azs: ["us-east-1a", "us-east-1c"] }))).stack("test-network"),
    );
    const removed = [...three.keys()].filter((k) => !two.has(k));
    const added = [...two.keys()].filter((k) => !three.has(k));
    expect(added).toEqual([]);
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((k) => k.includes("us-east-1b"))).toBe(true);
    // Remaining subnets keep their CIDRs, so Terraform does not replace them.
    for (const [k, v] of two) if (k.startsWith("aws_subnet.")) expect(v.cidr_block).toBe(three.get(k)!.cidr_block);
  });

  test("switching NAT from single to perAz keeps the existing NAT gateway's address", () => {
    const single = resources(synthAll(validated(envInput({ nat: { strategy: "single" } }))).stack("test-network"));
    const perAz = resources(synthAll(validated(envInput({ nat: { strategy: "perAz" } }))).stack("test-network"));
    const nat = [...single.keys()].filter((k) => k.startsWith("aws_nat_gateway."));
    expect(nat).toHaveLength(1);
    expect(perAz.has(nat[0])).toBe(true);
  });

  test("nat strategy none: no NAT gateways and no default route in private route tables", () => {
    const s = synthAll(validated(envInput({ nat: { strategy: "none" } }))).stack("test-network");
    expect(ofType(s, "aws_nat_gateway")).toHaveLength(0);
    expect(ofType(s, "aws_route").filter((r) => r.nat_gateway_id)).toHaveLength(0);
  });
});

describe("NAT instance strategy", () => {
  const s = synthAll(validated(envInput({ nat: { strategy: "instance" } }))).stack("test-network");

  test("one auto scaling group of exactly one Graviton instance over every AZ's public subnet, no NAT gateway", () => {
    expect(ofType(s, "aws_nat_gateway")).toHaveLength(0);
    const asg = ofType(s, "aws_autoscaling_group").find((g) => g.name === "harbor-test-nat-instance")!;
    expect(asg).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1, health_check_type: "EC2" });
    expect(asg.vpc_zone_identifier).toEqual(["a", "b", "c"].map((az) => expect.stringMatching(new RegExp(`aws_subnet\\.network_public-us-east-1${az}_`))));
  });

  test("nat.az is rejected with the NAT instance (its group has no one AZ)", () => {
    expect(() => validated(envInput({ nat: { strategy: "instance", az: "us-east-1b" } }))).toThrow(/nat\.az: only applies to nat\.strategy "single": the NAT instance's group spans every AZ's public subnet/);
  });

  test("launch template: IMDSv2, encrypted volume, public IP, AMI from SSM, boot script that disables the source/dest check and takes the routes", () => {
    const lt = ofType(s, "aws_launch_template").find((t) => t.name === "harbor-test-nat-instance")!;
    expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3" });
    expect(lt.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    expect(lt.instance_type).toBe("t4g.nano");
    expect(lt.network_interfaces[0].associate_public_ip_address).toBe("true");
    expect(lt.user_data).toMatch(/^\$\{base64encode\(/);
    expect(lt.user_data).toContain("--no-source-dest-check");
    expect(lt.user_data).toContain("masquerade");
    for (const az of ["a", "b", "c"]) expect(lt.user_data).toMatch(new RegExp(`aws_route_table\\.network_private-rt-us-east-1${az}_[0-9A-F]+\\.id`));
  });

  test("its own security group: everything from the VPC, nothing from the internet", () => {
    const ingress = ofType(s, "aws_vpc_security_group_ingress_rule").filter((r) => String(r.security_group_id).includes("nat-instance"));
    expect(ingress).toEqual([expect.objectContaining({ cidr_ipv4: "10.50.0.0/16", ip_protocol: "-1" })]);
  });

  test("the role may only change the private routes and its own source/dest check", () => {
    const policy = JSON.parse(ofType(s, "aws_iam_role_policy").find((p) => p.name === "nat-instance")!.policy);
    expect(policy.Statement[0]).toMatchObject({ Action: ["ec2:CreateRoute", "ec2:ReplaceRoute"] });
    expect(policy.Statement[0].Resource).toHaveLength(3);
    expect(policy.Statement[1]).toMatchObject({ Action: "ec2:ModifyInstanceAttribute", Condition: { StringEquals: { "aws:ResourceTag/NatInstance": "harbor-test-nat-instance" } } });
  });

  test("an instance type that is not Graviton is rejected", () => {
    expect(() => validated(envInput({ nat: { strategy: "instance", instanceType: "t3.nano" } }))).toThrow(/nat\.instanceType: must be a Graviton \(arm64\) instance type/);
    expect(() => validated(envInput({ nat: { strategy: "single", instanceType: "t4g.nano" } }))).toThrow(/nat\.instanceType: only applies to nat\.strategy "instance"/);
  });
});
