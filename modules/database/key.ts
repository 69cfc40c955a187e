import { Construct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";

export interface DatabaseKeyProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
  /** Days before a scheduled deletion completes. @default 30 */
  readonly deletionWindowDays?: number;
}

/**
 * The customer-managed key of an environment's databases (storage, snapshots, the RDS-managed
 * master secrets, Performance Insights), rotated yearly. The account root administers it, so IAM
 * policies decide who may use it; RDS and Secrets Manager use it through grants on the caller's
 * behalf.
 */
export class DatabaseKey extends Construct {
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: DatabaseKeyProps) {
    super(scope, id);
    const window = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(window) || window < 7 || window > 30) throw new Error(`DatabaseKey: deletionWindowDays must be 7 to 30, got ${window}`);
    const key = new KmsKey(this, "key", {
      description: `${props.namePrefix} databases: storage, snapshots, master secrets, Performance Insights`,
      enableKeyRotation: true,
      deletionWindowInDays: window,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "AccountAdministration", Effect: "Allow", Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` }, Action: "kms:*", Resource: "*" }],
      }),
    });
    new KmsAlias(this, "alias", { name: `alias/${props.namePrefix}-data`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
  }
}
