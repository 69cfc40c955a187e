import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { Shape, ShapeReader } from "./kubernetes-shapes";

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
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
          report(`resource type ${type} has no API mapping in scripts/kubernetes-check.ts RESOURCE_KINDS: add it so that its objects are checked`);
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

// ---------------------------------------------------------------------------------------------
// References between stacks and objects

/** Resolves `${...}` references to literal values where the synthesized JSON knows them. */
export class Resolver {
  constructor(private readonly stacks: ReadonlyMap<string, Json>) {}

  resolve(stack: string, value: unknown, depth = 0): unknown {
    if (typeof value !== "string" || depth > 8) return value;
    const remote = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([^.]+)\.outputs\.([^}]+)\}$/.exec(value);
    if (remote) {
      const out = this.stacks.get(remote[1])?.output?.[remote[2]]?.value;
      return out === undefined ? value : this.resolve(remote[1], out, depth + 1);
    }
    const local = /^\$\{(kubernetes_[a-z0-9_]+)\.([^.]+)\.metadata\[0\]\.name\}$/.exec(value);
    if (local) {
      const name = this.stacks.get(stack)?.resource?.[local[1]]?.[local[2]]?.metadata?.name;
      return name === undefined ? value : this.resolve(stack, name, depth + 1);
    }
    const data = /^\$\{data\.aws_eks_cluster\.([^.]+)\.name\}$/.exec(value);
    if (data) return this.resolve(stack, this.stacks.get(stack)?.data?.aws_eks_cluster?.[data[1]]?.name, depth + 1);
    return value;
  }

  /** The cluster a stack talks to: its kubernetes provider's cluster, by the stack that creates it. */
  cluster(stack: string): string | undefined {
    const name = this.stacks.get(stack)?.data?.aws_eks_cluster?.cluster?.name;
    if (name === undefined) return undefined;
    const m = /cross-stack-reference-input-([^.]+)\.outputs/.exec(String(name));
    return m ? m[1] : String(this.resolve(stack, name));
  }
}

// ---------------------------------------------------------------------------------------------
// Cross-object rules

const matches = (selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Volume types Pod Security `restricted` allows. */
const RESTRICTED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret", "name"]);

/** Why a pod spec breaks Pod Security `baseline` / `restricted` (Kubernetes Pod Security Standards). */
export function podSecurityViolations(pod: Json, level: string): string[] {
  if (level === "privileged") return [];
  const out: string[] = [];
  const containers = [...(pod.containers ?? []), ...(pod.initContainers ?? [])] as Json[];
  for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[f] === true) out.push(`${f} is not allowed (${level})`);
  for (const v of (pod.volumes ?? []) as Json[]) if (v.hostPath) out.push(`volume ${v.name}: hostPath is not allowed (${level})`);
  for (const c of containers) {
    const sc = (c.securityContext ?? {}) as Json;
    if (sc.privileged === true) out.push(`container ${c.name}: privileged is not allowed (${level})`);
    for (const p of (c.ports ?? []) as Json[]) if (p.hostPort) out.push(`container ${c.name}: hostPort is not allowed (${level})`);
    const add = (sc.capabilities?.add ?? []) as string[];
    if (level === "restricted") {
      if (sc.allowPrivilegeEscalation !== false) out.push(`container ${c.name}: securityContext.allowPrivilegeEscalation must be false (restricted)`);
      if (!((sc.capabilities?.drop ?? []) as string[]).includes("ALL")) out.push(`container ${c.name}: securityContext.capabilities.drop must include ALL (restricted)`);
      if (add.some((a) => a !== "NET_BIND_SERVICE")) out.push(`container ${c.name}: capabilities.add may only hold NET_BIND_SERVICE (restricted)`);
      if (!(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && pod.securityContext?.runAsNonRoot === true))) out.push(`container ${c.name}: runAsNonRoot must be true (restricted)`);
      if (sc.runAsUser === 0 || (sc.runAsUser === undefined && pod.securityContext?.runAsUser === 0)) out.push(`container ${c.name}: runAsUser must not be 0 (restricted)`);
      const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") out.push(`container ${c.name}: seccompProfile.type must be RuntimeDefault or Localhost (restricted)`);
    }
  }
  if (level === "restricted") {
    for (const v of (pod.volumes ?? []) as Json[]) {
      const type = Object.keys(v).find((k) => k !== "name");
      if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${v.name}: ${type} volumes are not allowed (restricted)`);
    }
  }
  return out;
}

/** The cross-object rules over every object of every stack. */
export function crossObjectRules(objects: readonly KubeObject[], stacks: ReadonlyMap<string, Json>): CheckProblem[] {
  const resolver = new Resolver(stacks);
  const problems: CheckProblem[] = [];
  const report = (o: KubeObject, message: string) => problems.push({ stack: o.stack, address: `${o.address} (${o.path})`, message });
  const placed = objects.map((o) => ({
    o,
    cluster: resolver.cluster(o.stack) ?? "(no cluster)",
    ns: o.namespaced ? String(resolver.resolve(o.stack, o.object.metadata?.namespace)) : "",
    name: String(resolver.resolve(o.stack, o.object.metadata?.name)),
  }));
  const inNs = (cluster: string, ns: string, kind: string) => placed.filter((p) => p.cluster === cluster && p.ns === ns && p.o.kind === kind);

  // Collisions: cluster-scoped objects by (kind, name), namespaced ones by (kind, namespace, name), per cluster.
  const seen = new Map<string, (typeof placed)[number]>();
  for (const p of placed) {
    const key = `${p.cluster}|${p.o.apiVersion}/${p.o.kind}|${p.ns}|${p.name}`;
    const first = seen.get(key);
    if (first) report(p.o, `${p.o.kind} ${p.ns ? `${p.ns}/` : ""}${p.name} collides with ${first.o.stack} ${first.o.address} in cluster ${p.cluster}`);
    else seen.set(key, p);
  }
  // Helm releases: one name per namespace per cluster.
  const releases = new Map<string, string>();
  for (const [stack, json] of stacks) {
    const cluster = resolver.cluster(stack);
    for (const [id, r] of Object.entries((json.resource?.helm_release ?? {}) as Record<string, Json>)) {
      const key = `${cluster}|${r.namespace}|${r.name}`;
      const first = releases.get(key);
      if (first) problems.push({ stack, address: `helm_release.${id}`, message: `Helm release ${r.namespace}/${r.name} collides with ${first} in cluster ${cluster}` });
      else releases.set(key, `${stack} helm_release.${id}`);
    }
  }

  const namespaces = new Map(placed.filter((p) => p.o.kind === "Namespace").map((p) => [`${p.cluster}|${p.name}`, p]));
  const podTemplates = placed
    .filter((p) => p.o.kind === "Deployment")
    .map((p) => ({ ...p, labels: (p.o.object.spec?.template?.metadata?.labels ?? {}) as Record<string, string>, pod: (p.o.object.spec?.template?.spec ?? {}) as Json }));

  for (const d of podTemplates) {
    const o = d.o;
    const sel = o.object.spec?.selector?.matchLabels as Record<string, string> | undefined;
    if (!matches(sel, d.labels)) report(o, `spec.selector.matchLabels ${JSON.stringify(sel ?? {})} does not match the pod template's labels ${JSON.stringify(d.labels)}`);
    const ns = namespaces.get(`${d.cluster}|${d.ns}`);
    if (o.namespaced && !ns) report(o, `namespace ${d.ns} is created by no stack of cluster ${d.cluster}`);
    const level = (ns?.o.object.metadata?.labels?.["pod-security.kubernetes.io/enforce"] as string | undefined) ?? "privileged";
    for (const v of podSecurityViolations(d.pod, level)) report(o, `pod template breaks namespace ${d.ns}'s Pod Security level: ${v}`);
    // Secrets the pod reads exist: a Secret object, or a SecretProviderClass the pod mounts that syncs it.
    const spcs = inNs(d.cluster, d.ns, "SecretProviderClass");
    const secrets = new Set(inNs(d.cluster, d.ns, "Secret").map((s) => s.name));
    const mounted = new Set(((d.pod.volumes ?? []) as Json[]).filter((v) => v.csi?.driver === "secrets-store.csi.k8s.io").map((v) => v.csi.volumeAttributes?.secretProviderClass as string));
    const refs: { name: string; key?: string; where: string }[] = [];
    for (const c of [...(d.pod.containers ?? []), ...(d.pod.initContainers ?? [])] as Json[]) {
      for (const e of (c.env ?? []) as Json[]) if (e.valueFrom?.secretKeyRef) refs.push({ name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key, where: `container ${c.name} env ${e.name}` });
      for (const e of (c.envFrom ?? []) as Json[]) if (e.secretRef) refs.push({ name: e.secretRef.name, where: `container ${c.name} envFrom` });
    }
    for (const v of (d.pod.volumes ?? []) as Json[]) if (v.secret) refs.push({ name: v.secret.secretName, where: `volume ${v.name}` });
    for (const ref of refs) {
      const name = String(resolver.resolve(o.stack, ref.name));
      if (secrets.has(name)) continue;
      const spc = spcs.find((s) => ((s.o.object.spec?.secretObjects ?? []) as Json[]).some((so) => so.secretName === name));
      if (!spc) {
        report(o, `${ref.where} reads Secret ${name}, which no stack creates in namespace ${d.ns} (no Secret, no SecretProviderClass secretObjects)`);
        continue;
      }
      if (!mounted.has(spc.name)) report(o, `${ref.where} reads Secret ${name}, which SecretProviderClass ${spc.name} creates only for pods that mount it: the pod mounts no CSI volume of that class`);
      const keys = ((spc.o.object.spec.secretObjects as Json[]).find((so) => so.secretName === name)?.data ?? []).map((x: Json) => x.key);
      if (ref.key && !keys.includes(ref.key)) report(o, `${ref.where} reads key ${ref.key} of Secret ${name}, which has only ${keys.join(", ") || "no keys"}`);
    }
    const sa = d.pod.serviceAccountName ? String(resolver.resolve(o.stack, d.pod.serviceAccountName)) : undefined;
    if (sa && sa !== "default" && !inNs(d.cluster, d.ns, "ServiceAccount").some((s) => s.name === sa)) report(o, `serviceAccountName ${sa} names no ServiceAccount in namespace ${d.ns}`);
  }

  for (const p of placed) {
    const o = p.o;
    const pods = podTemplates.filter((d) => d.cluster === p.cluster && d.ns === p.ns);
    if (o.kind === "Service") {
      const selector = o.object.spec?.selector as Record<string, string> | undefined;
      const selected = pods.filter((d) => matches(selector, d.labels));
      if (!selected.length) report(o, `spec.selector ${JSON.stringify(selector ?? {})} matches no pod template in namespace ${p.ns}`);
      for (const port of (o.object.spec?.ports ?? []) as Json[]) {
        const target = port.targetPort ?? port.port;
        for (const d of selected) {
          const cports = ((d.pod.containers ?? []) as Json[]).flatMap((c) => (c.ports ?? []) as Json[]);
          const ok = typeof target === "number" ? cports.some((c) => c.containerPort === target) : cports.some((c) => c.name === target);
          if (!ok) report(o, `port ${port.name ?? port.port}: targetPort ${target} is no container port of Deployment ${d.name} (${cports.map((c) => `${c.name ?? ""}:${c.containerPort}`).join(", ") || "none"})`);
        }
      }
    }
    const servicePort = (svcName: string, port: unknown, what: string) => {
      const svc = inNs(p.cluster, p.ns, "Service").find((s) => s.name === svcName);
      if (!svc) {
        report(o, `${what} names Service ${svcName}, which does not exist in namespace ${p.ns}`);
        return;
      }
      const ports = (svc.o.object.spec?.ports ?? []) as Json[];
      if (!ports.some((sp) => sp.port === port || sp.name === port)) report(o, `${what} names port ${port} of Service ${svcName}, which has ${ports.map((sp) => sp.port).join(", ")}`);
    };
    if (o.kind === "TargetGroupBinding") {
      const ref = o.object.spec?.serviceRef as Json | undefined;
      if (ref) servicePort(String(resolver.resolve(o.stack, ref.name)), ref.port, "spec.serviceRef");
      if (o.object.spec?.targetType !== "ip") report(o, `spec.targetType must be ip (the edge's target groups have IP targets), got ${o.object.spec?.targetType}`);
    }
    if (o.kind === "Ingress") {
      for (const rule of (o.object.spec?.rules ?? []) as Json[]) {
        for (const hp of (rule.http?.paths ?? []) as Json[]) {
          const svc = hp.backend?.service;
          if (svc) servicePort(String(resolver.resolve(o.stack, svc.name)), svc.port?.number ?? svc.port?.name, `backend of path ${hp.path}`);
        }
      }
    }
    if (o.kind === "HorizontalPodAutoscaler") {
      const ref = (o.object.spec?.scaleTargetRef ?? {}) as Json;
      const name = String(resolver.resolve(o.stack, ref.name));
      if (!(ref.kind === "Deployment" && ref.apiVersion === "apps/v1" && pods.some((d) => d.name === name))) report(o, `scaleTargetRef ${ref.apiVersion} ${ref.kind} ${name} does not exist in namespace ${p.ns}`);
    }
    if (o.kind === "PodDisruptionBudget") {
      const sel = o.object.spec?.selector?.matchLabels as Record<string, string> | undefined;
      if (!pods.some((d) => matches(sel, d.labels))) report(o, `spec.selector ${JSON.stringify(sel ?? {})} matches no pod template in namespace ${p.ns}`);
    }
    const custom = CUSTOM_KINDS[`${o.apiVersion}/${o.kind}`];
    if (custom) {
      for (const f of custom.required) if (o.object.spec?.[f] === undefined) report(o, `spec.${f} is required (${o.kind} CRD)`);
      for (const f of Object.keys(o.object.spec ?? {})) if (!custom.allowed.includes(f)) report(o, `spec.${f}: ${o.kind} has no field ${f} (its CRD allows ${custom.allowed.join(", ")})`);
    } else if (!RESOURCE_KINDS_BY_API.has(`${o.apiVersion}/${o.kind}`)) {
      report(o, `${o.apiVersion} ${o.kind}: no schema is known for this kind; add its CRD's fields to CUSTOM_KINDS`);
    }
  }
  return problems;
}

const RESOURCE_KINDS_BY_API = new Set(Object.values(RESOURCE_KINDS).map((k) => `${k.apiVersion}/${k.kind}`));

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
