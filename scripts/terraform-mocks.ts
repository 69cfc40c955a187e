/**
 * The mocks of the Terraform check's `terraform test` run: remote-state outputs shaped like their
 * producers', the mocked AWS provider's defaults and ARNs, and the ACM validation overrides.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const REMOTE_REF = /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_.-]+?)(?=[^A-Za-z0-9_-]|$)/g;

/** A plausible mocked value for a producer's output, shaped like its value expression. */
export function mockOutputValue(producer: Json | undefined, output: string): unknown {
  const value = producer?.output?.[output]?.value;
  if (Array.isArray(value)) return value.map((_, i) => `mock-${output}-${i}`);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).map((k) => [k, `mock-${k}`]));
  const expr = typeof value === "string" ? value : "";
  if (/\[\*\]|^\$\{\[|tolist\(|toset\(|\.ids\}$/.test(expr)) return [`mock-${output}-0`, `mock-${output}-1`];
  if (/cidr_block\}$/.test(expr)) return "10.99.0.0/16";
  if (/\.partition\}$/.test(expr)) return "aws";
  if (/\.account_id\}$/.test(expr)) return "123456789012";
  if (/\.arn\}$/.test(expr)) return `arn:aws:mock:us-east-1:123456789012:${output.replace(/[^A-Za-z0-9-]/g, "-")}`;
  if (/\.(port|count|number)\}$/.test(expr)) return 443;
  return `mock-${output.replace(/[^A-Za-z0-9-]/g, "-").slice(-60)}`;
}

export function hclValue(v: unknown): string {
  // JSON is valid HCL expression syntax; strings never contain `${` here.
  return JSON.stringify(v);
}

/** Resource and data source types whose schema has a computed `arn` (mocked values must look like ARNs). */
export interface ArnTypes {
  readonly resources: readonly string[];
  readonly dataSources: readonly string[];
}

function mockArn(type: string): string {
  const service = type.split("_")[1] ?? "mock";
  return `arn:aws:${service}:us-east-1:123456789012:${type.replace(/_/g, "-")}/mock`;
}

/**
 * Mocked attribute values the real provider validates by shape (beyond ARNs), by resource type.
 * Add a line when a type's mocked id or attribute fails provider validation.
 */
export const MOCK_RESOURCE_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  aws_launch_template: { id: "lt-0123456789abcdef0" },
  // manage_master_user_password: RDS creates the secret; outputs read master_user_secret[0].secret_arn.
  aws_db_instance: { master_user_secret: [{ secret_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-mock", kms_key_id: "", secret_status: "active" }] },
  aws_rds_cluster: { master_user_secret: [{ secret_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-mock", kms_key_id: "", secret_status: "active" }] },
  // EKS node groups expose their auto scaling group (parking, target-group attachments) as resources[0].autoscaling_groups[0].name.
  aws_eks_node_group: { resources: [{ autoscaling_groups: [{ name: "eks-mock-asg" }], remote_access_security_group_id: "" }] },
};

/** Same for data sources (resources validate ARNs built from them). */
export const MOCK_DATA_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_partition: { partition: "aws", dns_suffix: "amazonaws.com" },
};

export function mockBlocks(stackJson: readonly Json[], arnTypes: ArnTypes): string {
  const used = (kind: "resource" | "data") => new Set(stackJson.flatMap((j) => Object.keys(j[kind] ?? {})));
  const blocks = (kind: "resource" | "data") => {
    const withArn = kind === "resource" ? arnTypes.resources : arnTypes.dataSources;
    const extra = kind === "resource" ? MOCK_RESOURCE_DEFAULTS : MOCK_DATA_DEFAULTS;
    const keyword = kind === "resource" ? "mock_resource" : "mock_data";
    return [...used(kind)]
      .sort()
      .map((t) => ({ t, values: { ...(withArn.includes(t) ? { arn: mockArn(t) } : {}), ...(extra[t] ?? {}) } }))
      .filter(({ values }) => Object.keys(values).length > 0)
      .map(({ t, values }) => `  ${keyword} "${t}" {\n    defaults = ${hclValue(values)}\n  }`);
  };
  return [...blocks("resource"), ...blocks("data")].join("\n");
}

/**
 * ACM certificates: the mock gives `domain_validation_options` as an empty set, but validation
 * records look up their name in it. At apply, give each certificate one option per name on it,
 * shaped as ACM returns them (and an ARN).
 */
export function acmValidationOverrides(stack: string, json: Json): string[] {
  return Object.entries((json.resource?.aws_acm_certificate ?? {}) as Record<string, Json>).map(([name, cert]) => {
    const names = [cert.domain_name, ...((cert.subject_alternative_names as string[] | undefined) ?? [])].filter((n): n is string => typeof n === "string");
    const options = names.map((n) => ({ domain_name: n, resource_record_name: `_mock.${n}.`, resource_record_type: "CNAME", resource_record_value: `_mock.acm-validations.aws.` }));
    // An override replaces the mock's defaults, so the ARN is given here too.
    const arn = `arn:aws:acm:us-east-1:123456789012:certificate/${name.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`;
    return `override_resource {\n  target = module.${stack}.aws_acm_certificate.${name}\n  values = { arn = ${hclValue(arn)}, domain_validation_options = ${hclValue(options)} }\n}\n`;
  });
}
