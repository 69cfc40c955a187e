import type { SecretReference } from "./descriptor";

/**
 * From a descriptor's secret reference to the ARN a platform hands its runtime: the one place
 * that turns a parameter or secret *name* into an ARN in the deploying account, partition and
 * region. The ECS task definition and its execution policy use it; so can the EKS side (an
 * External Secrets / CSI `SecretProviderClass` needs the same ARN).
 */

/** Where the platform is deployed: the account usually a token (`data.aws_caller_identity`), the partition from the region. */
export interface DeployTarget {
  readonly accountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
  readonly region: string;
}

/** An SSM parameter ARN a descriptor may give (another account or region). */
export const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]+$/;
/** A Secrets Manager secret ARN, optionally with `:json-key:version-stage:version-id`. */
export const SECRETS_MANAGER_ARN = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)(?::([^:]*):([^:]*):([^:]*))?$/;
/** An SSM parameter name: `/a/b/c` (hierarchical) or `name`; `aws` and `ssm` prefixes are reserved. */
export const SSM_PARAMETER_NAME = /^(\/[A-Za-z0-9_.-]+)+$|^[A-Za-z0-9_.-]+$/;
/** A Secrets Manager secret name, optionally with `:json-key::`. */
export const SECRETS_MANAGER_NAME = /^([A-Za-z0-9/_+=.@-]{1,512})(?::([^:]*):([^:]*):([^:]*))?$/;

/**
 * The ARN of the parameter or secret (without any JSON-key suffix): a full ARN as given, a name
 * resolved in `target` (`/harbor/bravo/api-key` -> `arn:<partition>:ssm:<region>:<account>:parameter/harbor/bravo/api-key`).
 */
export function secretArn(secret: Pick<SecretReference, "source" | "ref">, target: DeployTarget): string {
  if (secret.ref.startsWith("arn:")) return secret.ref;
  if (secret.source === "ssm") {
    return `arn:${target.partition}:ssm:${target.region}:${target.accountId}:parameter${secret.ref.startsWith("/") ? "" : "/"}${secret.ref}`;
  }
  return `arn:${target.partition}:secretsmanager:${target.region}:${target.accountId}:secret:${secret.ref}`;
}

/** What ECS `secrets[].valueFrom` takes: the ARN, with `:<json-key>::` for a key of a Secrets Manager secret. */
export function secretValueFrom(secret: SecretReference, target: DeployTarget): string {
  const arn = secretArn(secret, target);
  return secret.source === "secretsmanager" && secret.jsonKey ? `${arn}:${secret.jsonKey}::` : arn;
}

/**
 * The IAM statements that let a runtime read exactly these secrets: `ssm:GetParameters` on the
 * parameters, `secretsmanager:GetSecretValue` on the secrets (each ARN and `<ARN>-??????`, since
 * Secrets Manager appends six random characters to a secret's name in its ARN). Empty for none.
 */
export function secretReadStatements(secrets: readonly SecretReference[], target: DeployTarget): object[] {
  const ssm = [...new Set(secrets.filter((x) => x.source === "ssm").map((x) => secretArn(x, target)))].sort();
  const sm = [...new Set(secrets.filter((x) => x.source === "secretsmanager").flatMap((x) => {
    const arn = secretArn(x, target);
    return [arn, `${arn}-??????`];
  }))].sort();
  const out: object[] = [];
  if (ssm.length) out.push({ Sid: "Parameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: ssm });
  if (sm.length) out.push({ Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: sm });
  return out;
}
