import type { Json, Report } from "./map-context";

/** The service's `environment` and `labels`: string maps given as a mapping or a list of `KEY=value`. */

/** What an environment variable may be called (the secrets are injected under such names too). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variable names whose literal values are secrets by any reasonable reading. */
const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIALS?)$/i;

/** A mapping or `KEY=value` list as a map sorted by key; every entry needs a value. */
export function mapDict(value: unknown, path: (string | number)[], report: Report, what: "variable" | "label"): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  const entries: [string, unknown, (string | number)[]][] = Array.isArray(value)
    ? value.map((item: string, i) => {
        const eq = item.indexOf("=");
        return eq < 0 ? [item, null, [...path, i]] : [item.slice(0, eq), item.slice(eq + 1), [...path, i]];
      })
    : Object.entries(value as Json).map(([k, v]) => [k, v, [...path, k]]);
  for (const [key, v, p] of entries) {
    if (what === "variable" && !ENV_NAME.test(key)) {
      report(p, key, "is not a valid environment variable name (letters, digits and _, not starting with a digit)");
      continue;
    }
    if (v === null || v === undefined) {
      report(p, v ?? key, what === "variable" ? "takes its value from the shell running Compose, which the generator cannot honour: give a value" : "needs a value");
      continue;
    }
    out[key] = String(v);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The `environment`, rejecting literal values of variables whose names say they are secrets. */
export function mapEnvironment(value: unknown, path: (string | number)[], report: Report): Record<string, string> {
  const env = mapDict(value, path, report, "variable");
  for (const [k, v] of Object.entries(env)) {
    if (SECRET_LIKE.test(k) && v !== "") {
      report([...path, k], "(redacted)", "looks like a secret given as a literal: reference it under `secrets` (an SSM parameter or Secrets Manager secret) instead");
    }
  }
  return env;
}
