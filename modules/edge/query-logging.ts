import { Construct } from "constructs";
import { TerraformProvider, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { Route53QueryLog } from "@cdktf/provider-aws/lib/route53-query-log";
import { LogsKey } from "../logs-key";
import { policyDocument } from "../iam/policy";

/** Route 53 delivers public DNS query logs only to CloudWatch Logs in this region. */
export const QUERY_LOG_REGION = "us-east-1";

export interface ZoneQueryLoggingProps {
  /** The public hosted zone's id. */
  readonly zoneId: string;
  /** The zone's domain (names the log group `/aws/route53/<domain>`). */
  readonly domain: string;
  /** Prefix of physical names (the key alias `<prefix>-dns-query-logs`, the resource policy). */
  readonly namePrefix: string;
  /** Days to keep the query logs (a CloudWatch Logs retention value). */
  readonly retentionDays: number;
  readonly accountId: string;
  readonly partition: string;
  /** A provider in us-east-1 (the log group, its key and its resource policy live there). */
  readonly provider: TerraformProvider;
}

/**
 * DNS query logging of a public hosted zone (checkov CKV2_AWS_39): a log group in us-east-1,
 * encrypted with its own rotating KMS key and kept `retentionDays`; a CloudWatch Logs resource
 * policy that lets only Route 53 write, only into that group, only for this zone of this account
 * (`aws:SourceArn`, `aws:SourceAccount`); and the zone's query-logging configuration.
 */
export class ZoneQueryLogging extends Construct {
  public readonly logGroupName: string;
  public readonly logGroupArn: string;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: ZoneQueryLoggingProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.retentionDays) && !(Number.isInteger(props.retentionDays) && props.retentionDays >= 1)) {
      throw new Error(`ZoneQueryLogging: retentionDays must be a whole number of days, got ${props.retentionDays}`);
    }
    const provider = props.provider;
    const key = new LogsKey(this, "key", {
      namePrefix: `${props.namePrefix}-dns-query`,
      region: QUERY_LOG_REGION,
      accountId: props.accountId,
      partition: props.partition,
      provider,
    });
    const group = new CloudwatchLogGroup(this, "log-group", {
      provider,
      name: `/aws/route53/${props.domain}`,
      retentionInDays: props.retentionDays,
      kmsKeyId: key.keyArn,
    });
    const policy = new CloudwatchLogResourcePolicy(this, "policy", {
      provider,
      policyName: `${props.namePrefix}-route53-query-logging`,
      policyDocument: policyDocument([
          {
            Sid: "Route53QueryLogs",
            Effect: "Allow",
            Principal: { Service: "route53.amazonaws.com" },
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${group.arn}:*`,
            Condition: {
              StringEquals: { "aws:SourceAccount": props.accountId },
              ArnLike: { "aws:SourceArn": `arn:${props.partition}:route53:::hostedzone/${props.zoneId}` },
            },
          },
        ]),
    });
    new Route53QueryLog(this, "query-log", {
      provider,
      zoneId: props.zoneId,
      cloudwatchLogGroupArn: group.arn,
      dependsOn: [policy],
    });
    this.logGroupName = group.name;
    this.logGroupArn = group.arn;
    this.keyArn = key.keyArn;
  }
}
