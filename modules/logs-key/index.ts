import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { OwnedKeyProps, ownedKey } from "../kms-key";

export interface LogsKeyProps extends OwnedKeyProps {
  /** Region whose CloudWatch Logs service may use the key. */
  readonly region: string;
  /** Provider of `region`, when it is not the stack's default one. @default the default provider */
  readonly provider?: TerraformProvider;
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
    const key = ownedKey(this, props, "logs", "CloudWatch Logs encryption", {
      provider: props.provider,
      statements: [
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
    });
    this.keyArn = key.arn;
  }
}
