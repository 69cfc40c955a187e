import { Construct } from "constructs";
import { customerManagedKey } from "../kms-key";

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
    const key = customerManagedKey(this, {
      description: `${props.namePrefix} databases: storage, snapshots, master secrets, Performance Insights`,
      alias: `${props.namePrefix}-data`,
      accountId: props.accountId,
      partition: props.partition,
      deletionWindowDays: props.deletionWindowDays,
    });
    this.keyArn = key.arn;
  }
}
