import { z } from "zod";

/**
 * One thing wrong with the input (configuration, sandbox registry, service descriptor). Every
 * rejection is reported as `file: field: message (got value)`, all problems at once.
 */
export interface Problem {
  /** Path of the file relative to the project root, e.g. `environments/dev.ts`. */
  readonly file: string;
  /** Dotted field path, e.g. `vpc.cidr` or `azs.3`; empty for the whole file. */
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}

/** Formats problems one per line: `file: field: message (got value)`. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.file}: ${p.path || "(root)"}: ${p.message} (got ${showValue(p.value)})`).join("\n");
}

/** A value as a message shows it: JSON, shortened, never key material. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // Never echo key material into logs (e.g. a private key pasted as bastion.publicKey).
  if (typeof value === "string" && /PRIVATE KEY/.test(value)) return "a private key (redacted)";
  const s = JSON.stringify(value);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** The value at `path` inside `input`, or undefined where the path leaves the input. */
export function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

export interface ZodProblemOptions {
  /** Path of `input` inside the file, put in front of every field path. @default none */
  readonly prefix?: readonly (string | number)[];
  /** Appended to the message of an unknown field, e.g. what may be set instead. @default none */
  readonly unknownFieldHint?: string;
}

/**
 * zod's issues as problems: an unknown field is named in the path (its value shown), a wrong
 * discriminator lists the allowed ones, and a missing field says it is required.
 */
export function zodProblems(file: string, input: unknown, error: z.ZodError, options: ZodProblemOptions = {}): Problem[] {
  const prefix = options.prefix ?? [];
  return error.issues.map((issue) => {
    const path = issue.code === z.ZodIssueCode.unrecognized_keys ? [...issue.path, issue.keys[0]] : issue.path;
    let message = issue.message;
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}${options.unknownFieldHint ? `; ${options.unknownFieldHint}` : ""}`;
    }
    if (issue.code === z.ZodIssueCode.invalid_union_discriminator) message = `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}`;
    if (issue.code === z.ZodIssueCode.invalid_type && issue.received === "undefined") message = `is required (${issue.expected})`;
    return { file, path: [...prefix, ...path].join("."), value: valueAt(input, path), message };
  });
}
