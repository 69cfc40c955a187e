import { Construct } from "constructs";
import { ITerraformDependable, Token } from "cdktf";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { Parking, ParkingSchedule } from "../parking";

/** Capacity type of a managed node group. */
export type CapacityType = "ON_DEMAND" | "SPOT";

export interface ManagedNodeGroupProps {
  /** Physical name of the node group and its launch template, `<project>-<env>-<role>`. */
  readonly name: string;
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  /** Private subnets the nodes run in. */
  readonly subnetIds: readonly string[];
  /** Security groups of the nodes: the cluster security group plus any the platform adds. */
  readonly securityGroupIds: readonly string[];
  readonly capacityType: CapacityType;
  /** Instance types; SPOT groups should list several of one size. */
  readonly instanceTypes: readonly string[];
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  /** Root volume size in GiB (gp3, encrypted). @default 50 */
  readonly diskGiB?: number;
  /** EKS AMI type. @default "AL2023_x86_64_STANDARD" */
  readonly amiType?: string;
  /** Kubernetes labels of the nodes. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Park the group's auto scaling group on this schedule. @default never parked */
  readonly parking?: ParkingSchedule;
  /** Resources the group must wait for (e.g. the vpc-cni add-on). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * An EKS managed node group on a launch template that enforces IMDSv2 (hop limit 1: pods cannot
 * reach the node's credentials) and an encrypted gp3 root volume, with the AMI chosen by EKS
 * (`amiType`). The desired size is left to the cluster autoscaler after creation. Optionally parked
 * through the group's auto scaling group.
 */
export class ManagedNodeGroup extends Construct {
  public readonly nodeGroupName: string;
  /** Name of the auto scaling group EKS created for the group. */
  public readonly autoScalingGroupName: string;
  public readonly launchTemplateId: string;
  /** The node group resource, for `dependsOn` (e.g. add-ons that need nodes). */
  public readonly resource: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const disk = props.diskGiB ?? 50;
    if (props.instanceTypes.length === 0) throw new Error(`ManagedNodeGroup ${props.name}: instanceTypes must list at least one type, got none`);
    if (props.capacityType === "SPOT" && props.instanceTypes.length < 2) {
      throw new Error(`ManagedNodeGroup ${props.name}: a SPOT group needs at least two instanceTypes, got ${props.instanceTypes.join(", ")}`);
    }
    if (!(props.min >= 0 && props.min <= props.desired && props.desired <= props.max && props.max >= 1)) {
      throw new Error(`ManagedNodeGroup ${props.name}: sizes must satisfy 0 <= min <= desired <= max, max >= 1; got min ${props.min}, desired ${props.desired}, max ${props.max}`);
    }
    if (!Number.isInteger(disk) || disk < 20 || disk > 1000) throw new Error(`ManagedNodeGroup ${props.name}: diskGiB must be 20 to 1000, got ${disk}`);
    if (props.subnetIds.length === 0) throw new Error(`ManagedNodeGroup ${props.name}: subnetIds must not be empty`);

    const lt = new LaunchTemplate(this, "launch-template", {
      name: props.name,
      description: `EKS managed node group ${props.name}`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: disk, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: props.name } },
        { resourceType: "volume", tags: { Name: props.name } },
      ],
    });
    const group = new EksNodeGroup(this, "group", {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      capacityType: props.capacityType,
      instanceTypes: [...props.instanceTypes],
      amiType: props.amiType ?? "AL2023_x86_64_STANDARD",
      scalingConfig: { minSize: props.min, maxSize: props.max, desiredSize: props.desired },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: lt.id, version: Token.asString(lt.latestVersion) },
      labels: { ...(props.labels ?? {}) },
      // The cluster autoscaler and parking move the desired size; Terraform keeps min and max.
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
    this.resource = group;
    this.nodeGroupName = group.nodeGroupName;
    this.launchTemplateId = lt.id;
    this.autoScalingGroupName = group.resources.get(0).autoscalingGroups.get(0).name;
    if (props.parking) {
      new Parking(this, "parking", {
        autoScalingGroupName: this.autoScalingGroupName,
        schedule: props.parking,
        capacity: { min: props.min, max: props.max, desired: props.desired },
      });
    }
  }
}
