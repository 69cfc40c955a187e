import { Testing, TerraformStack } from "cdktf";
import { principalArn } from "../modules/eks-cluster";
import { DEFAULT_ADDON_VERSIONS, DEFAULT_EKS_VERSION, DEFAULT_NODE_GROUPS } from "../environments/features/eks";
import { EksCluster, ManagedNodeGroup } from "../modules/eks-cluster";
import { partitionOf } from "../lib/partition";
import { Json, envInput, ofType, synthAll, validated, fixtureProjectSynth } from "./helpers";

const byName = (items: Json[], key: string, value: string) => items.find((i) => i[key] === value)!;

describe("<env>-platform on EKS (host, the fixture project's EKS host)", () => {
  const out = fixtureProjectSynth();
  const stack = out.stack("host-platform");
  const cluster = ofType(stack, "aws_eks_cluster")[0];

  test("GIVEN host hosts a cluster and guest is a guest THEN only host has a platform stack with a cluster", () => {
    expect(out.stacks).toContain("host-platform");
    expect(out.stacks).not.toContain("guest-platform");
    expect(ofType(stack, "aws_eks_cluster")).toHaveLength(1);
  });

  test("cluster: version, private subnets, private endpoint plus public from the configured CIDRs only", () => {
    expect(cluster.name).toBe("harbor-host-eks");
    expect(cluster.version).toBe(DEFAULT_EKS_VERSION);
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    expect(cluster.vpc_config.endpoint_public_access).toBe(true);
    expect(cluster.vpc_config.public_access_cidrs).toEqual(["203.0.113.0/24"]);
    expect(cluster.vpc_config.subnet_ids).toHaveLength(3);
    for (const id of cluster.vpc_config.subnet_ids) expect(id).toMatch(/remote_state\.cross-stack-reference-input-host-network\.outputs\.cross-stack-output-aws_subnetnetwork_private-us-east-1[abc]_/);
  });

  test("cluster: all five control-plane log types into an encrypted log group created first", () => {
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    const logGroup = ofType(stack, "aws_cloudwatch_log_group")[0];
    expect(logGroup.name).toBe("/aws/eks/harbor-host-eks/cluster");
    expect(logGroup.kms_key_id).toMatch(/host-network/);
    expect(cluster.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\./)]);
  });

  test("cluster: secrets encrypted with a KMS key that rotates, usable by the cluster role", () => {
    const [keyName, key] = Object.entries(stack.resource.aws_kms_key as Record<string, Json>)[0];
    expect(key.enable_key_rotation).toBe(true);
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: `\${aws_kms_key.${keyName}.arn}` } });
    const policy = JSON.parse(byName(ofType(stack, "aws_iam_role_policy"), "name", "secrets-encryption").policy);
    expect(policy.Statement[0]).toMatchObject({ Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: `\${aws_kms_key.${keyName}.arn}` });
  });

  test("cluster: API authentication mode with an access entry and cluster-admin policy per admin", () => {
    expect(cluster.access_config.authentication_mode).toBe("API");
    const entries = ofType(stack, "aws_eks_access_entry");
    // The configured role name, in the deploying account (the network stack's caller identity).
    expect(entries.map((e) => e.principal_arn)).toEqual([expect.stringMatching(/^arn:aws:iam::\$\{data\.terraform_remote_state\.cross-stack-reference-input-host-network\.outputs\.[\w-]*caller_identity[\w-]*account_id\}:role\/platform-admin$/)]);
    const assoc = ofType(stack, "aws_eks_access_policy_association");
    expect(assoc).toHaveLength(1);
    expect(assoc[0]).toMatchObject({ policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", access_scope: { type: "cluster" } });
  });

  test("managed add-ons at pinned versions; networking before the nodes, coredns and EBS CSI after", () => {
    const addons = ofType(stack, "aws_eks_addon");
    const versions = Object.fromEntries(addons.map((a) => [a.addon_name, a.addon_version]));
    expect(versions).toEqual(DEFAULT_ADDON_VERSIONS[DEFAULT_EKS_VERSION]);
    for (const ng of ofType(stack, "aws_eks_node_group")) expect(ng.depends_on).toHaveLength(3);
    expect(byName(addons, "addon_name", "coredns").depends_on).toEqual([expect.stringMatching(/aws_eks_node_group/), expect.stringMatching(/aws_eks_node_group/)]);
    const ebs = byName(addons, "addon_name", "aws-ebs-csi-driver");
    expect(ebs.pod_identity_association).toEqual([{ role_arn: expect.stringMatching(/aws_iam_role\.eks_ebs-csi-role/), service_account: "ebs-csi-controller-sa" }]);
  });

  test("node groups: a small on-demand system group and a spot group with several instance types", () => {
    const groups = ofType(stack, "aws_eks_node_group");
    expect(groups).toHaveLength(2);
    const system = byName(groups, "node_group_name", "harbor-host-system");
    const spot = byName(groups, "node_group_name", "harbor-host-spot");
    expect(system).toMatchObject({ capacity_type: "ON_DEMAND", instance_types: DEFAULT_NODE_GROUPS.system.instanceTypes, scaling_config: { min_size: 2, max_size: 3, desired_size: 2 } });
    expect(spot).toMatchObject({ capacity_type: "SPOT", scaling_config: { min_size: 1, max_size: 6, desired_size: 2 } });
    expect(spot.instance_types.length).toBeGreaterThanOrEqual(3);
    for (const g of groups) {
      expect(g.ami_type).toBe("AL2023_x86_64_STANDARD");
      expect(g.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
      expect(g.launch_template.id).toMatch(/^\$\{aws_launch_template\./);
    }
  });

  test("launch templates: IMDSv2 with hop limit 1, encrypted gp3 root volumes, cluster and app security groups", () => {
    const lts = ofType(stack, "aws_launch_template");
    expect(lts).toHaveLength(2);
    for (const lt of lts) {
      expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(lt.block_device_mappings).toEqual([{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", volume_size: 50, delete_on_termination: "true" } }]);
      expect(lt.vpc_security_group_ids).toEqual([expect.stringMatching(/cluster_security_group_id/), expect.stringMatching(/sg_app_.*id\}$/)]);
    }
  });

  test("parking: each node group's auto scaling group parks and unparks (host is parked)", () => {
    const schedules = ofType(stack, "aws_autoscaling_schedule");
    expect(schedules).toHaveLength(4);
    for (const s of schedules) expect(s.autoscaling_group_name).toMatch(/^\$\{aws_eks_node_group\.eks_(system|spot)_group_[0-9A-F]+\.resources\[0\]\.autoscaling_groups\[0\]\.name\}$/);
    expect(schedules.filter((s) => s.scheduled_action_name === "unpark").map((s) => s.desired_capacity).sort()).toEqual([2, 2]);
  });

  test("no target group or NodePort here: the ALB targets pods directly (edge stack), the controller has its own Pod Identity role", () => {
    expect(ofType(stack, "aws_lb_target_group")).toHaveLength(0);
    expect(ofType(stack, "aws_autoscaling_attachment")).toHaveLength(0);
    expect(ofType(stack, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port >= 30000)).toHaveLength(0);
    const assoc = ofType(stack, "aws_eks_pod_identity_association").find((a) => a.service_account === "aws-load-balancer-controller")!;
    expect(assoc.namespace).toBe("kube-system");
    const role = ofType(stack, "aws_iam_role").find((r) => r.name === "harbor-host-aws-load-balancer-controller")!;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    const policy = JSON.parse(ofType(stack, "aws_iam_role_policy").find((p) => /aws-load-balancer-controller/.test(p.role))!.policy);
    // The documented policy, statement for statement: registering targets in Terraform's (untagged) target groups is allowed.
    expect(policy.Statement).toHaveLength(16);
    expect(policy.Statement).toContainEqual({ Sid: "RegisterTargets", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*" });
    expect(policy.Statement.find((x: Json) => x.Sid === "Describe").Action).toContain("ec2:DescribeVpcPeeringConnections");
  });

  test("the private API endpoint accepts 443 from the bastions only (kubectl through a bastion)", () => {
    const rules = ofType(stack, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 443);
    expect(rules).toEqual([expect.objectContaining({ to_port: 443, security_group_id: expect.stringMatching(/cluster_security_group_id/), referenced_security_group_id: expect.stringMatching(/sg_bastion_/) })]);
  });

  test("Pod Identity: the cluster autoscaler may scale only this cluster's groups", () => {
    const role = byName(ofType(stack, "aws_iam_role"), "name", "harbor-host-cluster-autoscaler");
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({ Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] });
    const assoc = ofType(stack, "aws_eks_pod_identity_association");
    expect(assoc).toContainEqual(expect.objectContaining({ namespace: "kube-system", service_account: "cluster-autoscaler" }));
    const policy = JSON.parse(ofType(stack, "aws_iam_role_policy").find((p) => /cluster-autoscaler/.test(p.role))!.policy);
    const scale = policy.Statement.find((s: Json) => s.Sid === "ScaleOwnGroupsOnly");
    expect(scale.Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/harbor-host-eks": "owned" } });
    for (const s of policy.Statement) for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
  });
});

describe("EKS platform variants", () => {
  test("GIVEN no public CIDRs THEN the public endpoint is off; GIVEN production THEN the cluster and key are protected and nothing is parked", () => {
    const [env] = validated(envInput({ name: "prodeks", production: true, platform: { kind: "eks" } }));
    const stack = synthAll([env]).stack("prodeks-platform");
    const cluster = ofType(stack, "aws_eks_cluster")[0];
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
    expect(ofType(stack, "aws_kms_key")[0].lifecycle).toEqual({ prevent_destroy: true });
    expect(ofType(stack, "aws_autoscaling_schedule")).toHaveLength(0);
    expect(ofType(stack, "aws_eks_access_entry")).toHaveLength(0);
    // Not parked: node-count and restart alarms on the environment's topic, min = system 2 + spot 1.
    const nodes = ofType(stack, "aws_cloudwatch_metric_alarm").find((a) => /node/.test(a.alarm_name) && a.comparison_operator === "LessThanThreshold");
    expect(nodes).toMatchObject({ threshold: 3 });
    expect(nodes!.alarm_actions).toEqual([expect.stringMatching(/cross-stack-reference-input-prodeks-network/)]);
  });

  test("a parked cluster gets no node-count alarm (it has no nodes at night by design)", () => {
    expect(ofType(fixtureProjectSynth().stack("host-platform"), "aws_cloudwatch_metric_alarm")).toEqual([]);
  });

  test("the partition comes from the region", () => {
    expect([partitionOf("us-east-1"), partitionOf("cn-north-1"), partitionOf("us-gov-west-1")]).toEqual(["aws", "aws-cn", "aws-us-gov"]);
  });
});

describe("EKS module validation", () => {
  const stack = () => new TerraformStack(Testing.app(), "t");
  const base = {
    name: "p-spot",
    clusterName: "c",
    nodeRoleArn: "arn:aws:iam::111122223333:role/n",
    subnetIds: ["a", "b"],
    securityGroupIds: ["sg"],
    capacityType: "SPOT" as const,
    instanceTypes: ["m6i.large", "m5.large"],
    min: 1,
    max: 3,
    desired: 2,
  };
  test("a spot group needs two instance types", () => {
    expect(() => new ManagedNodeGroup(stack(), "g", { ...base, instanceTypes: ["m6i.large"] })).toThrow("ManagedNodeGroup p-spot: a SPOT group needs at least two instanceTypes, got m6i.large");
  });
  test("sizes must be ordered", () => {
    expect(() => new ManagedNodeGroup(stack(), "g", { ...base, desired: 5 })).toThrow("ManagedNodeGroup p-spot: sizes must satisfy 0 <= min <= desired <= max, max >= 1; got min 1, desired 5, max 3");
  });
  test("disk size is bounded", () => {
    expect(() => new ManagedNodeGroup(stack(), "g", { ...base, diskGiB: 5 })).toThrow("ManagedNodeGroup p-spot: diskGiB must be 20 to 1000, got 5");
  });
  test("the cluster refuses an open public endpoint and unpinned add-ons", () => {
    const props = {
      namePrefix: "p",
      version: "1.33",
      subnetIds: ["a", "b"],
      addonVersions: DEFAULT_ADDON_VERSIONS["1.33"],
      nodeGroups: DEFAULT_NODE_GROUPS,
      logsKeyArn: "k",
      logRetentionDays: 30,
      accountId: "111122223333",
      partition: "aws",
    };
    expect(() => new EksCluster(stack(), "c", { ...props, publicAccessCidrs: ["0.0.0.0/0"] })).toThrow("EksCluster: publicAccessCidrs entry 0.0.0.0/0 must not open the Kubernetes API to the whole internet");
    expect(() => new EksCluster(stack(), "c", { ...props, addonVersions: { ...props.addonVersions, coredns: "" } })).toThrow("EksCluster: addonVersions must pin coredns");
    expect(() => new EksCluster(stack(), "c", { ...props, version: "latest" })).toThrow("EksCluster: version must be a Kubernetes minor version such as 1.33, got latest");
  });
});

describe("EKS admin principals", () => {
  test("a role name resolves in the deploying account; a full ARN (another account) is kept", () => {
    expect(principalArn("platform-admin", "${data.aws_caller_identity.account.account_id}", "aws-cn")).toBe("arn:aws-cn:iam::${data.aws_caller_identity.account.account_id}:role/platform-admin");
    expect(principalArn("arn:aws:iam::444455556666:user/alice", "ACCOUNT", "aws")).toBe("arn:aws:iam::444455556666:user/alice");
  });
});
