import { SECRETS_MANAGER_ARN, SECRETS_MANAGER_NAME, SSM_PARAMETER_ARN, SSM_PARAMETER_NAME } from "./secrets";
import type { SecretReference } from "./descriptor";
import type { Json, Report, ServiceContext } from "./map-context";
import { ENV_NAME } from "./map-environment";

/**
 * The service's `secrets`: each a reference to an SSM parameter or a Secrets Manager secret
 * declared under the top-level `secrets`, injected as an environment variable. Literal secret
 * values are rejected.
 */

export function mapSecrets(doc: Json, value: unknown, path: (string | number)[], report: Report): SecretReference[] {
  if (value === undefined) return [];
  const defs = (doc.secrets ?? {}) as Record<string, Json>;
  const out: SecretReference[] = [];
  (value as unknown[]).forEach((item, i) => {
    const ref = secretOfItem(defs, item, [...path, i], report);
    if (ref) out.push(ref);
  });
  const seen = new Set<string>();
  for (const s of out) {
    if (seen.has(s.name)) report(path, s.name, `sets ${s.name} twice`);
    seen.add(s.name);
  }
  return out;
}

/** A variable is given once: as a secret or under `environment`, not both. */
export function checkSecretsNotInEnvironment(environment: Record<string, string>, secrets: readonly SecretReference[], { at, report }: ServiceContext): void {
  for (const s of secrets) {
    if (environment[s.name] !== undefined) report(at("environment", s.name), environment[s.name], `is also a secret (${s.name}); give it once`);
  }
}

/** One entry of the service's `secrets` (a name, or `{ source, target }`) and the variable it sets. */
function secretOfItem(defs: Record<string, Json>, item: unknown, p: (string | number)[], report: Report): SecretReference | undefined {
  let source: string;
  let target: string | undefined;
  if (typeof item === "string") source = item;
  else {
    const o = item as Json;
    source = o.source as string;
    target = o.target as string | undefined;
    for (const k of ["uid", "gid", "mode"]) if (o[k] !== undefined) report([...p, k], o[k], "is not supported: secrets are given to the container as environment variables");
  }
  const envName = target ?? source.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
  if (!ENV_NAME.test(envName)) {
    report(target !== undefined ? [...p, "target"] : p, envName, "must be an environment variable name: the secret is injected as that variable");
    return undefined;
  }
  const def = defs[source];
  if (!def) {
    report(p, source, `refers to no secret: declare it under the top-level secrets with name: <SSM parameter name, e.g. /harbor/<service>/<key>> and external: true`);
    return undefined;
  }
  return secretOfDefinition(def, ["secrets", source], envName, report);
}

/** A top-level secret definition (at `dp`): external, in SSM or Secrets Manager, named or given by ARN. */
function secretOfDefinition(def: Json, dp: (string | number)[], envName: string, report: Report): SecretReference | undefined {
  for (const literal of ["file", "environment", "content"]) {
    if (def[literal] !== undefined) {
      report([...dp, literal], literal === "file" ? def[literal] : "(redacted)", "is a literal secret value: secrets must be references (name: an SSM parameter or Secrets Manager secret, external: true)");
      return undefined;
    }
  }
  if (def.external === false) {
    report([...dp, "external"], false, "must be true (or left out): secrets live in SSM Parameter Store or Secrets Manager");
    return undefined;
  }
  const store = def["x-store"] ?? "ssm";
  if (store !== "ssm" && store !== "secretsmanager") {
    report([...dp, "x-store"], store, "must be \"ssm\" (SSM Parameter Store, the default) or \"secretsmanager\" (Secrets Manager)");
    return undefined;
  }
  const ref = def.name;
  if (typeof ref !== "string" || ref === "") {
    report([...dp, "name"], ref, "must name the SSM parameter (/harbor/<service>/<key>) or, with x-store: secretsmanager, the Secrets Manager secret; a full ARN is accepted for another account or region");
    return undefined;
  }
  if (ref.startsWith("arn:")) return secretOfArn(ref, envName, dp, report);
  if (store === "ssm") {
    if (!SSM_PARAMETER_NAME.test(ref) || ref.length > 1011) report([...dp, "name"], ref, "must be an SSM parameter name such as /harbor/bravo/api-key (letters, digits, _ . - and / between levels, starting with / when it has levels), or a full ARN");
    else if (/^\/?(aws|ssm)/i.test(ref)) report([...dp, "name"], ref, "must not start with aws or ssm (reserved by SSM Parameter Store)");
    else return { name: envName, source: "ssm", ref };
    return undefined;
  }
  const sm = SECRETS_MANAGER_NAME.exec(ref);
  if (!sm) report([...dp, "name"], ref, "must be a Secrets Manager secret name (letters, digits and / _ + = . @ -), optionally with :json-key::, or a full ARN");
  else if (sm[3] || sm[4]) report([...dp, "name"], ref, "may select a JSON key only (name:key::), not a version");
  else return { name: envName, source: "secretsmanager", ref: sm[1], jsonKey: sm[2] || undefined };
  return undefined;
}

/** A secret given by the full ARN of an SSM parameter or a Secrets Manager secret (another account or region). */
function secretOfArn(ref: string, envName: string, dp: (string | number)[], report: Report): SecretReference | undefined {
  const sm = SECRETS_MANAGER_ARN.exec(ref);
  if (SSM_PARAMETER_ARN.test(ref)) return { name: envName, source: "ssm", ref };
  if (sm) {
    if (sm[3] || sm[4]) report([...dp, "name"], ref, "may select a JSON key only (arn:...:secret:name-AbCdEf:key::), not a version");
    else return { name: envName, source: "secretsmanager", ref: sm[1], jsonKey: sm[2] || undefined };
  } else {
    report([...dp, "name"], ref, "must be the ARN of an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/...) or a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:...), or a parameter or secret name");
  }
  return undefined;
}
