import { CUSTOM_KINDS, CheckProblem, Json, KubeObject, RESOURCE_KINDS } from "./kubernetes-objects";
import { podSecurityViolations } from "./kubernetes-pod-security";
import { Resolver } from "./kubernetes-references";

/**
 * The cross-object rules, per cluster and namespace: selectors match pod labels, Service target
 * ports exist on the selected containers, every TargetGroupBinding / Ingress backend names an
 * existing Service port, every HPA targets an existing Deployment, every Secret a pod reads is
 * created by some stack, every ServiceAccount exists, pod templates meet the namespace's Pod
 * Security level, and no two objects (cluster-scoped, namespaced, Helm releases) collide.
 */

/** An object with where it lives: its cluster, its namespace (`""` when cluster-scoped) and its resolved name. */
interface Placed {
  readonly o: KubeObject;
  readonly cluster: string;
  readonly ns: string;
  readonly name: string;
}

/** A Deployment with its pod template's labels and spec. */
interface PodTemplate extends Placed {
  readonly labels: Record<string, string>;
  readonly pod: Json;
}

/** What every rule sees: the placed objects, the lookups over them, and where problems go. */
interface RuleContext {
  readonly resolver: Resolver;
  readonly placed: readonly Placed[];
  readonly podTemplates: readonly PodTemplate[];
  /** Namespace objects by `cluster|name`. */
  readonly namespaces: ReadonlyMap<string, Placed>;
  /** The objects of one kind in one namespace of one cluster. */
  inNs(cluster: string, ns: string, kind: string): Placed[];
  report(o: KubeObject, message: string): void;
}

const matches = (selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

const RESOURCE_KINDS_BY_API = new Set(Object.values(RESOURCE_KINDS).map((k) => `${k.apiVersion}/${k.kind}`));

/** Collisions: cluster-scoped objects by (kind, name), namespaced ones by (kind, namespace, name), per cluster. */
function objectCollisions(ctx: RuleContext): void {
  const seen = new Map<string, Placed>();
  for (const p of ctx.placed) {
    const key = `${p.cluster}|${p.o.apiVersion}/${p.o.kind}|${p.ns}|${p.name}`;
    const first = seen.get(key);
    if (first) ctx.report(p.o, `${p.o.kind} ${p.ns ? `${p.ns}/` : ""}${p.name} collides with ${first.o.stack} ${first.o.address} in cluster ${p.cluster}`);
    else seen.set(key, p);
  }
}

/** Helm releases: one name per namespace per cluster. */
function helmReleaseCollisions(stacks: ReadonlyMap<string, Json>, resolver: Resolver): CheckProblem[] {
  const problems: CheckProblem[] = [];
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
  return problems;
}

/** A Deployment's selector matches its own pod template. */
function deploymentSelector(ctx: RuleContext, d: PodTemplate): void {
  const sel = d.o.object.spec?.selector?.matchLabels as Record<string, string> | undefined;
  if (!matches(sel, d.labels)) ctx.report(d.o, `spec.selector.matchLabels ${JSON.stringify(sel ?? {})} does not match the pod template's labels ${JSON.stringify(d.labels)}`);
}

/** The Deployment's namespace exists, and its pod template meets the namespace's Pod Security level. */
function namespaceAndPodSecurity(ctx: RuleContext, d: PodTemplate): void {
  const ns = ctx.namespaces.get(`${d.cluster}|${d.ns}`);
  if (d.o.namespaced && !ns) ctx.report(d.o, `namespace ${d.ns} is created by no stack of cluster ${d.cluster}`);
  const level = (ns?.o.object.metadata?.labels?.["pod-security.kubernetes.io/enforce"] as string | undefined) ?? "privileged";
  for (const v of podSecurityViolations(d.pod, level)) ctx.report(d.o, `pod template breaks namespace ${d.ns}'s Pod Security level: ${v}`);
}

/** The Secrets a pod spec reads (env, envFrom, secret volumes), with where it reads each. */
function secretReferences(pod: Json): { name: string; key?: string; where: string }[] {
  const refs: { name: string; key?: string; where: string }[] = [];
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])] as Json[]) {
    for (const e of (c.env ?? []) as Json[]) if (e.valueFrom?.secretKeyRef) refs.push({ name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key, where: `container ${c.name} env ${e.name}` });
    for (const e of (c.envFrom ?? []) as Json[]) if (e.secretRef) refs.push({ name: e.secretRef.name, where: `container ${c.name} envFrom` });
  }
  for (const v of (pod.volumes ?? []) as Json[]) if (v.secret) refs.push({ name: v.secret.secretName, where: `volume ${v.name}` });
  return refs;
}

/** Secrets the pod reads exist: a Secret object, or a SecretProviderClass the pod mounts that syncs it. */
function secretsExist(ctx: RuleContext, d: PodTemplate): void {
  const o = d.o;
  const spcs = ctx.inNs(d.cluster, d.ns, "SecretProviderClass");
  const secrets = new Set(ctx.inNs(d.cluster, d.ns, "Secret").map((s) => s.name));
  const mounted = new Set(((d.pod.volumes ?? []) as Json[]).filter((v) => v.csi?.driver === "secrets-store.csi.k8s.io").map((v) => v.csi.volumeAttributes?.secretProviderClass as string));
  for (const ref of secretReferences(d.pod)) {
    const name = String(ctx.resolver.resolve(o.stack, ref.name));
    if (secrets.has(name)) continue;
    const spc = spcs.find((s) => ((s.o.object.spec?.secretObjects ?? []) as Json[]).some((so) => so.secretName === name));
    if (!spc) {
      ctx.report(o, `${ref.where} reads Secret ${name}, which no stack creates in namespace ${d.ns} (no Secret, no SecretProviderClass secretObjects)`);
      continue;
    }
    if (!mounted.has(spc.name)) ctx.report(o, `${ref.where} reads Secret ${name}, which SecretProviderClass ${spc.name} creates only for pods that mount it: the pod mounts no CSI volume of that class`);
    const keys = ((spc.o.object.spec.secretObjects as Json[]).find((so) => so.secretName === name)?.data ?? []).map((x: Json) => x.key);
    if (ref.key && !keys.includes(ref.key)) ctx.report(o, `${ref.where} reads key ${ref.key} of Secret ${name}, which has only ${keys.join(", ") || "no keys"}`);
  }
}

/** The pod's ServiceAccount (other than `default`) exists in its namespace. */
function serviceAccountExists(ctx: RuleContext, d: PodTemplate): void {
  const sa = d.pod.serviceAccountName ? String(ctx.resolver.resolve(d.o.stack, d.pod.serviceAccountName)) : undefined;
  if (sa && sa !== "default" && !ctx.inNs(d.cluster, d.ns, "ServiceAccount").some((s) => s.name === sa)) ctx.report(d.o, `serviceAccountName ${sa} names no ServiceAccount in namespace ${d.ns}`);
}

/** A Service selects some pod template, and each of its target ports is a container port of every pod it selects. */
function serviceTargets(ctx: RuleContext, p: Placed, pods: readonly PodTemplate[]): void {
  const o = p.o;
  const selector = o.object.spec?.selector as Record<string, string> | undefined;
  const selected = pods.filter((d) => matches(selector, d.labels));
  if (!selected.length) ctx.report(o, `spec.selector ${JSON.stringify(selector ?? {})} matches no pod template in namespace ${p.ns}`);
  for (const port of (o.object.spec?.ports ?? []) as Json[]) {
    const target = port.targetPort ?? port.port;
    for (const d of selected) {
      const cports = ((d.pod.containers ?? []) as Json[]).flatMap((c) => (c.ports ?? []) as Json[]);
      const ok = typeof target === "number" ? cports.some((c) => c.containerPort === target) : cports.some((c) => c.name === target);
      if (!ok) ctx.report(o, `port ${port.name ?? port.port}: targetPort ${target} is no container port of Deployment ${d.name} (${cports.map((c) => `${c.name ?? ""}:${c.containerPort}`).join(", ") || "none"})`);
    }
  }
}

/** A reference from `p` (`what`) to a port of a Service names an existing Service in p's namespace and one of its ports. */
function servicePortExists(ctx: RuleContext, p: Placed, svcName: string, port: unknown, what: string): void {
  const svc = ctx.inNs(p.cluster, p.ns, "Service").find((s) => s.name === svcName);
  if (!svc) {
    ctx.report(p.o, `${what} names Service ${svcName}, which does not exist in namespace ${p.ns}`);
    return;
  }
  const ports = (svc.o.object.spec?.ports ?? []) as Json[];
  if (!ports.some((sp) => sp.port === port || sp.name === port)) ctx.report(p.o, `${what} names port ${port} of Service ${svcName}, which has ${ports.map((sp) => sp.port).join(", ")}`);
}

/** A TargetGroupBinding names an existing Service port and has IP targets. */
function targetGroupBinding(ctx: RuleContext, p: Placed): void {
  const o = p.o;
  const ref = o.object.spec?.serviceRef as Json | undefined;
  if (ref) servicePortExists(ctx, p, String(ctx.resolver.resolve(o.stack, ref.name)), ref.port, "spec.serviceRef");
  if (o.object.spec?.targetType !== "ip") ctx.report(o, `spec.targetType must be ip (the edge's target groups have IP targets), got ${o.object.spec?.targetType}`);
}

/** Every backend of an Ingress names an existing Service port. */
function ingressBackends(ctx: RuleContext, p: Placed): void {
  for (const rule of (p.o.object.spec?.rules ?? []) as Json[]) {
    for (const hp of (rule.http?.paths ?? []) as Json[]) {
      const svc = hp.backend?.service;
      if (svc) servicePortExists(ctx, p, String(ctx.resolver.resolve(p.o.stack, svc.name)), svc.port?.number ?? svc.port?.name, `backend of path ${hp.path}`);
    }
  }
}

/** An HPA targets an existing Deployment of its namespace. */
function autoscalerTarget(ctx: RuleContext, p: Placed, pods: readonly PodTemplate[]): void {
  const ref = (p.o.object.spec?.scaleTargetRef ?? {}) as Json;
  const name = String(ctx.resolver.resolve(p.o.stack, ref.name));
  if (!(ref.kind === "Deployment" && ref.apiVersion === "apps/v1" && pods.some((d) => d.name === name))) ctx.report(p.o, `scaleTargetRef ${ref.apiVersion} ${ref.kind} ${name} does not exist in namespace ${p.ns}`);
}

/** A PodDisruptionBudget's selector matches some pod template of its namespace. */
function disruptionBudgetSelector(ctx: RuleContext, p: Placed, pods: readonly PodTemplate[]): void {
  const sel = p.o.object.spec?.selector?.matchLabels as Record<string, string> | undefined;
  if (!pods.some((d) => matches(sel, d.labels))) ctx.report(p.o, `spec.selector ${JSON.stringify(sel ?? {})} matches no pod template in namespace ${p.ns}`);
}

/** A custom resource has its CRD's required spec fields and no others; any other kind has a known schema. */
function customKindFields(ctx: RuleContext, o: KubeObject): void {
  const custom = CUSTOM_KINDS[`${o.apiVersion}/${o.kind}`];
  if (custom) {
    for (const f of custom.required) if (o.object.spec?.[f] === undefined) ctx.report(o, `spec.${f} is required (${o.kind} CRD)`);
    for (const f of Object.keys(o.object.spec ?? {})) if (!custom.allowed.includes(f)) ctx.report(o, `spec.${f}: ${o.kind} has no field ${f} (its CRD allows ${custom.allowed.join(", ")})`);
  } else if (!RESOURCE_KINDS_BY_API.has(`${o.apiVersion}/${o.kind}`)) {
    ctx.report(o, `${o.apiVersion} ${o.kind}: no schema is known for this kind; add its CRD's fields to CUSTOM_KINDS`);
  }
}

/** Places every object in its cluster and namespace and builds the lookups the rules share. */
function ruleContext(objects: readonly KubeObject[], resolver: Resolver, problems: CheckProblem[]): RuleContext {
  const placed: Placed[] = objects.map((o) => ({
    o,
    cluster: resolver.cluster(o.stack) ?? "(no cluster)",
    ns: o.namespaced ? String(resolver.resolve(o.stack, o.object.metadata?.namespace)) : "",
    name: String(resolver.resolve(o.stack, o.object.metadata?.name)),
  }));
  return {
    resolver,
    placed,
    podTemplates: placed
      .filter((p) => p.o.kind === "Deployment")
      .map((p) => ({ ...p, labels: (p.o.object.spec?.template?.metadata?.labels ?? {}) as Record<string, string>, pod: (p.o.object.spec?.template?.spec ?? {}) as Json })),
    namespaces: new Map(placed.filter((p) => p.o.kind === "Namespace").map((p) => [`${p.cluster}|${p.name}`, p])),
    inNs: (cluster, ns, kind) => placed.filter((p) => p.cluster === cluster && p.ns === ns && p.o.kind === kind),
    report: (o, message) => problems.push({ stack: o.stack, address: `${o.address} (${o.path})`, message }),
  };
}

/** The cross-object rules over every object of every stack. */
export function crossObjectRules(objects: readonly KubeObject[], stacks: ReadonlyMap<string, Json>): CheckProblem[] {
  const resolver = new Resolver(stacks);
  const problems: CheckProblem[] = [];
  const ctx = ruleContext(objects, resolver, problems);
  objectCollisions(ctx);
  problems.push(...helmReleaseCollisions(stacks, resolver));
  for (const d of ctx.podTemplates) {
    deploymentSelector(ctx, d);
    namespaceAndPodSecurity(ctx, d);
    secretsExist(ctx, d);
    serviceAccountExists(ctx, d);
  }
  for (const p of ctx.placed) {
    const pods = ctx.podTemplates.filter((d) => d.cluster === p.cluster && d.ns === p.ns);
    if (p.o.kind === "Service") serviceTargets(ctx, p, pods);
    if (p.o.kind === "TargetGroupBinding") targetGroupBinding(ctx, p);
    if (p.o.kind === "Ingress") ingressBackends(ctx, p);
    if (p.o.kind === "HorizontalPodAutoscaler") autoscalerTarget(ctx, p, pods);
    if (p.o.kind === "PodDisruptionBudget") disruptionBudgetSelector(ctx, p, pods);
    customKindFields(ctx, p.o);
  }
  return problems;
}
