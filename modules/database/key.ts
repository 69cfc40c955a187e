import { Construct } from "constructs";
import { OwnedKeyProps, ownedKey } from "../kms-key";

export type DatabaseKeyProps = OwnedKeyProps;

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
    const key = ownedKey(this, props, "data", "databases: storage, snapshots, master secrets, Performance Insights");
    this.keyArn = key.arn;
  }
}
