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
import { serviceTrustPolicy } from "../iam/policy";

export { al2023AmiParameter, architectureOf, isArm64InstanceType } from "./image";
export { publicKeyProblem, PUBLIC_KEY_TYPES, MIN_RSA_BITS } from "./public-key";

/** The only policy the bastion role carries: what the SSM agent needs for Session Manager. */
export const SESSION_MANAGER_POLICY = "AmazonSSMManagedInstanceCore";

/** Root device of the Amazon Linux 2023 images. */
const ROOT_DEVICE = "/dev/xvda";

/** Replaced instances pick up the newest AL2023 image (resolved at launch), so none lives longer than this. */
const MAX_INSTANCE_LIFETIME_SECONDS = 14 * 24 * 3600;

export interface BastionProps {
  /** Prefix of physical names, `<project>-<env>`; resources are named `<prefix>-bastion`. */
  readonly namePrefix: string;
  /** Public subnet ids keyed by AZ name: the group spans all of them. */
  readonly subnetIds: Readonly<Record<string, string>>;
  /** Bastions the group keeps running. @default one per AZ (the number of `subnetIds`) */
  readonly desiredCapacity?: number;
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
  /** Park the group on this schedule (to zero at `stop`, back to `desiredCapacity` at `start`). @default never parked */
  readonly parking?: ParkingSchedule;
  /**
   * Tags for the instances, their volumes and network interfaces (the provider's default_tags do
   * not reach resources launched by an auto scaling group). `Name` and `Duty=Bastion` are added.
   * @default none
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
}

/**
 * Bastion hosts: ONE auto scaling group over every AZ's public subnet, keeping one instance per AZ
 * by default, from one launch template (Amazon Linux 2023 from the SSM public parameter, IMDSv2
 * only with hop limit 1, encrypted gp3 root volume, public IP, the bastion security group).
 *
 * One spread group rather than a group per AZ: when an AZ fails, the group launches that AZ's
 * bastion in a surviving AZ at once (a one-AZ group could not), and AZ rebalancing moves it back
 * when the AZ returns. It is also the shape AWS Security Hub checks for (AutoScaling.2: a group
 * spans several AZs). A changed launch template rolls the instances (instance refresh); EC2 health
 * checks replace an instance whose status checks fail (launch before terminate).
 */
export class Bastion extends Construct {
  /** The bastions' auto scaling group (`<prefix>-bastion`), over every AZ's public subnet. */
  public readonly autoScalingGroupName: string;
  public readonly autoScalingGroupArn: string;
  /** Instances the group keeps: one per AZ unless `desiredCapacity` says otherwise. */
  public readonly desiredCapacity: number;
  /** The public subnets the group launches into, in AZ order. */
  public readonly subnetIds: readonly string[];
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
    validateBastionProps(props, instanceType, rootVolumeSizeGiB);

    const name = `${props.namePrefix}-bastion`;
    this.instanceType = instanceType;
    this.architecture = architectureOf(instanceType);
    this.amiParameter = al2023AmiParameter(this.architecture);
    this.securityGroupId = props.securityGroupId;

    const sessionManager = (props.sessionManager ?? true) ? this.sessionManagerRole(name, props.partition) : undefined;
    const instanceProfileArn = sessionManager?.profileArn;
    this.roleName = sessionManager?.roleName;

    if (props.publicKey !== undefined) {
      this.keyPairName = new KeyPair(this, "key", { keyName: name, publicKey: props.publicKey.trim() }).keyName;
    }

    const instanceTags = { ...props.instanceTags, Name: name, Duty: "Bastion" };
    const template = this.launchTemplate(name, props, instanceTags, rootVolumeSizeGiB, instanceProfileArn);
    this.launchTemplateId = template.id;

    const desired = props.desiredCapacity ?? azs.length;
    const group = this.group(name, props, template, instanceTags, desired);
    this.autoScalingGroupName = group.name;
    this.autoScalingGroupArn = group.arn;
    this.desiredCapacity = desired;
    this.subnetIds = azs.map((az) => props.subnetIds[az]);
  }

  /** The hosts' launch template: the newest AL2023 image at each launch, IMDSv2 only, an encrypted gp3 root. */
  private launchTemplate(name: string, props: BastionProps, instanceTags: Record<string, string>, rootVolumeSizeGiB: number, instanceProfileArn: string | undefined): LaunchTemplate {
    return new LaunchTemplate(this, "launch-template", {
      name,
      description: "Bastion hosts (Amazon Linux 2023)",
      // Resolved by EC2 at every launch, so replacements get the newest patched image without a
      // Terraform change (the template does not churn when AWS publishes a new AMI).
      imageId: `resolve:ssm:${this.amiParameter}`,
      instanceType: this.instanceType,
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
  }

  /** One bastion per AZ, replaced launch-first; parked on schedule when `parking` is set. */
  private group(name: string, props: BastionProps, template: LaunchTemplate, instanceTags: Record<string, string>, desired: number): AutoscalingGroup {
    const azs = Object.keys(props.subnetIds);
    const group = new AutoscalingGroup(this, "group", {
      name,
      // Every AZ's public subnet: the group spreads its instances one per AZ, replaces a lost AZ's
      // bastion in a surviving AZ, and moves it back once the AZ returns (AZRebalance, never suspended).
      vpcZoneIdentifier: azs.map((az) => props.subnetIds[az]),
      minSize: desired,
      maxSize: desired,
      desiredCapacity: desired,
      // By name: ids are assigned by AWS, the name is ours (and stable).
      launchTemplate: { name: template.name, version: Token.asString(template.latestVersion) },
      healthCheckType: "EC2",
      healthCheckGracePeriod: 120,
      maxInstanceLifetime: MAX_INSTANCE_LIFETIME_SECONDS,
      // Replace (unhealthy, expired, rebalanced or refreshed) instances by launching the new one first.
      instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
      // A changed launch template (the version above) starts a rolling instance refresh.
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } },
      tag: Object.entries({ ...instanceTags, Name: name }).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
      // Parking changes the sizes on schedule; Terraform must not undo that on the next apply.
      lifecycle: props.parking ? { ignoreChanges: ["min_size", "max_size", "desired_capacity"] } : undefined,
    });
    if (props.parking) {
      new Parking(this, "parking", { autoScalingGroupName: group.name, schedule: props.parking, capacity: { min: desired, max: desired, desired } });
    }
    return group;
  }

  /** The hosts' role (Session Manager only) and its instance profile. */
  private sessionManagerRole(name: string, partition: string): { roleName: string; profileArn: string } {
    const role = new IamRole(this, "role", {
      name,
      description: "Bastion hosts: Session Manager only",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "session-manager", {
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:policy/${SESSION_MANAGER_POLICY}`,
    });
    const profileArn = new IamInstanceProfile(this, "profile", { name, role: role.name }).arn;
    return { roleName: role.name, profileArn };
  }
}

/** The props' rules, one throw each: subnets, desired capacity, instance type, root volume size, public key. */
function validateBastionProps(props: BastionProps, instanceType: string, rootVolumeSizeGiB: number): void {
  const azs = Object.keys(props.subnetIds);
  if (azs.length === 0) throw new Error("Bastion: subnetIds must list at least one AZ's public subnet, got none");
  if (props.desiredCapacity !== undefined && !(Number.isInteger(props.desiredCapacity) && props.desiredCapacity >= 1 && props.desiredCapacity <= 50)) {
    throw new Error(`Bastion: desiredCapacity must be a whole number from 1 to 50, got ${props.desiredCapacity}`);
  }
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
}
