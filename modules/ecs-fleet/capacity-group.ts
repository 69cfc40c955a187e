import { Construct } from "constructs";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Parking, ParkingSchedule } from "../parking";

export interface CapacityGroupProps {
  /** Physical name of the group, its launch template and capacity provider, e.g. `harbor-dev-spot`. */
  readonly name: string;
  /** `onDemand` or `spot`: how the group buys instances. */
  readonly purchase: "onDemand" | "spot";
  /** Instance types, at least two; spot draws from their pools price-capacity-optimized. */
  readonly instanceTypes: readonly string[];
  readonly min: number;
  readonly max: number;
  /** Private subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** AMI id (the ECS-optimized AMI from its SSM public parameter). */
  readonly imageId: string;
  readonly instanceProfileArn: string;
  /** Base64 user data (ECS agent configuration). */
  readonly userData: string;
  /** Root volume (encrypted gp3), GiB. @default 30 */
  readonly volumeSizeGiB?: number;
  /** How full ECS managed scaling keeps the group, percent. @default 100 */
  readonly targetCapacityPercent?: number;
  /** Scale the group to zero outside working hours. @default never parked */
  readonly parking?: ParkingSchedule;
}

/**
 * One auto scaling group of ECS container instances and the capacity provider that lets ECS
 * scale it: launch template with IMDSv2 (hop limit 1, so containers cannot reach instance
 * credentials), an encrypted root volume, managed scaling to a target capacity, managed
 * termination protection (instances with tasks are not scaled in) and managed draining.
 */
export class CapacityGroup extends Construct {
  public readonly capacityProviderName: string;
  public readonly autoScalingGroupName: string;
  public readonly autoScalingGroupArn: string;

  constructor(scope: Construct, id: string, props: CapacityGroupProps) {
    super(scope, id);
    if (props.instanceTypes.length < 2) throw new Error(`CapacityGroup ${props.name}: instanceTypes must list at least 2 types, got ${props.instanceTypes.length}`);
    if (!(Number.isInteger(props.min) && props.min >= 0 && props.min <= props.max)) throw new Error(`CapacityGroup ${props.name}: need 0 <= min <= max, got min ${props.min}, max ${props.max}`);
    if (props.subnetIds.length === 0) throw new Error(`CapacityGroup ${props.name}: subnetIds must not be empty`);
    const target = props.targetCapacityPercent ?? 100;
    if (!(target >= 1 && target <= 100)) throw new Error(`CapacityGroup ${props.name}: targetCapacityPercent must be 1 to 100, got ${target}`);

    const template = new LaunchTemplate(this, "template", {
      name: props.name,
      description: `ECS container instances (${props.purchase === "spot" ? "spot" : "on-demand"})`,
      imageId: props.imageId,
      iamInstanceProfile: { arn: props.instanceProfileArn },
      vpcSecurityGroupIds: [...props.securityGroupIds],
      userData: props.userData,
      updateDefaultVersion: true,
      ebsOptimized: "true",
      monitoring: { enabled: true },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: props.volumeSizeGiB ?? 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: props.name } },
        { resourceType: "volume", tags: { Name: props.name } },
      ],
    });

    const spot = props.purchase === "spot";
    const group = new AutoscalingGroup(this, "group", {
      name: props.name,
      minSize: props.min,
      maxSize: props.max,
      desiredCapacity: props.min,
      vpcZoneIdentifier: [...props.subnetIds],
      // Managed termination protection: ECS decides which instances may go.
      protectFromScaleIn: true,
      // Scale-in protected instances never leave a group set to zero, so without this a destroy
      // waits forever for the drain (the platform is destroyed after its services: nothing runs).
      forceDelete: true,
      // Replace spot instances at elevated interruption risk before they are reclaimed.
      capacityRebalance: spot,
      healthCheckType: "EC2",
      mixedInstancesPolicy: {
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: template.id, version: "$Latest" },
          override: props.instanceTypes.map((t) => ({ instanceType: t })),
        },
        instancesDistribution: spot
          ? { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: "price-capacity-optimized" }
          : { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 100, onDemandAllocationStrategy: "lowest-price" },
      },
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 90 } },
      tag: [
        { key: "Name", value: props.name, propagateAtLaunch: true },
        // ECS adds this tag to groups it manages; declaring it avoids a perpetual diff.
        { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
      ],
      // ECS managed scaling owns the desired capacity.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });

    const provider = new EcsCapacityProvider(this, "provider", {
      name: props.name,
      autoScalingGroupProvider: {
        autoScalingGroupArn: group.arn,
        managedTerminationProtection: "ENABLED",
        managedDraining: "ENABLED",
        managedScaling: { status: "ENABLED", targetCapacity: target, minimumScalingStepSize: 1, maximumScalingStepSize: 10, instanceWarmupPeriod: 300 },
      },
    });

    if (props.parking) {
      new Parking(this, "parking", { autoScalingGroupName: group.name, schedule: props.parking, capacity: { min: props.min, max: props.max, desired: props.min } });
    }

    this.capacityProviderName = provider.name;
    this.autoScalingGroupName = group.name;
    this.autoScalingGroupArn = group.arn;
  }
}
