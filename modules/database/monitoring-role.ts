import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { serviceTrustPolicy } from "../iam/policy";

export interface MonitoringRoleProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
}

/**
 * The role RDS enhanced monitoring uses to publish OS metrics to CloudWatch Logs (`RDSOSMetrics`),
 * with the AWS-managed `AmazonRDSEnhancedMonitoringRole` policy; only this account's RDS may
 * assume it.
 */
export class MonitoringRole extends Construct {
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: MonitoringRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: `${props.namePrefix}-rds-monitoring`,
      description: "RDS enhanced monitoring",
      assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", { condition: { StringEquals: { "aws:SourceAccount": props.accountId } } }),
    });
    new IamRolePolicyAttachment(this, "policy", {
      role: role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    this.roleArn = role.arn;
  }
}
