import { Construct } from "constructs";
import { Fn } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Parking, ParkingSchedule } from "../parking";
import { serviceTrustPolicy, policyDocument } from "../iam/policy";
import { DEFAULT_NAT_INSTANCE_TYPE, natInstanceTypeProblem } from "./rules";
import { partitionOf } from "../../lib/partition";

/** SSM public parameter of the Amazon Linux 2023 arm64 AMI (has the AWS CLI and nftables). */
export const NAT_INSTANCE_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

export interface NatInstanceProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /**
   * Public subnets the group may launch the instance in: every AZ's, so a replacement can start
   * in another AZ when one fails.
   */
  readonly subnetIds: readonly string[];
  /** Private route tables whose default route the instance takes over when it boots. */
  readonly privateRouteTables: readonly { readonly id: string; readonly arn: string }[];
  /** An arm64 (Graviton) instance type. @default "t4g.nano" */
  readonly instanceType?: string;
  /** Park the instance with the rest of the environment (no outbound internet while parked). @default never parked */
  readonly parking?: ParkingSchedule;
}

/**
 * A NAT instance: an auto scaling group of exactly one small instance over every AZ's public
 * subnet (the group picks one; a replacement may start in another AZ). At boot
 * the instance turns its source/destination check off, enables masquerading, and points the
 * private route tables' default route at itself, so a replacement (the group replaces a dead
 * instance automatically) takes over without a Terraform run. About a tenth of a NAT gateway's
 * fixed cost, for sandboxes and other small environments; not highly available.
 *
 * The default routes are therefore owned by the instance, not by Terraform.
 */
export class NatInstance extends Construct {
  public readonly autoScalingGroupName: string;
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: NatInstanceProps) {
    super(scope, id);
    const instanceType = props.instanceType ?? DEFAULT_NAT_INSTANCE_TYPE;
    const typeProblem = natInstanceTypeProblem(instanceType);
    if (typeProblem) throw new Error(`NatInstance: instanceType ${typeProblem}, got ${instanceType}`);
    if (props.privateRouteTables.length === 0) throw new Error("NatInstance: privateRouteTables must not be empty");
    if (props.subnetIds.length === 0) throw new Error("NatInstance: subnetIds must list at least one public subnet");
    const name = `${props.namePrefix}-nat-instance`;

    const sg = this.securityGroup(props, name);
    const profile = this.instanceProfile(props, name);
    const script = natBootScript(props.region, props.privateRouteTables);

    const template = new LaunchTemplate(this, "template", {
      name,
      description: "NAT instance",
      imageId: `resolve:ssm:${NAT_INSTANCE_AMI_PARAMETER}`,
      instanceType,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" },
      networkInterfaces: [{ associatePublicIpAddress: "true", deleteOnTermination: "true", deviceIndex: 0, securityGroups: [sg.id] }],
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 8, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      userData: Fn.base64encode(script),
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: name, NatInstance: name } },
        { resourceType: "volume", tags: { Name: name } },
      ],
      updateDefaultVersion: true,
    });
    const asg = new AutoscalingGroup(this, "asg", {
      name,
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      // Any AZ: whichever instance runs takes every private route table over at boot.
      vpcZoneIdentifier: [...props.subnetIds],
      healthCheckType: "EC2",
      healthCheckGracePeriod: 60,
      launchTemplate: { id: template.id, version: "$Latest" },
      tag: [{ key: "Name", value: name, propagateAtLaunch: true }],
    });
    if (props.parking) new Parking(this, "parking", { autoScalingGroupName: asg.name, schedule: props.parking, capacity: { min: 1, max: 1, desired: 1 } });
    this.autoScalingGroupName = asg.name;
    this.securityGroupId = sg.id;
  }

  /** The instance's security group: everything from inside the VPC in, everything out to the internet. */
  private securityGroup(props: NatInstanceProps, name: string): SecurityGroup {
    const sg = new SecurityGroup(this, "sg", {
      name,
      description: "NAT instance: forwards traffic from inside the VPC to the internet",
      vpcId: props.vpcId,
      tags: { Name: name },
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupIngressRule(this, "from-vpc", {
      securityGroupId: sg.id,
      description: "All traffic from inside the VPC (to be forwarded)",
      ipProtocol: "-1",
      cidrIpv4: props.vpcCidr,
    });
    new VpcSecurityGroupEgressRule(this, "to-internet", {
      securityGroupId: sg.id,
      description: "Forwarded traffic to the internet",
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    return sg;
  }

  /** The instance's role and profile: Session Manager, the private default routes, and its own source/destination check. */
  private instanceProfile(props: NatInstanceProps, name: string): IamInstanceProfile {
    const role = new IamRole(this, "role", {
      name,
      description: "NAT instance: takes over the private default routes and disables its source/destination check",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "ssm", { role: role.name, policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/AmazonSSMManagedInstanceCore` });
    new IamRolePolicy(this, "routes", {
      name: "nat-instance",
      role: role.id,
      policy: policyDocument([
          { Sid: "Routes", Effect: "Allow", Action: ["ec2:CreateRoute", "ec2:ReplaceRoute"], Resource: props.privateRouteTables.map((rt) => rt.arn) },
          {
            Sid: "OwnSourceDestCheck",
            Effect: "Allow",
            Action: "ec2:ModifyInstanceAttribute",
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/NatInstance": name } },
          },
        ]),
    });
    const profile = new IamInstanceProfile(this, "profile", { name, role: role.name });
    return profile;
  }
}

/**
 * The NAT instance's boot script: turn the source/destination check off, enable forwarding and
 * masquerading, and point every private route table's default route at this instance.
 */
function natBootScript(region: string, privateRouteTables: NatInstanceProps["privateRouteTables"]): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    // No double quotes: the script is a Terraform string expression (base64encode of it).
    "TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
    "IID=$(curl -s -H X-aws-ec2-metadata-token:$TOKEN http://169.254.169.254/latest/meta-data/instance-id)",
    `aws ec2 modify-instance-attribute --region ${region} --instance-id $IID --no-source-dest-check`,
    "sysctl -w net.ipv4.ip_forward=1",
    "echo net.ipv4.ip_forward=1 > /etc/sysctl.d/90-nat.conf",
    "IFACE=$(ip route show default | awk '{print $5; exit}')",
    "nft add table ip nat",
    "nft 'add chain ip nat postrouting { type nat hook postrouting priority 100 ; }'",
    "nft add rule ip nat postrouting oifname $IFACE masquerade",
    `for RT in ${privateRouteTables.map((rt) => rt.id).join(" ")}; do`,
    `  aws ec2 replace-route --region ${region} --route-table-id $RT --destination-cidr-block 0.0.0.0/0 --instance-id $IID ||`,
    `    aws ec2 create-route --region ${region} --route-table-id $RT --destination-cidr-block 0.0.0.0/0 --instance-id $IID`,
    "done",
    "",
  ].join("\n");
}
