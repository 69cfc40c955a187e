import { Construct } from "constructs";
import { Token } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KeyPair } from "@cdktf/provider-aws/lib/key-pair";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Parking, ParkingSchedule } from "../parking";
import { al2023AmiParameter, architectureOf, INSTANCE_TYPE } from "./image";
import { publicKeyProblem } from "./public-key";

export { al2023AmiParameter, architectureOf, isArm64InstanceType } from "./image";
export { publicKeyProblem, PUBLIC_KEY_TYPES, MIN_RSA_BITS } from "./public-key";

/** The only policy the bastion role carries: what the SSM agent needs for Session Manager. */
export const SESSION_MANAGER_POLICY = "AmazonSSMManagedInstanceCore";

/** Root device of the Amazon Linux 2023 images. */
const ROOT_DEVICE = "/dev/xvda";

/** Replaced instances pick up the newest AL2023 image (resolved at launch), so none lives longer than this. */
const MAX_INSTANCE_LIFETIME_SECONDS = 14 * 24 * 3600;

export interface BastionProps {
  /** Prefix of physical names, `<project>-<env>`; resources are named `<prefix>-bastion[-<az>]`. */
  readonly namePrefix: string;
  /** Public subnet ids keyed by AZ name: one bastion group (of one instance) per entry. */
  readonly subnetIds: Readonly<Record<string, string>>;
  /** The bastion security group (from the security-group chain; its ingress is the access policy). */
  readonly securityGroupId: string;
  /** AWS partition, for the managed policy ARN (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /**
   * Give the instances a role with AmazonSSMManagedInstanceCore (and nothing else), so people can
   * connect with Session Manager. False: no instance profile at all.
   * @default true
   */
  readonly sessionManager?: boolean;
  /** @default "t4g.micro" (Graviton types run the arm64 image, others x86_64) */
  readonly instanceType?: string;
  /** One-minute CloudWatch metrics. @default false */
  readonly detailedMonitoring?: boolean;
  /** OpenSSH public key imported as the EC2 key pair. Never a private key. @default no key pair */
  readonly publicKey?: string;
  /** Encrypted gp3 root volume size. @default 8 (the AL2023 image's size) */
  readonly rootVolumeSizeGiB?: number;
  /** Park every bastion group on this schedule (to zero at `stop`, back to one at `start`). @default never parked */
  readonly parking?: ParkingSchedule;
  /**
   * Tags for the instances, their volumes and network interfaces (the provider's default_tags do
   * not reach resources launched by an auto scaling group). `Name` and `Duty=Bastion` are added.
   * @default none
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
}

/**
 * Bastion hosts: one auto scaling group per AZ, each keeping exactly one instance in that AZ's
 * public subnet, from one launch template (Amazon Linux 2023 from the SSM public parameter,
 * IMDSv2 only with hop limit 1, encrypted gp3 root volume, public IP, the bastion security group).
 *
 * Why one group per AZ rather than one group with capacity = number of AZs: the goal is a bastion
 * in every AZ. A single group spreads instances only on a best-effort basis (after an AZ outage it
 * puts the replacement in a surviving AZ and rebalances later), while a group per AZ keeps each AZ's
 * bastion in that AZ, gives every bastion a stable, AZ-keyed Terraform address, alarm and parking
 * schedule, and lets adding or removing an AZ leave the other groups untouched.
 *
 * EC2 health checks replace an instance whose status checks fail (launch before terminate).
 */
export class Bastion extends Construct {
  /** Auto scaling group names keyed by AZ name (one group of one instance per AZ). */
  public readonly autoScalingGroupNames: Readonly<Record<string, string>>;
  /** Auto scaling group ARNs keyed by AZ name. */
  public readonly autoScalingGroupArns: Readonly<Record<string, string>>;
  public readonly launchTemplateId: string;
  /** The bastion security group id (as given). */
  public readonly securityGroupId: string;
  /** Instance role name, or undefined when `sessionManager` is false. */
  public readonly roleName: string | undefined;
  /** EC2 key pair name, or undefined when no public key was given. */
  public readonly keyPairName: string | undefined;
  public readonly instanceType: string;
  public readonly architecture: "arm64" | "x86_64";
  /** SSM public parameter the image comes from. */
  public readonly amiParameter: string;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const instanceType = props.instanceType ?? "t4g.micro";
    const rootVolumeSizeGiB = props.rootVolumeSizeGiB ?? 8;
    const azs = Object.keys(props.subnetIds);
    if (azs.length === 0) throw new Error("Bastion: subnetIds must list at least one AZ's public subnet, got none");
    if (!Token.isUnresolved(instanceType) && !INSTANCE_TYPE.test(instanceType)) {
      throw new Error(`Bastion: instanceType must be an EC2 instance type such as t4g.micro, got "${instanceType}"`);
    }
    if (!Token.isUnresolved(rootVolumeSizeGiB) && !(Number.isInteger(rootVolumeSizeGiB) && rootVolumeSizeGiB >= 8 && rootVolumeSizeGiB <= 16384)) {
      throw new Error(`Bastion: rootVolumeSizeGiB must be a whole number from 8 (the image's size) to 16384, got ${rootVolumeSizeGiB}`);
    }
    if (props.publicKey !== undefined && !Token.isUnresolved(props.publicKey)) {
      const problem = publicKeyProblem(props.publicKey);
      if (problem) throw new Error(`Bastion: publicKey ${problem}`);
    }

    const name = `${props.namePrefix}-bastion`;
    this.instanceType = instanceType;
    this.architecture = architectureOf(instanceType);
    this.amiParameter = al2023AmiParameter(this.architecture);
    this.securityGroupId = props.securityGroupId;

    let instanceProfileArn: string | undefined;
    if (props.sessionManager ?? true) {
      const role = new IamRole(this, "role", {
        name,
        description: "Bastion hosts: Session Manager only",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      });
      new IamRolePolicyAttachment(this, "session-manager", {
        role: role.name,
        policyArn: `arn:${props.partition}:iam::aws:policy/${SESSION_MANAGER_POLICY}`,
      });
      instanceProfileArn = new IamInstanceProfile(this, "profile", { name, role: role.name }).arn;
      this.roleName = role.name;
    }

    if (props.publicKey !== undefined) {
      this.keyPairName = new KeyPair(this, "key", { keyName: name, publicKey: props.publicKey.trim() }).keyName;
    }

    const instanceTags = { ...props.instanceTags, Name: name, Duty: "Bastion" };
    const template = new LaunchTemplate(this, "launch-template", {
      name,
      description: "Bastion hosts (Amazon Linux 2023)",
      // Resolved by EC2 at every launch, so replacements get the newest patched image without a
      // Terraform change (the template does not churn when AWS publishes a new AMI).
      imageId: `resolve:ssm:${this.amiParameter}`,
      instanceType,
      keyName: this.keyPairName,
      updateDefaultVersion: true,
      iamInstanceProfile: instanceProfileArn ? { arn: instanceProfileArn } : undefined,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      monitoring: { enabled: props.detailedMonitoring ?? false },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "true",
          deleteOnTermination: "true",
          securityGroups: [props.securityGroupId],
        },
      ],
      blockDeviceMappings: [
        {
          deviceName: ROOT_DEVICE,
          ebs: { volumeType: "gp3", volumeSize: rootVolumeSizeGiB, encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: instanceTags })),
    });
    this.launchTemplateId = template.id;

    const names: Record<string, string> = {};
    const arns: Record<string, string> = {};
    for (const az of azs) {
      const group = new AutoscalingGroup(this, `group-${az}`, {
        name: `${name}-${az}`,
        vpcZoneIdentifier: [props.subnetIds[az]],
        minSize: 1,
        maxSize: 1,
        desiredCapacity: 1,
        // By name: ids are assigned by AWS, the name is ours (and stable).
        launchTemplate: { name: template.name, version: Token.asString(template.latestVersion) },
        healthCheckType: "EC2",
        healthCheckGracePeriod: 120,
        maxInstanceLifetime: MAX_INSTANCE_LIFETIME_SECONDS,
        // Replace (unhealthy, expired or refreshed) instances by launching the new one first.
        instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
        instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } },
        tag: Object.entries({ ...instanceTags, Name: `${name}-${az}` }).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
        // Parking changes the sizes on schedule; Terraform must not undo that on the next apply.
        lifecycle: props.parking ? { ignoreChanges: ["min_size", "max_size", "desired_capacity"] } : undefined,
      });
      names[az] = group.name;
      arns[az] = group.arn;
      if (props.parking) {
        new Parking(this, `parking-${az}`, { autoScalingGroupName: group.name, schedule: props.parking, capacity: { min: 1, max: 1, desired: 1 } });
      }
    }
    this.autoScalingGroupNames = names;
    this.autoScalingGroupArns = arns;
  }
}
