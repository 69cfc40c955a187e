import { CheckProblem, collectObjects, formatProblem, Json, KubeObject, readStacks } from "./kubernetes-objects";
import { crossObjectRules } from "./kubernetes-rules";
import { validateSchemas } from "./kubernetes-schema";

/**
 * Checks every Kubernetes object a synthesis produces against the Kubernetes API, before anything
 * reaches a cluster:
 *
 * 1. Each `kubernetes_*` resource is converted to its API object, field by field, guided by the
 *    Kubernetes OpenAPI schema (kubernetes-models' declarations): a field the API does not have
 *    is reported, and the object is validated against the schema (types, enums, required fields;
 *    kubernetes-models' validators). `kubernetes_manifest` objects are API objects already.
 * 2. Cross-object rules per cluster and namespace: selectors match pod labels, Service target
 *    ports exist on the selected containers, every TargetGroupBinding / Ingress backend names an
 *    existing Service port, every HPA targets an existing Deployment, every Secret a pod reads is
 *    created by some stack (a Secret, or a SecretProviderClass the pod mounts), every
 *    ServiceAccount exists, pod templates meet the namespace's Pod Security level, and no two
 *    objects (cluster-scoped, namespaced, Helm releases) collide in one cluster.
 *
 *   node dist/scripts/kubernetes-check.js [cdktf.out]
 *
 * The parts: kubernetes-objects.ts (kinds and conversion), kubernetes-schema.ts (schema
 * validation), kubernetes-references.ts (reference resolution), kubernetes-rules.ts and
 * kubernetes-pod-security.ts (cross-object rules).
 */

export { CUSTOM_KINDS, RESOURCE_KINDS, collectObjects, formatProblem, readStacks } from "./kubernetes-objects";
export type { CheckProblem, KubeObject } from "./kubernetes-objects";
export { schemaId, validateSchemas } from "./kubernetes-schema";
export { Resolver } from "./kubernetes-references";
export { podSecurityViolations } from "./kubernetes-pod-security";
export { crossObjectRules } from "./kubernetes-rules";

/** Every check over a set of synthesized stacks. */
export function checkKubernetes(stacks: ReadonlyMap<string, Json>): { objects: KubeObject[]; problems: CheckProblem[] } {
  const { objects, problems } = collectObjects(stacks);
  return { objects, problems: [...problems, ...validateSchemas(objects), ...crossObjectRules(objects, stacks)] };
}

if (require.main === module) {
  const outdir = process.argv[2] ?? "cdktf.out";
  const stacks = readStacks(outdir);
  const { objects, problems } = checkKubernetes(stacks);
  const withObjects = new Set(objects.map((o) => o.stack));
  for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
  process.stdout.write(`${objects.length} Kubernetes objects in ${withObjects.size} stacks checked: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n`);
  process.exitCode = problems.length ? 1 : 0;
}
