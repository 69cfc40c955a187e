import * as fs from "fs";
import * as path from "path";
import { Shape, ShapeReader } from "./kubernetes-shapes";

/**
 * The Kubernetes objects of a synthesis: which Terraform resource types manage which API kinds,
 * and the conversion of each `kubernetes_*` resource to its API object, field by field, guided by
 * the Kubernetes OpenAPI schema (kubernetes-models' declarations).
 */

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Terraform resource types and the API kinds they manage. */
export const RESOURCE_KINDS: Readonly<Record<string, { apiVersion: string; kind: string; namespaced: boolean }>> = {
  kubernetes_namespace_v1: { apiVersion: "v1", kind: "Namespace", namespaced: false },
  kubernetes_resource_quota_v1: { apiVersion: "v1", kind: "ResourceQuota", namespaced: true },
  kubernetes_limit_range_v1: { apiVersion: "v1", kind: "LimitRange", namespaced: true },
  kubernetes_network_policy_v1: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespaced: true },
  kubernetes_deployment_v1: { apiVersion: "apps/v1", kind: "Deployment", namespaced: true },
  kubernetes_service_v1: { apiVersion: "v1", kind: "Service", namespaced: true },
  kubernetes_service_account_v1: { apiVersion: "v1", kind: "ServiceAccount", namespaced: true },
  kubernetes_secret_v1: { apiVersion: "v1", kind: "Secret", namespaced: true },
  kubernetes_config_map_v1: { apiVersion: "v1", kind: "ConfigMap", namespaced: true },
  kubernetes_ingress_v1: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", namespaced: true },
  kubernetes_horizontal_pod_autoscaler_v2: { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespaced: true },
  kubernetes_pod_disruption_budget_v1: { apiVersion: "policy/v1", kind: "PodDisruptionBudget", namespaced: true },
  kubernetes_storage_class_v1: { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", namespaced: false },
  kubernetes_role_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", namespaced: true },
  kubernetes_role_binding_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", namespaced: true },
  kubernetes_cluster_role_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespaced: false },
  kubernetes_cluster_role_binding_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", namespaced: false },
};

/** Custom resources the platform creates (CRDs from the addons stack's charts), with their required spec fields. */
export const CUSTOM_KINDS: Readonly<Record<string, { readonly required: readonly string[]; readonly allowed: readonly string[] }>> = {
  // kubernetes-sigs/aws-load-balancer-controller apis/elbv2/v1beta1 TargetGroupBindingSpec.
  "elbv2.k8s.aws/v1beta1/TargetGroupBinding": {
    required: ["serviceRef"],
    allowed: ["targetGroupARN", "targetGroupName", "multiClusterTargetGroup", "targetType", "targetGroupProtocol", "serviceRef", "networking", "nodeSelector", "ipAddressType", "vpcID", "iamRoleArnToAssume", "assumeRoleExternalId"],
  },
  // kubernetes-sigs/secrets-store-csi-driver apis/v1 SecretProviderClassSpec.
  "secrets-store.csi.x-k8s.io/v1/SecretProviderClass": { required: ["provider"], allowed: ["provider", "parameters", "secretObjects"] },
};

/** Top-level resource arguments that are Terraform's, not the API object's. */
const TERRAFORM_ONLY = new Set(["//", "lifecycle", "depends_on", "provider", "count", "for_each", "timeouts", "wait_for_rollout", "wait_for_load_balancer", "wait_for_completion", "wait_for_default_service_account", "wait_for_service_account_token", "wait", "field_manager", "computed_fields"]);
/** Terraform field names that differ from the API's beyond snake_case and singular blocks. */
const RENAMES: Readonly<Record<string, string>> = { storage_provisioner: "provisioner" };

/** One Kubernetes object of one stack. */
export interface KubeObject {
  readonly stack: string;
  /** Terraform address, e.g. `kubernetes_deployment_v1.alpha_deployment_1A2B3C4D`. */
  readonly address: string;
  /** cdktf construct path, e.g. `staging-apps/alpha/deployment`. */
  readonly path: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** The API object (references left as `${...}` strings where unresolved). */
  readonly object: Json;
}

export interface CheckProblem {
  readonly stack: string;
  readonly address: string;
  readonly message: string;
}

export const formatProblem = (p: CheckProblem) => `${p.stack}: ${p.address}: ${p.message}`;

/** The synthesized stacks of an output directory, by name. */
export function readStacks(outdir: string): Map<string, Json> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Json;
  const out = new Map<string, Json>();
  for (const [name, s] of Object.entries(manifest.stacks as Record<string, Json>)) {
    out.set(name, JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")));
  }
  return out;
}

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const TOKEN = /^\$\{.*\}$/s;

/** Converts one Terraform value to the API's, by the shape the API gives that field. */
function convert(value: unknown, shape: Shape, at: string, problems: string[]): unknown {
  switch (shape.kind) {
    case "object": {
      let v = value;
      if (Array.isArray(v)) {
        if (v.length !== 1) {
          problems.push(`${at}: a single ${shape.name} block expected, got ${v.length}`);
          return undefined;
        }
        v = v[0];
      }
      if (typeof v !== "object" || v === null) return v;
      const out: Json = {};
      for (const [k, val] of Object.entries(v as Json)) {
        const name = RENAMES[k] ?? camel(k);
        const candidates = [name, `${name}s`, name.replace(/y$/, "ies"), `${name}es`];
        const field = candidates.find((c) => shape.props.has(c));
        if (!field) {
          problems.push(`${at}.${k}: ${shape.name} has no field ${name} in the Kubernetes API (known: ${[...shape.props.keys()].join(", ")})`);
          continue;
        }
        out[field] = convert(val, shape.props.get(field)!.shape(), `${at}.${k}`, problems);
      }
      return out;
    }
    case "array":
      return Array.isArray(value) ? value.map((x, i) => convert(x, shape.item(), `${at}[${i}]`, problems)) : [convert(value, shape.item(), `${at}[0]`, problems)];
    case "map":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(v, shape.value(), `${at}.${k}`, problems)]));
    case "number":
      if (typeof value === "string" && TOKEN.test(value)) return 1;
      return typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case "intOrString":
      return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    case "boolean":
      if (typeof value === "string" && TOKEN.test(value)) return true;
      return value === "true" ? true : value === "false" ? false : value;
    default:
      return value;
  }
}

let reader: ShapeReader | undefined;
/** One ShapeReader per process: the declarations it parses and the shapes it derives never change. */
const sharedReader = () => (reader ??= new ShapeReader());

/** Every Kubernetes object of every stack, converted; conversion problems reported per resource. */
export function collectObjects(stacks: ReadonlyMap<string, Json>, reader = sharedReader()): { objects: KubeObject[]; problems: CheckProblem[] } {
  const objects: KubeObject[] = [];
  const problems: CheckProblem[] = [];
  for (const [stack, json] of stacks) {
    for (const [type, byId] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Json>>)) {
      if (!type.startsWith("kubernetes_")) continue;
      for (const [id, r] of Object.entries(byId)) {
        const address = `${type}.${id}`;
        const where = r["//"]?.metadata?.path ?? address;
        const report = (message: string) => problems.push({ stack, address: `${address} (${where})`, message });
        if (type === "kubernetes_manifest") {
          const m = r.manifest as Json;
          objects.push({ stack, address, path: where, apiVersion: m.apiVersion, kind: m.kind, namespaced: !!m.metadata?.namespace, object: m });
          continue;
        }
        const meta = RESOURCE_KINDS[type];
        if (!meta) {
          report(`resource type ${type} has no API mapping in scripts/kubernetes-objects.ts RESOURCE_KINDS: add it so that its objects are checked`);
          continue;
        }
        const shape = reader.kind(meta.apiVersion, meta.kind);
        if (!shape || shape.kind !== "object") {
          report(`no Kubernetes schema for ${meta.apiVersion} ${meta.kind}`);
          continue;
        }
        const body: Json = {};
        for (const [k, v] of Object.entries(r)) if (!TERRAFORM_ONLY.has(k)) body[k] = v;
        const conv: string[] = [];
        const object = { apiVersion: meta.apiVersion, kind: meta.kind, ...(convert(body, shape, "", conv) as Json) };
        for (const c of conv) report(`field ${c.replace(/^\./, "")}`);
        objects.push({ stack, address, path: where, ...meta, object });
      }
    }
  }
  return { objects, problems };
}
