import { Json } from "./kubernetes-objects";

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
