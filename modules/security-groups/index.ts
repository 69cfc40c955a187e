import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { sshAllowListProblem } from "../network/rules";

/** Name of the AWS-managed prefix list of CloudFront's origin-facing addresses. */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/** Port ranges the platform layers reach targets on; see docs/stacks-and-network.md "Security-group chain". */
export const TARGET_PORTS = { from: 1024, to: 65535 } as const;

export interface SecurityGroupChainProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** CIDRs that may reach the bastions on 22. Empty: no SSH ingress at all (Session Manager only). */
  readonly sshAllowList: readonly string[];
  /** Database ports the `data` group accepts from the app and bastion groups. @default [3306, 5432] */
  readonly databasePorts?: readonly number[];
}

/**
 * The security-group chain every layer builds on:
 *
 * | group | ingress |
 * |---|---|
 * | `bastion` | 22 from the SSH allow-list only |
 * | `fromBastion` | 22 from `bastion` (anything a person may SSH to) |
 * | `alb` | 443 and 80 from CloudFront's origin-facing prefix list only |
 * | `app` | from `alb` only, on ports the platform layers add |
 * | `data` | database ports from `app` and `bastion` only |
 *
 * No group accepts ingress from 0.0.0.0/0 and every rule carries a description.
 */
export class SecurityGroupChain extends Construct {
  public readonly bastionSgId: string;
  public readonly fromBastionSgId: string;
  public readonly albSgId: string;
  public readonly appSgId: string;
  public readonly dataSgId: string;
  /** Id of the CloudFront origin-facing prefix list. */
  public readonly cloudFrontPrefixListId: string;

  constructor(scope: Construct, id: string, props: SecurityGroupChainProps) {
    super(scope, id);
    for (const cidr of props.sshAllowList) {
      const problem = sshAllowListProblem(cidr);
      if (problem) throw new Error(`SecurityGroupChain: sshAllowList entry ${cidr} ${problem}`);
    }
    const dbPorts = props.databasePorts ?? [3306, 5432];
    const group = (role: string, description: string) =>
      new SecurityGroup(this, role, {
        name: `${props.namePrefix}-${role}`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${role}` },
        lifecycle: { createBeforeDestroy: true },
      });
    const bastion = group("bastion", "Bastion hosts: SSH from the allow-list only");
    const fromBastion = group("from-bastion", "Hosts reachable over SSH from the bastions");
    const alb = group("alb", "Load balancer: HTTPS/HTTP from CloudFront origin-facing addresses only");
    const app = group("app", "Container hosts and tasks: traffic from the load balancer only");
    const data = group("data", "Databases: from the app and bastion groups only");

    const prefixList = new DataAwsEc2ManagedPrefixList(this, "cloudfront", { name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST });

    const ingress = (key: string, sg: SecurityGroup, description: string, port: { from: number; to?: number }, source: { cidr?: string; sg?: string; prefixList?: string }) =>
      new VpcSecurityGroupIngressRule(this, key, {
        securityGroupId: sg.id,
        description,
        ipProtocol: "tcp",
        fromPort: port.from,
        toPort: port.to ?? port.from,
        cidrIpv4: source.cidr,
        referencedSecurityGroupId: source.sg,
        prefixListId: source.prefixList,
      });
    const egress = (key: string, sg: SecurityGroup, description: string, port: { from: number; to?: number } | "all", dest: { cidr?: string; sg?: string }) =>
      new VpcSecurityGroupEgressRule(this, key, {
        securityGroupId: sg.id,
        description,
        ipProtocol: port === "all" ? "-1" : "tcp",
        fromPort: port === "all" ? undefined : port.from,
        toPort: port === "all" ? undefined : port.to ?? port.from,
        cidrIpv4: dest.cidr,
        referencedSecurityGroupId: dest.sg,
      });

    // bastion: SSH in from the allow-list; out to SSH inside the VPC, HTTPS for Session Manager and updates, and the databases.
    props.sshAllowList.forEach((cidr) => ingress(`bastion-ssh-${cidr.replace(/[./]/g, "-")}`, bastion, `SSH from allow-listed ${cidr}`, { from: 22 }, { cidr }));
    egress("bastion-to-vpc-ssh", bastion, "SSH to hosts in the VPC", { from: 22 }, { cidr: props.vpcCidr });
    egress("bastion-to-https", bastion, "HTTPS to AWS APIs (Session Manager) and package repositories", { from: 443 }, { cidr: "0.0.0.0/0" });
    dbPorts.forEach((p) => egress(`bastion-to-data-${p}`, bastion, `Database port ${p} to the data group (tunnels)`, { from: p }, { sg: data.id }));

    ingress("from-bastion-ssh", fromBastion, "SSH from the bastion group", { from: 22 }, { sg: bastion.id });

    ingress("alb-https", alb, "HTTPS from CloudFront origin-facing addresses", { from: 443 }, { prefixList: prefixList.id });
    ingress("alb-http", alb, "HTTP from CloudFront origin-facing addresses (redirected to HTTPS)", { from: 80 }, { prefixList: prefixList.id });
    egress("alb-to-app", alb, "To targets in the app group (dynamic host ports and NodePorts)", TARGET_PORTS, { sg: app.id });

    egress("app-all", app, "Outbound from containers (image pulls, AWS APIs, databases)", "all", { cidr: "0.0.0.0/0" });

    dbPorts.forEach((p) => {
      ingress(`data-from-app-${p}`, data, `Database port ${p} from the app group`, { from: p }, { sg: app.id });
      ingress(`data-from-bastion-${p}`, data, `Database port ${p} from the bastion group (tunnels)`, { from: p }, { sg: bastion.id });
    });

    this.bastionSgId = bastion.id;
    this.fromBastionSgId = fromBastion.id;
    this.albSgId = alb.id;
    this.appSgId = app.id;
    this.dataSgId = data.id;
    this.cloudFrontPrefixListId = prefixList.id;
  }
}
