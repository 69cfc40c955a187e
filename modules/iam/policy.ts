/**
 * IAM policy documents, written once: every role's trust policy and every inline policy in the
 * project is built here, so the document shape (version, statement keys and their order) is the
 * same everywhere and a reviewer reads intent (`serviceTrustPolicy("ec2.amazonaws.com")`) rather
 * than JSON.
 */

/** One statement of a policy document (IAM's own key names, emitted in this order). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: unknown;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A statement of a role's own (identity) policy: always named, always scoped to resources. */
export interface IdentityPolicyStatement extends PolicyStatement {
  readonly Sid: string;
  readonly Resource: string | readonly string[];
}

/**
 * A policy document (IAM policy language version 2012-10-17) as the JSON string IAM takes. Modules
 * with their own statement types (KMS key policies, bucket policies) pass those.
 */
export function policyDocument(statements: readonly object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Session tags too: what EKS (the control plane and Pod Identity) needs to assume a role. */
export const ASSUME_WITH_TAGS = ["sts:AssumeRole", "sts:TagSession"] as const;

/**
 * The trust policy letting an AWS service assume a role (`ec2.amazonaws.com`,
 * `pods.eks.amazonaws.com`, ...), optionally only on behalf of a source account or ARN.
 */
export function serviceTrustPolicy(
  service: string,
  opts: { readonly sid?: string; readonly actions?: string | readonly string[]; readonly condition?: PolicyStatement["Condition"] } = {},
): string {
  return policyDocument([{ Sid: opts.sid, Effect: "Allow", Principal: { Service: service }, Action: opts.actions ?? "sts:AssumeRole", Condition: opts.condition }]);
}
