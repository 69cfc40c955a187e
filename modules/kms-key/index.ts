import { Construct } from "constructs";
import { TerraformProvider, Token } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { policyDocument } from "../iam/policy";

/** One key policy statement, as AWS writes it (PascalCase keys). */
export type KeyPolicyStatement = Record<string, unknown>;

export interface CustomerManagedKeyProps {
  /** What the key encrypts (the key's description). */
  readonly description: string;
  /** Alias without the `alias/` prefix, e.g. `harbor-dev-logs`. */
  readonly alias: string;
  readonly accountId: string;
  readonly partition: string;
  /** Statements for service principals, after the account-root statement. @default none */
  readonly statements?: readonly KeyPolicyStatement[];
  /** Days before a scheduled deletion completes (7 to 30). @default 30 */
  readonly deletionWindowDays?: number;
  /** `prevent_destroy` on the key (production data keys). @default false */
  readonly protect?: boolean;
  /** Provider of another region (a key is regional). @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Construct ids of the key and its alias in `scope`; they are Terraform addresses. @default "key", "alias" */
  readonly ids?: { readonly key: string; readonly alias: string };
}

/** What a module's own key takes from its caller: the name prefix, the account and the deletion window. */
export interface OwnedKeyProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
  /** Days before a scheduled deletion completes (7 to 30). @default 30 */
  readonly deletionWindowDays?: number;
}

/**
 * A module's own key: alias `<namePrefix>-<purpose>`, description `<namePrefix> <what>`, the
 * caller's account and deletion window, and `more` (service statements, provider, protection).
 */
export function ownedKey(
  scope: Construct,
  props: OwnedKeyProps,
  purpose: string,
  what: string,
  more: Omit<CustomerManagedKeyProps, "description" | "alias" | "accountId" | "partition" | "deletionWindowDays"> = {},
): KmsKey {
  return customerManagedKey(scope, {
    description: `${props.namePrefix} ${what}`,
    alias: `${props.namePrefix}-${purpose}`,
    accountId: props.accountId,
    partition: props.partition,
    deletionWindowDays: props.deletionWindowDays,
    ...more,
  });
}

/**
 * A customer-managed KMS key, rotated yearly, whose policy lets the account root administer it
 * (so IAM policies decide who else may use it) plus the given service statements, and its alias.
 * The key and alias are created directly in `scope` (no wrapper construct), so the callers keep
 * their resource addresses.
 */
export function customerManagedKey(scope: Construct, props: CustomerManagedKeyProps): KmsKey {
  const window = props.deletionWindowDays ?? 30;
  if (!Number.isInteger(window) || window < 7 || window > 30) {
    throw new Error(`customerManagedKey ${props.alias}: deletionWindowDays must be 7 to 30, got ${window}`);
  }
  if (!Token.isUnresolved(props.alias) && !/^[A-Za-z0-9/_-]{1,250}$/.test(props.alias)) {
    throw new Error(`customerManagedKey: alias must be letters, digits, / _ and -, got ${JSON.stringify(props.alias)}`);
  }
  const ids = props.ids ?? { key: "key", alias: "alias" };
  const key = new KmsKey(scope, ids.key, {
    provider: props.provider,
    description: props.description,
    enableKeyRotation: true,
    deletionWindowInDays: window,
    policy: policyDocument([
        { Sid: "AccountAdministration", Effect: "Allow", Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` }, Action: "kms:*", Resource: "*" },
        ...(props.statements ?? []),
      ]),
    lifecycle: props.protect ? { preventDestroy: true } : undefined,
  });
  new KmsAlias(scope, ids.alias, { provider: props.provider, name: `alias/${props.alias}`, targetKeyId: key.keyId });
  return key;
}
