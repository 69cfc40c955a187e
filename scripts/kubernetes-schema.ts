import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { CUSTOM_KINDS, CheckProblem, KubeObject } from "./kubernetes-objects";

/** Schema id of kubernetes-models for an API kind (`IoK8sApiAppsV1Deployment`). */
export function schemaId(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  const g = group.split(".")[0];
  return `IoK8sApi${g.charAt(0).toUpperCase()}${g.slice(1)}${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

type SchemaErrors = readonly { readonly path: string; readonly message: string }[];
/**
 * Schema validation results by schema id and object JSON, for this process: validation is a pure
 * function of the two, so a second check of the same objects (a test that breaks one object of a
 * synth it checked already) sends only the objects it has not seen to the validator.
 */
const validated = new Map<string, SchemaErrors>();

/** Validates built-in objects against the Kubernetes OpenAPI schema (kubernetes-models' validators, in a child process). */
export function validateSchemas(objects: readonly KubeObject[]): CheckProblem[] {
  const builtIn = objects
    .filter((o) => !CUSTOM_KINDS[`${o.apiVersion}/${o.kind}`])
    .map((o) => {
      const schema = schemaId(o.apiVersion, o.kind);
      return { o, schema, key: `${schema} ${JSON.stringify(o.object)}` };
    });
  const todo = [...new Map(builtIn.filter((b) => !validated.has(b.key)).map((b) => [b.key, b])).values()];
  if (todo.length) {
    const script = path.join(__dirname, "kubernetes-schema-validate.mjs");
    const mjs = fs.existsSync(script) ? script : path.join(__dirname, "..", "..", "scripts", "kubernetes-schema-validate.mjs");
    const input = JSON.stringify(todo.map(({ o, schema }, id) => ({ id, schema, object: o.object })));
    const run = spawnSync(process.execPath, [mjs], { input, encoding: "utf8", cwd: path.dirname(mjs), maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`kubernetes schema validation failed to run: ${run.stderr}`);
    const failed = new Map((JSON.parse(run.stdout) as { id: number; errors: SchemaErrors }[]).map((r) => [r.id, r.errors]));
    todo.forEach((t, id) => validated.set(t.key, failed.get(id) ?? []));
  }
  return builtIn.flatMap(({ o, key }) =>
    validated.get(key)!.map((e) => ({ stack: o.stack, address: `${o.address} (${o.path})`, message: `${o.kind} ${e.path} ${e.message} (Kubernetes OpenAPI schema)` })),
  );
}
