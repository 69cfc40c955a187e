import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LogBucket } from "../log-bucket";
import { serviceTrustPolicy, policyDocument } from "../iam/policy";

export interface FlowLogsProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** `cloudwatch`: a log group with retention and KMS encryption; `s3`: a locked-down bucket with expiry. */
  readonly destination: "cloudwatch" | "s3";
  /** Days to keep flow logs. */
  readonly retentionDays: number;
  /** @default "ALL" */
  readonly trafficType?: "ALL" | "ACCEPT" | "REJECT";
  /** KMS key that encrypts the log group (destination `cloudwatch`). */
  readonly kmsKeyArn: string;
  /** Account id, for the delivery role's confused-deputy condition. */
  readonly accountId: string;
  /** Protect the S3 bucket from destroy. @default false */
  readonly protect?: boolean;
}

/** VPC flow logs to CloudWatch Logs (least-privilege delivery role) or to S3. */
export class FlowLogs extends Construct {
  /** ARN of the log group or bucket that receives the logs. */
  public readonly destinationArn: string;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const trafficType = props.trafficType ?? "ALL";
    if (props.destination === "cloudwatch") {
      const group = new CloudwatchLogGroup(this, "log-group", {
        name: `/aws/vpc-flow-logs/${props.namePrefix}`,
        retentionInDays: props.retentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
      const role = new IamRole(this, "role", {
        name: `${props.namePrefix}-flow-logs`,
        description: "Delivers VPC flow logs to CloudWatch Logs",
        assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", { condition: { StringEquals: { "aws:SourceAccount": props.accountId } } }),
      });
      new IamRolePolicy(this, "policy", {
        name: "deliver-flow-logs",
        role: role.id,
        policy: policyDocument([
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: [group.arn, `${group.arn}:*`],
            },
          ]),
      });
      new FlowLog(this, "flow-log", {
        vpcId: props.vpcId,
        trafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
      });
      this.destinationArn = group.arn;
    } else {
      const bucket = new LogBucket(this, "bucket", {
        bucketName: `${props.namePrefix}-flow-logs-${props.accountId}`,
        expirationDays: props.retentionDays,
        protect: props.protect,
        deliveryStatements: (arn) => [
          {
            Sid: "AWSLogDeliveryWrite",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/AWSLogs/${props.accountId}/*`,
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
          },
          {
            Sid: "AWSLogDeliveryAclCheck",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: arn,
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
          },
        ],
      });
      new FlowLog(this, "flow-log", {
        vpcId: props.vpcId,
        trafficType,
        logDestinationType: "s3",
        logDestination: bucket.bucketArn,
        maxAggregationInterval: 600,
        destinationOptions: { fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true },
        dependsOn: [bucket.policy],
      });
      this.destinationArn = bucket.bucketArn;
    }
  }
}
