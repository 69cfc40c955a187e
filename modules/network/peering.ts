import { Construct } from "constructs";
import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { overlaps, parseCidr } from "./cidr";

export interface GuestPeeringProps {
  /** Name tag of the peering, `<project>-<guest>-to-<host>`. */
  readonly name: string;
  /** The guest's VPC: its ALB sits in the public subnets. */
  readonly guest: {
    readonly vpcId: string;
    readonly vpcCidr: string;
    readonly publicRouteTableId: string;
    /** The ALB's subnets (the only sources the host accepts). */
    readonly albSubnetCidrs: readonly string[];
    readonly albSecurityGroupId: string;
  };
  /** The host's VPC: the cluster's nodes and pods sit in the private subnets. */
  readonly host: {
    readonly vpcId: string;
    readonly vpcCidr: string;
    /** Private route tables by AZ name. */
    readonly privateRouteTableIds: Readonly<Record<string, string>>;
    /** The security group of the nodes (and so of the pods' ENIs). */
    readonly podSecurityGroupId: string;
  };
  /** Container ports the guest's ALB reaches pods on. */
  readonly ports: readonly number[];
}

/**
 * How a guest environment's own edge reaches its pods in the host's cluster: a VPC peering
 * (same account and region, accepted on creation; the environments' CIDRs never overlap, which
 * config validation enforces), a route from the guest's public subnets (the ALB) to the host's
 * VPC, routes back from the host's private subnets to the guest's ALB subnets only, the host's
 * node security group opened on the service ports to those subnets only, and the guest ALB's
 * security group allowed out to the host's VPC on those ports. Nothing else crosses.
 */
export class GuestPeering extends Construct {
  public readonly peeringConnectionId: string;

  constructor(scope: Construct, id: string, props: GuestPeeringProps) {
    super(scope, id);
    const g = parseCidr(props.guest.vpcCidr);
    const h = parseCidr(props.host.vpcCidr);
    if (!g || !h) throw new Error(`GuestPeering ${props.name}: VPC CIDRs must be IPv4 blocks, got ${props.guest.vpcCidr} and ${props.host.vpcCidr}`);
    if (overlaps(g, h)) throw new Error(`GuestPeering ${props.name}: the guest's VPC ${props.guest.vpcCidr} overlaps the host's ${props.host.vpcCidr}; peered VPCs must not overlap`);
    if (props.guest.albSubnetCidrs.length === 0) throw new Error(`GuestPeering ${props.name}: albSubnetCidrs must list the ALB's subnets`);
    const peering = new VpcPeeringConnection(this, "peering", {
      vpcId: props.guest.vpcId,
      peerVpcId: props.host.vpcId,
      autoAccept: true,
      tags: { Name: props.name },
    });
    new Route(this, "guest-to-host", { routeTableId: props.guest.publicRouteTableId, destinationCidrBlock: props.host.vpcCidr, vpcPeeringConnectionId: peering.id });
    const ports = [...new Set(props.ports)].sort((a, b) => a - b);
    for (const [az, rt] of Object.entries(props.host.privateRouteTableIds).sort(([a], [b]) => a.localeCompare(b))) {
      for (const cidr of props.guest.albSubnetCidrs) {
        new Route(this, `host-${az}-to-${cidr.replace(/[./]/g, "-")}`, { routeTableId: rt, destinationCidrBlock: cidr, vpcPeeringConnectionId: peering.id });
      }
    }
    for (const port of ports) {
      for (const cidr of props.guest.albSubnetCidrs) {
        new VpcSecurityGroupIngressRule(this, `pods-${port}-from-${cidr.replace(/[./]/g, "-")}`, {
          securityGroupId: props.host.podSecurityGroupId,
          description: `Pods on ${port} from ${props.name} guest ALB subnet ${cidr}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
      }
      new VpcSecurityGroupEgressRule(this, `alb-to-host-${port}`, {
        securityGroupId: props.guest.albSecurityGroupId,
        description: `To pods in the host VPC ${props.host.vpcCidr} on ${port} (over ${props.name})`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: props.host.vpcCidr,
      });
    }
    this.peeringConnectionId = peering.id;
  }
}
