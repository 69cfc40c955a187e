import { Construct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { planSubnets, SubnetPair } from "./layout";
import { FlowLogs, FlowLogsProps } from "./flow-logs";
import { NatInstance } from "./nat-instance";
import { ParkingSchedule } from "../parking";

export type NatStrategy = "perAz" | "single" | "instance" | "none";

export interface NetworkProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Region (for endpoint service names). */
  readonly region: string;
  /** VPC CIDR block, /16 to /28. */
  readonly cidr: string;
  /** Availability Zones, 2 to 6, by name. Resources are keyed by AZ name. */
  readonly azs: readonly string[];
  /** Prefix length of each private subnet. */
  readonly privatePrefixLength: number;
  /** Prefix length of each public subnet. */
  readonly publicPrefixLength: number;
  /** NAT layout. */
  readonly nat: {
    readonly strategy: NatStrategy;
    /** AZ of the single NAT gateway (strategy `single`). @default the first AZ */
    readonly az?: string;
    /** Instance type of the NAT instance (strategy `instance`). @default "t4g.nano" */
    readonly instanceType?: string;
  };
  /** VPC flow logs. */
  readonly flowLogs: Omit<FlowLogsProps, "namePrefix" | "vpcId">;
  /** Parking schedule; only a NAT instance is parked (NAT gateways cannot be). @default never parked */
  readonly parking?: ParkingSchedule;
  /** Add S3 and DynamoDB gateway endpoints to the private route tables. @default true */
  readonly gatewayEndpoints?: boolean;
}

/**
 * A VPC over two to six AZs: one public and one private subnet per AZ (keyed by AZ name, CIDRs from
 * a fixed slot per AZ letter), an internet gateway, NAT gateways (or a NAT instance) per strategy, one shared public
 * route table and one private route table per AZ, flow logs, the default security group stripped
 * of all rules, and S3/DynamoDB gateway endpoints.
 */
export class Network extends Construct {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  /** Public subnet id by AZ name. */
  public readonly publicSubnetIds: Readonly<Record<string, string>>;
  /** Private subnet id by AZ name. */
  public readonly privateSubnetIds: Readonly<Record<string, string>>;
  public readonly publicRouteTableId: string;
  /** Private route table id by AZ name. */
  public readonly privateRouteTableIds: Readonly<Record<string, string>>;
  /** NAT gateway id by the AZ that hosts it. */
  public readonly natGatewayIds: Readonly<Record<string, string>>;
  /** The NAT instance (strategy `instance`), if any. */
  public readonly natInstance?: NatInstance;
  /** The computed subnet plan (CIDRs per AZ). */
  public readonly subnets: readonly SubnetPair[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (props.azs.length < 2 || props.azs.length > 6) {
      throw new Error(`Network: azs must list 2 to 6 Availability Zones, got ${props.azs.length}`);
    }
    const natAz = props.nat.az ?? props.azs[0];
    if (props.nat.strategy === "single" && !props.azs.includes(natAz)) {
      throw new Error(`Network: nat.az must be one of ${props.azs.join(", ")}, got ${natAz}`);
    }
    this.subnets = planSubnets(props.cidr, props.azs, props.privatePrefixLength, props.publicPrefixLength);
    const name = (role: string) => nameTag(props.namePrefix, role);

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: name("vpc"),
    });
    // The default security group is managed only to remove its allow-all rules (CIS 5.4).
    new DefaultSecurityGroup(this, "default-sg", {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: name("default-deny"),
    });
    const igw = new InternetGateway(this, "igw", { vpcId: vpc.id, tags: name("igw") });

    const { publicRt, publicSubnets, nats } = this.publicTier(props, vpc.id, igw, natAz);
    const { privateSubnets, privateRts, privateRtArns } = this.privateTier(props, vpc.id, nats, natAz);

    if (props.nat.strategy === "instance") {
      this.natInstance = new NatInstance(this, "nat-instance", {
        namePrefix: props.namePrefix,
        region: props.region,
        vpcId: vpc.id,
        vpcCidr: props.cidr,
        subnetIds: props.azs.map((az) => publicSubnets[az]),
        privateRouteTables: props.azs.map((az) => ({ id: privateRts[az], arn: privateRtArns[az] })),
        instanceType: props.nat.instanceType,
        parking: props.parking,
      });
    }

    if (props.gatewayEndpoints ?? true) this.gatewayEndpoints(props, vpc.id, privateRts);

    new FlowLogs(this, "flow-logs", { ...props.flowLogs, namePrefix: props.namePrefix, vpcId: vpc.id });

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.publicSubnetIds = publicSubnets;
    this.privateSubnetIds = privateSubnets;
    this.publicRouteTableId = publicRt.id;
    this.privateRouteTableIds = privateRts;
    this.natGatewayIds = nats;
  }

  /**
   * The public tier: the route table to the internet gateway and per AZ a public subnet; NAT
   * gateways (with their Elastic IPs) in every AZ (`perAz`) or in `nat.az` only (`single`).
   */
  private publicTier(props: NetworkProps, vpcId: string, igw: InternetGateway, natAz: string) {
    const name = (role: string) => nameTag(props.namePrefix, role);
    const publicRt = new RouteTable(this, "public-rt", { vpcId, tags: name("public") });
    new Route(this, "public-default", { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    const publicSubnets: Record<string, string> = {};
    const nats: Record<string, string> = {};
    for (const pair of this.subnets) {
      const az = pair.az;
      const pub = new Subnet(this, `public-${az}`, {
        vpcId,
        availabilityZone: az,
        cidrBlock: pair.publicCidr,
        // Instances in public subnets (bastions, NAT instances) get public IPs from their launch templates.
        mapPublicIpOnLaunch: false,
        tags: { ...name(`public-${az}`), Tier: "public", "kubernetes.io/role/elb": "1" },
      });
      new RouteTableAssociation(this, `public-rta-${az}`, { subnetId: pub.id, routeTableId: publicRt.id });
      publicSubnets[az] = pub.id;

      const nat = props.nat.strategy === "perAz" || (props.nat.strategy === "single" && az === natAz);
      if (nat) {
        const eip = new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: name(`nat-${az}`), dependsOn: [igw] });
        const gw = new NatGateway(this, `nat-${az}`, {
          allocationId: eip.allocationId,
          subnetId: pub.id,
          tags: name(`nat-${az}`),
          dependsOn: [igw],
        });
        nats[az] = gw.id;
      }
    }
    return { publicRt, publicSubnets, nats };
  }

  /** The private tier: per AZ a private subnet and its own route table, defaulting to its NAT gateway if any. */
  private privateTier(props: NetworkProps, vpcId: string, nats: Readonly<Record<string, string>>, natAz: string) {
    const name = (role: string) => nameTag(props.namePrefix, role);
    const privateSubnets: Record<string, string> = {};
    const privateRts: Record<string, string> = {};
    const privateRtArns: Record<string, string> = {};
    for (const pair of this.subnets) {
      const az = pair.az;
      const priv = new Subnet(this, `private-${az}`, {
        vpcId,
        availabilityZone: az,
        cidrBlock: pair.privateCidr,
        mapPublicIpOnLaunch: false,
        tags: { ...name(`private-${az}`), Tier: "private", "kubernetes.io/role/internal-elb": "1" },
      });
      const rt = new RouteTable(this, `private-rt-${az}`, { vpcId, tags: name(`private-${az}`) });
      new RouteTableAssociation(this, `private-rta-${az}`, { subnetId: priv.id, routeTableId: rt.id });
      const natId = props.nat.strategy === "perAz" ? nats[az] : props.nat.strategy === "single" ? nats[natAz] : undefined;
      if (natId) {
        new Route(this, `private-default-${az}`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: natId });
      }
      privateSubnets[az] = priv.id;
      privateRts[az] = rt.id;
      privateRtArns[az] = rt.arn;
    }
    return { privateSubnets, privateRts, privateRtArns };
  }

  /** Gateway endpoints for S3 and DynamoDB on the private route tables (free, and keep that traffic off the NAT). */
  private gatewayEndpoints(props: NetworkProps, vpcId: string, privateRts: Readonly<Record<string, string>>): void {
    for (const service of ["s3", "dynamodb"]) {
      new VpcEndpoint(this, `endpoint-${service}`, {
        vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Gateway",
        routeTableIds: props.azs.map((az) => privateRts[az]),
        tags: nameTag(props.namePrefix, `${service}-endpoint`),
      });
    }
  }
}

/** The `Name` tag of a network resource: `<project>-<env>-<role>`. */
function nameTag(namePrefix: string, role: string): { Name: string } {
  return { Name: `${namePrefix}-${role}` };
}
