// Validates Kubernetes API objects against the Kubernetes OpenAPI schema, using the validators the
// `kubernetes-models` package compiles from it (an ES module, hence this small .mjs, run by
// scripts/kubernetes-schema.ts as a child process). Input on stdin: [{ id, schema, object }].
// Output on stdout: [{ id, errors: [{ path, message }] }] for the objects that fail.
import { readFileSync } from "node:fs";

const input = JSON.parse(readFileSync(0, "utf8"));
const out = [];
const cache = new Map();
for (const { id, schema, object } of input) {
  let validate = cache.get(schema);
  if (!validate) {
    try {
      validate = (await import(`kubernetes-models/_schemas/${schema}`)).validate;
    } catch {
      out.push({ id, errors: [{ path: "", message: `no schema ${schema} in kubernetes-models` }] });
      continue;
    }
    cache.set(schema, validate);
  }
  if (validate(object)) continue;
  const errors = (validate.errors ?? []).map((e) => ({
    path: e.instancePath || "/",
    message: `${e.keyword === "enum" ? `must be one of ${e.params.allowedValues.join(", ")}` : e.keyword === "required" ? `misses required field ${e.params.missingProperty}` : e.keyword === "type" ? `must be of type ${e.params.type}` : `${e.keyword} ${JSON.stringify(e.params)}`}`,
  }));
  out.push({ id, errors });
}
process.stdout.write(JSON.stringify(out));
