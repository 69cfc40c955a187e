import { Construct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";

export interface LogsKeyProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  /** Region whose CloudWatch Logs service may use the key. */
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Days before a scheduled deletion of the key completes. @default 30 */
  readonly deletionWindowDays?: number;
}

/**
 * A customer-managed KMS key, rotated yearly, that CloudWatch Logs in this account and region may
 * use to encrypt log groups. The account root keeps full control (so IAM policies decide who else
 * may use it).
 */
export class LogsKey extends Construct {
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: LogsKeyProps) {
    super(scope, id);
    const window = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(window) || window < 7 || window > 30) {
      throw new Error(`LogsKey: deletionWindowDays must be 7 to 30, got ${window}`);
    }
    const key = new KmsKey(this, "key", {
      description: `${props.namePrefix} CloudWatch Logs encryption`,
      enableKeyRotation: true,
      deletionWindowInDays: window,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministration",
            Effect: "Allow",
            Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "CloudWatchLogs",
            Effect: "Allow",
            Principal: { Service: `logs.${props.region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
              ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${props.partition}:logs:${props.region}:${props.accountId}:*` },
            },
          },
        ],
      }),
    });
    new KmsAlias(this, "alias", { name: `alias/${props.namePrefix}-logs`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
  }
}
