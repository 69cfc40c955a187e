import { Testing, TerraformStack } from "cdktf";
import { ConfigError, validateEnvironments } from "../environments/load";
import { Environment } from "../environments/schema";
import { Bastion, isArm64InstanceType, publicKeyProblem } from "../modules/bastion";
import { NetworkStack } from "../stacks/network-stack";
import { envInput, Json, ofType, fixtureEnvironments, validated, fixtureProjectSynth } from "./helpers";

// Public keys generated for these tests only (ssh-keygen); their private halves were never kept.
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILzZOYX6t3QAZq/dYgv5794eUq3tSLZaPfI7HOOL61sP test@harbor";
const ECDSA_384 =
  "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBIyYpLyeiSEJEmIZadO0zH81uVJtvGKzGDAArzfZO8K6yoPIL+ePM0UMm2DU2TVsQYKwN/lwkDr/zPmIRF8LdmMjmuh3n8DnWf7KNLaaLoyp3ta2hURkUYnaCx5ztgacUg== ci";
const RSA_2048 =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC3MtQ7FvNonxFFdVq8D5tLLTNsXK9S6p0L5nQ6eJnTBgprWTWDR5L603nPLudy6YLOPaAbM6yGwdTkkIijf54grIlYYMpFGrrsccNJqnbDLQSE48UHM30DsxBLwONpzbu5VLwrz0N6IPBfBglh3ou65/UatUUofKREQJkpjDuO31FC2kgBJWH4nahFSJPALjZxQJhIPKnjdafHyVwJMhhdza3CJ3EvrW+JBfPV2QQJNKzGZ/1wEw98BExYR3e6U8zUhMUW2Z7nRzW/BoHPEy+NP/CIfjp50E+Cd36FZrkR2ZB+ctK9hO9K7VDuCd84+ja7BcHL0dGTXBdddqWybIyD";
const RSA_1024 =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCvIwQE6hRwQHV2wIxsoDSIw80H/KtPe56Ixe2Eoh4B0DWJ2/Mq3z7mHNxmXvBqFVLJVdXrWrfYQIoPQ1IDbb/T/w3J/hrfXEUGfC4ZUMrZ63EHsdnd+WpayXgs5MtqHIZ5r7pqk8KcGkXnud7mKACVtNe8WSX1X4uVdt4m0Cyrvw==";
// A fake private key (split so secret scanners do not flag this file): the shape people paste by mistake.
const FAKE_PRIVATE_KEY = ["-----BEGIN OPENSSH", "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH", "PRIVATE KEY-----"].join(" ");

function problemLines(input: unknown): string[] {
  try {
    validateEnvironments([{ file: "environments/x.ts", input }]);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split("\n");
  }
  throw new Error("expected the configuration to be rejected");
}

/** The one problem line matching `re` (fails if there are none or several). */
function rejected(input: unknown, re: RegExp): string {
  const lines = problemLines(input).filter((l) => re.test(l));
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe("bastion config", () => {
  test("GIVEN no bastion block THEN SSH + Session Manager on a t4g.micro without detailed monitoring or key pair", () => {
    const [env] = validated(envInput());
    expect(env.bastion).toEqual({ access: "both", enabled: true, instanceType: "t4g.micro", detailedMonitoring: false });
  });

  test("valid public keys of every supported type are accepted", () => {
    for (const publicKey of [ED25519, ECDSA_384, RSA_2048, `${ED25519.split(" ").slice(0, 2).join(" ")}`]) {
      expect(publicKeyProblem(publicKey)).toBeUndefined();
      expect(validated(envInput({ bastion: { publicKey } }))[0].bastion.publicKey).toBe(publicKey);
    }
  });

  test("ssh access with an empty allow-list is rejected, naming the fields and the fix", () => {
    expect(rejected(envInput({ ssh: { allowList: [] } }), /ssh\.allowList:/)).toBe(
      'environments/x.ts: ssh.allowList: is empty but bastion.access is "both", which opens port 22 to the allow-list only, so nobody could connect: list your office or VPN ranges, or set bastion.access: "ssm" (Session Manager only, no inbound port) (got [])',
    );
    expect(rejected(envInput({ ssh: { allowList: [] }, bastion: { access: "ssh" } }), /ssh\.allowList: is empty but bastion\.access is "ssh"/)).toBeTruthy();
  });

  test("Session Manager only needs no allow-list", () => {
    expect(() => validated(envInput({ ssh: { allowList: [] }, bastion: { access: "ssm" } }))).not.toThrow();
  });

  test("an allow-list open to the IPv6 internet is rejected", () => {
    expect(rejected(envInput({ ssh: { allowList: ["203.0.113.0/24", "::/0"] } }), /ssh\.allowList\.1:/)).toMatch(
      /ssh\.allowList\.1: must not open SSH to the whole internet: list your office or VPN ranges \(got "::\/0"\)/,
    );
  });

  test("a private key is rejected with a pointed message, and never echoed", () => {
    const line = rejected(envInput({ bastion: { publicKey: FAKE_PRIVATE_KEY } }), /bastion\.publicKey:/);
    expect(line).toMatch(/^environments\/x\.ts: bastion\.publicKey: is a PRIVATE key: never put a private key in the repository; give the public half \(the one-line \.pub file/);
    expect(line).toMatch(/\(got a private key \(redacted\)\)$/);
    expect(line).not.toContain("b3BlbnNzaC1rZXktdjE");
  });

  test.each([
    ["not a key at all", "hello", /bastion\.publicKey: must be an OpenSSH public key line "<type> <base64> \[comment\]" with type ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa \(the \.pub file\) \(got "hello"\)/],
    ["an unsupported key type", "ssh-dss AAAAB3NzaC1kc3MAAACBAP", /bastion\.publicKey: has key type "ssh-dss": must be an OpenSSH public key line/],
    ["a truncated body", ED25519.slice(0, 60), /bastion\.publicKey: has a truncated or corrupted base64 body: copy the whole line of the \.pub file/],
    ["a body of another type", `ssh-ed25519 ${RSA_2048.split(" ")[1]}`, /bastion\.publicKey: has a body that is not a ssh-ed25519 key/],
    ["a 1024-bit RSA key", RSA_1024, /bastion\.publicKey: is a 1024-bit RSA key: use at least 2048 bits, or better an ed25519 key/],
    ["a PuTTY/SSH2 block", "---- BEGIN SSH2 PUBLIC KEY ----\nAAAAC3NzaC1lZDI1NTE5AAAAILzZ\n---- END SSH2 PUBLIC KEY ----", /bastion\.publicKey: must be an OpenSSH public key line/],
  ])("an invalid public key is rejected: %s", (_what, publicKey, expected) => {
    expect(rejected(envInput({ bastion: { publicKey } }), /bastion\.publicKey:/)).toMatch(expected);
  });

  test("a malformed instance type is rejected", () => {
    expect(rejected(envInput({ bastion: { instanceType: "micro" } }), /bastion\.instanceType:/)).toMatch(
      /bastion\.instanceType: must be an EC2 instance type such as t4g\.micro or t3\.micro \(got "micro"\)/,
    );
  });

  test("an unknown access mode and unknown fields are rejected", () => {
    expect(rejected(envInput({ bastion: { access: "telnet" as never } }), /bastion\.access:/)).toMatch(/bastion\.access: Invalid enum value\. Expected 'ssh' \| 'ssm' \| 'both', received 'telnet'/);
    expect(rejected(envInput({ bastion: { privateKey: "x" } as never }), /bastion\.privateKey:/)).toMatch(/bastion\.privateKey: unknown field privateKey/);
  });

  test.each([
    ["t4g.micro", true],
    ["m7gd.large", true],
    ["c6gn.xlarge", true],
    ["im4gn.large", true],
    ["g5g.xlarge", true],
    ["a1.medium", true],
    ["t3.micro", false],
    ["t3a.nano", false],
    ["m7i.large", false],
    ["g4dn.xlarge", false],
  ])("%s is arm64: %s", (type, arm) => {
    expect(isArm64InstanceType(type)).toBe(arm);
  });
});

describe("Bastion construct", () => {
  const base = { namePrefix: "p-e", subnetIds: { "us-east-1a": "subnet-a", "us-east-1b": "subnet-b" }, securityGroupId: "sg-1", partition: "aws" };
  const synth = (props: Partial<ConstructorParameters<typeof Bastion>[2]> = {}) => {
    const stack = new TerraformStack(Testing.app(), "t");
    const bastion = new Bastion(stack, "bastion", { ...base, ...props });
    return { bastion, json: JSON.parse(Testing.synth(stack)) as Json };
  };

  test("GIVEN two subnets THEN one group over both, one instance per AZ, from one launch template", () => {
    const { bastion, json } = synth();
    const groups = ofType(json, "aws_autoscaling_group");
    expect(groups.map((g) => [g.name, g.vpc_zone_identifier, g.min_size, g.max_size, g.desired_capacity])).toEqual([["p-e-bastion", ["subnet-a", "subnet-b"], 2, 2, 2]]);
    // AZ rebalancing stays on (no suspended processes); a new launch template version rolls the instances.
    expect(groups[0].suspended_processes).toBeUndefined();
    expect(groups[0].instance_refresh).toEqual({ strategy: "Rolling", preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200 } });
    expect(groups[0].launch_template.version).toMatch(/aws_launch_template\.bastion_launch-template_\w+\.latest_version/);
    expect(ofType(json, "aws_launch_template")).toHaveLength(1);
    expect(bastion.autoScalingGroupName).toMatch(/\$\{TfToken/);
    expect(bastion.desiredCapacity).toBe(2);
    // Not parked: sizes are Terraform's to manage.
    expect(groups[0].lifecycle).toBeUndefined();
    expect(ofType(json, "aws_autoscaling_schedule")).toHaveLength(0);
  });

  test("x86 types run the x86_64 image, Graviton types the arm64 one", () => {
    expect(synth({ instanceType: "t3.micro" }).bastion.amiParameter).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    const { bastion, json } = synth({ instanceType: "t4g.nano" });
    expect(bastion.architecture).toBe("arm64");
    expect(ofType(json, "aws_launch_template")[0].image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  });

  test("sessionManager false: no role, no instance profile", () => {
    const { bastion, json } = synth({ sessionManager: false });
    expect(ofType(json, "aws_iam_role")).toHaveLength(0);
    expect(ofType(json, "aws_iam_instance_profile")).toHaveLength(0);
    expect(ofType(json, "aws_launch_template")[0].iam_instance_profile).toBeUndefined();
    expect(bastion.roleName).toBeUndefined();
  });

  test("a public key becomes the key pair the launch template uses", () => {
    const { bastion, json } = synth({ publicKey: ED25519 });
    expect(ofType(json, "aws_key_pair")).toEqual([expect.objectContaining({ key_name: "p-e-bastion", public_key: ED25519 })]);
    expect(ofType(json, "aws_launch_template")[0].key_name).toMatch(/^\$\{aws_key_pair\.bastion_key_[A-Z0-9]+\.key_name\}$/);
    expect(bastion.keyPairName).toBeDefined();
    expect(synth().bastion.keyPairName).toBeUndefined();
  });

  test.each([
    [{ subnetIds: {} }, "Bastion: subnetIds must list at least one AZ's public subnet, got none"],
    [{ desiredCapacity: 0 }, "Bastion: desiredCapacity must be a whole number from 1 to 50, got 0"],
    [{ instanceType: "large" }, 'Bastion: instanceType must be an EC2 instance type such as t4g.micro, got "large"'],
    [{ rootVolumeSizeGiB: 4 }, "Bastion: rootVolumeSizeGiB must be a whole number from 8 (the image's size) to 16384, got 4"],
    [{ publicKey: FAKE_PRIVATE_KEY }, "Bastion: publicKey is a PRIVATE key: never put a private key in the repository"],
  ])("invalid props are rejected: %j", (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe("bastions in the fixture project's environments", () => {
  const envs = fixtureEnvironments();
  const out = fixtureProjectSynth();
  const network = (env: Environment) => out.stack(`${env.name}-network`);
  /** `${aws_x.key.attr}` -> key */
  const refKey = (ref: string, type: string) => new RegExp(`^\\$\\{${type}\\.([^.]+)\\.[a-z_]+\\}$`).exec(ref)?.[1];
  const bastionSgKey = (stack: Json) => Object.entries(stack.resource.aws_security_group as Record<string, Json>).find(([, sg]) => /-bastion$/.test(sg.name))![0];
  const ingressOf = (stack: Json, sgKey: string) => ofType(stack, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === `\${aws_security_group.${sgKey}.id}`);

  test("NetworkStack.bastion exposes its one auto scaling group, one instance per AZ", () => {
    for (const env of envs) {
      const bastion = new NetworkStack(Testing.app(), env).bastion!;
      expect(bastion.autoScalingGroupName).toBeDefined();
      expect(bastion.autoScalingGroupArn).toBeDefined();
      expect(bastion.desiredCapacity).toBe(env.azs.length);
      expect(bastion.roleName).toBeDefined();
    }
  });

  test.each(envs.map((e) => [e.name, e] as const))("%s: exactly one bastion group, over every AZ's public subnet, one per AZ, replaced by EC2 health checks", (_name, env) => {
    const stack = network(env);
    const groups = ofType(stack, "aws_autoscaling_group").filter((g) => /-bastion$/.test(g.name));
    expect(groups).toHaveLength(1);
    expect(ofType(stack, "aws_autoscaling_group").filter((g) => /-bastion/.test(g.name))).toHaveLength(1);
    const [g] = groups;
    const subnets = stack.resource.aws_subnet as Record<string, Json>;
    const placed = (g.vpc_zone_identifier as string[]).map((ref) => subnets[refKey(ref, "aws_subnet")!]);
    for (const subnet of placed) expect(subnet.tags.Name).toMatch(/-public-/);
    expect(placed.map((sn) => sn.availability_zone)).toEqual([...env.azs]);
    expect([g.min_size, g.max_size, g.desired_capacity, g.health_check_type]).toEqual([env.azs.length, env.azs.length, env.azs.length, "EC2"]);
    expect(g.name).toBe(`${env.project}-${env.name}-bastion`);
    expect(g.suspended_processes).toBeUndefined();
    expect(g.instance_refresh.strategy).toBe("Rolling");
  });

  test.each(envs.map((e) => [e.name, e] as const))("%s: IMDSv2 only, encrypted gp3 root volume, public IP, bastion group, tagged Duty=Bastion", (_name, env) => {
    const stack = network(env);
    const [lt] = ofType(stack, "aws_launch_template");
    expect(ofType(stack, "aws_launch_template")).toHaveLength(1);
    expect(lt.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings).toEqual([{ device_name: "/dev/xvda", ebs: { volume_type: "gp3", volume_size: 8, encrypted: "true", delete_on_termination: "true" } }]);
    expect(lt.image_id).toMatch(/^resolve:ssm:\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-default-(arm64|x86_64)$/);
    expect(lt.instance_type).toBe(env.bastion.instanceType);
    expect(lt.network_interfaces).toEqual([
      { device_index: 0, associate_public_ip_address: "true", delete_on_termination: "true", security_groups: [`\${aws_security_group.${bastionSgKey(stack)}.id}`] },
    ]);
    const tagged = (lt.tag_specifications as Json[]).filter((t) => t.tags.Duty === "Bastion").map((t) => t.resource_type);
    expect(tagged).toEqual(expect.arrayContaining(["instance", "volume"]));
    const ltKey = Object.keys(stack.resource.aws_launch_template)[0];
    for (const g of ofType(stack, "aws_autoscaling_group").filter((x) => /-bastion$/.test(x.name))) {
      expect(g.launch_template).toEqual({ name: `\${aws_launch_template.${ltKey}.name}`, version: `\${aws_launch_template.${ltKey}.latest_version}` });
    }
  });

  test.each(envs.map((e) => [e.name, e] as const))("%s: the instance role has only AmazonSSMManagedInstanceCore", (_name, env) => {
    const stack = network(env);
    const roles = Object.entries(stack.resource.aws_iam_role as Record<string, Json>).filter(([, r]) => r.name === `${env.project}-${env.name}-bastion`);
    expect(roles).toHaveLength(1);
    const [roleKey, role] = roles[0];
    expect(JSON.parse(role.assume_role_policy)).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const mine = (r: Json) => r.role === `\${aws_iam_role.${roleKey}.name}`;
    expect(ofType(stack, "aws_iam_role_policy_attachment").filter(mine).map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    expect(ofType(stack, "aws_iam_role_policy").filter(mine)).toEqual([]);
  });

  test("SSH reaches the bastions only from each environment's exact allow-list", () => {
    const expected: Record<string, string[]> = {
      small: ["203.0.113.0/24"],
      guest: ["203.0.113.0/24"],
      host: ["198.51.100.0/24", "203.0.113.0/24"],
      live: ["198.51.100.0/24"],
    };
    for (const env of envs) {
      const rules = ingressOf(network(env), bastionSgKey(network(env)));
      expect(rules.every((r) => r.from_port === 22 && r.to_port === 22 && r.ip_protocol === "tcp" && r.description)).toBe(true);
      expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual(expected[env.name]);
      expect(rules.some((r) => r.referenced_security_group_id || r.prefix_list_id || r.cidr_ipv6)).toBe(false);
    }
  });

  test("no ingress from 0.0.0.0/0 or ::/0 anywhere in any network stack", () => {
    for (const env of envs) {
      const stack = network(env);
      const rules = ofType(stack, "aws_vpc_security_group_ingress_rule");
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) {
        expect(r.cidr_ipv4 ?? "").not.toMatch(/\/0$/);
        expect(r.cidr_ipv6 ?? "").not.toMatch(/\/0$/);
      }
      expect(ofType(stack, "aws_security_group_rule").filter((r) => r.type === "ingress" && JSON.stringify(r).includes("/0\""))).toEqual([]);
      for (const sg of ofType(stack, "aws_security_group")) expect(JSON.stringify(sg.ingress ?? [])).not.toMatch(/\/0"/);
    }
  });

  test("parked environments have a park and an unpark action on the bastion group in their time zone; live has none", () => {
    for (const env of envs) {
      const stack = network(env);
      const groups = Object.entries((stack.resource.aws_autoscaling_group ?? {}) as Record<string, Json>).filter(([, g]) => /-bastion$/.test(g.name));
      expect(groups).toHaveLength(1);
      const actions = ofType(stack, "aws_autoscaling_schedule");
      if (!env.parking) {
        expect(env.name).toBe("live");
        expect(actions).toEqual([]);
        for (const [, g] of groups) expect(g.lifecycle).toBeUndefined();
        continue;
      }
      expect(["small", "guest", "host"]).toContain(env.name);
      for (const [key, g] of groups) {
        const own = actions.filter((a) => a.autoscaling_group_name === `\${aws_autoscaling_group.${key}.name}`);
        expect(own.map((a) => [a.scheduled_action_name, a.recurrence, a.time_zone, a.desired_capacity]).sort()).toEqual([
          ["park", env.parking.stop, env.parking.timeZone, 0],
          ["unpark", env.parking.start, env.parking.timeZone, env.azs.length],
        ]);
        expect(env.parking.timeZone).toBe("America/New_York");
        // Terraform must not undo a parked group's sizes on the next apply.
        expect(g.lifecycle).toEqual({ ignore_changes: ["min_size", "max_size", "desired_capacity"] });
      }
    }
  });

  test("no private key material and no key pair in any environment's network stack", () => {
    for (const env of envs) {
      expect(JSON.stringify(network(env))).not.toMatch(/PRIVATE KEY/);
      expect(ofType(network(env), "aws_key_pair")).toEqual([]);
    }
  });
});

describe("bastion access modes in the network stack", () => {
  // The network stack alone (not the whole app): these tests are about it only.
  const stackFor = (overrides: Parameters<typeof envInput>[0]) => JSON.parse(Testing.synth(new NetworkStack(Testing.app(), validated(envInput(overrides))[0]))) as Json;
  const bastionIngress = (stack: Json) => {
    const key = Object.entries(stack.resource.aws_security_group as Record<string, Json>).find(([, sg]) => /-bastion$/.test(sg.name))![0];
    return ofType(stack, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === `\${aws_security_group.${key}.id}`);
  };

  test("ssm: the bastion group has no inbound rule at all, even with an allow-list; the SSM role stays", () => {
    const stack = stackFor({ bastion: { access: "ssm" }, ssh: { allowList: ["203.0.113.0/24"] } });
    expect(bastionIngress(stack)).toEqual([]);
    expect(ofType(stack, "aws_iam_instance_profile")).toHaveLength(1);
    expect(ofType(stack, "aws_autoscaling_group").filter((g) => /-bastion$/.test(g.name))).toHaveLength(1);
  });

  test("ssh: port 22 from the allow-list and no instance role", () => {
    const stack = stackFor({ bastion: { access: "ssh" }, ssh: { allowList: ["192.0.2.0/24"] } });
    expect(bastionIngress(stack).map((r) => r.cidr_ipv4)).toEqual(["192.0.2.0/24"]);
    expect(ofType(stack, "aws_iam_instance_profile")).toHaveLength(0);
    expect(ofType(stack, "aws_launch_template")[0].iam_instance_profile).toBeUndefined();
  });

  test("config reaches the launch template: x86 type, detailed monitoring, key pair", () => {
    const stack = stackFor({ bastion: { instanceType: "t3.micro", detailedMonitoring: true, publicKey: ED25519 } });
    const [lt] = ofType(stack, "aws_launch_template");
    expect(lt.instance_type).toBe("t3.micro");
    expect(lt.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(lt.monitoring).toEqual({ enabled: true });
    expect(ofType(stack, "aws_key_pair").map((k) => k.public_key)).toEqual([ED25519]);
  });

  test("adding an AZ widens the one group (same address) and adds an instance", () => {
    const groups = (azs: string[]) => stackFor({ azs }).resource.aws_autoscaling_group as Record<string, Json>;
    const two = groups(["us-east-1a", "us-east-1c"]);
    const three = groups(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(Object.keys(two)).toEqual(Object.keys(three));
    expect(Object.keys(three)).toHaveLength(1);
    const [key] = Object.keys(three);
    expect([two[key].vpc_zone_identifier.length, two[key].desired_capacity]).toEqual([2, 2]);
    expect([three[key].vpc_zone_identifier.length, three[key].desired_capacity]).toEqual([3, 3]);
  });
});

describe("bastions switched off", () => {
  test("enabled: false creates no bastion group, role or alarm, and SSH is not required", () => {
    const [env] = validated(envInput({ bastion: { enabled: false, access: "ssm" }, ssh: { allowList: [] } }));
    const network = new NetworkStack(Testing.app(), env);
    expect(network.bastion).toBeUndefined();
    const stack = JSON.parse(Testing.synth(network)) as Json;
    expect(ofType(stack, "aws_autoscaling_group").filter((g) => /bastion/.test(g.name))).toEqual([]);
    expect(ofType(stack, "aws_launch_template").filter((t) => /bastion/.test(t.name))).toEqual([]);
    expect(ofType(stack, "aws_cloudwatch_metric_alarm").filter((a) => /bastion/.test(a.alarm_name))).toEqual([]);
  });
});
