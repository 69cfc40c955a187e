import type { ServiceDescriptor } from "../compose";

/**
 * Namespace quota arithmetic (no constructs: config validation uses it before anything loads).
 * A Deployment rolls with `maxSurge: 25%` (rounded up) and `maxUnavailable: 0`, so at its
 * autoscaler's maximum a rollout runs `max + ceil(max / 4)` pods at once; the namespace's
 * ResourceQuota must hold that for every service together, or the HPA (or the rollout) asks for
 * pods the quota refuses.
 */

/** The Deployments' rolling-update surge (percent of replicas, rounded up). */
export const ROLLING_SURGE_PERCENT = 25;

/** Most pods a service runs at once: its autoscaler's maximum (or its replicas) plus the rolling surge. */
export function peakPods(s: ServiceDescriptor): { readonly max: number; readonly surge: number; readonly total: number } {
  const max = s.scaling?.max ?? s.replicas;
  const surge = Math.ceil((max * ROLLING_SURGE_PERCENT) / 100);
  return { max, surge, total: max + surge };
}

/** CPU units (1024 = one vCPU) as millicores, as the Deployment requests them. */
export const cpuMillis = (units: number): number => Math.round((units * 1000) / 1024);

/** Parses a Kubernetes quantity into millicores (cpu) or MiB (memory); undefined when unparseable. */
export function parseQuantity(q: string, kind: "cpu" | "memory"): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  if (kind === "cpu") {
    if (unit === "m") return n;
    if (unit === "") return n * 1000;
    return undefined;
  }
  const mib: Record<string, number> = { "": 1 / 1024 ** 2, k: 1000 / 1024 ** 2, Ki: 1 / 1024, M: 1e6 / 1024 ** 2, Mi: 1, G: 1e9 / 1024 ** 2, Gi: 1024, T: 1e12 / 1024 ** 2, Ti: 1024 ** 2 };
  return n * mib[unit];
}

/** One container's requests and limits in millicores and MiB, the LimitRange's default CPU limit applied. */
export function containerResources(s: ServiceDescriptor, defaultLimitCpuMillis: number): { requestsCpu: number; requestsMemory: number; limitsCpu: number; limitsMemory: number } {
  const r = s.resources;
  return {
    requestsCpu: cpuMillis(r.cpu),
    requestsMemory: r.memoryReservationMiB ?? r.memoryMiB,
    limitsCpu: r.cpuLimit !== undefined ? cpuMillis(r.cpuLimit) : defaultLimitCpuMillis,
    limitsMemory: r.memoryMiB,
  };
}

export type QuotaField = "requestsCpu" | "requestsMemory" | "limitsCpu" | "limitsMemory";

/** What the services need together at peak, per quota field, with each service's share. */
export interface QuotaNeed {
  readonly totals: Readonly<Record<QuotaField, number>> & { readonly pods: number };
  readonly shares: readonly { readonly service: string; readonly pods: number; readonly max: number; readonly surge: number; readonly per: Readonly<Record<QuotaField, number>> }[];
}

export function quotaNeed(services: readonly ServiceDescriptor[], defaultLimitCpuMillis: number): QuotaNeed {
  const totals = { requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0 };
  const shares = [...services]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s) => {
      const p = peakPods(s);
      const per = containerResources(s, defaultLimitCpuMillis);
      for (const k of ["requestsCpu", "requestsMemory", "limitsCpu", "limitsMemory"] as const) totals[k] += per[k] * p.total;
      totals.pods += p.total;
      return { service: s.name, pods: p.total, max: p.max, surge: p.surge, per };
    });
  return { totals, shares };
}

/** A quantity string for a total: whole CPUs / GiB when exact, else millicores / MiB. */
export function formatQuantity(n: number, kind: "cpu" | "memory"): string {
  if (kind === "cpu") return n % 1000 === 0 ? String(n / 1000) : `${Math.ceil(n)}m`;
  return n % 1024 === 0 ? `${n / 1024}Gi` : `${Math.ceil(n)}Mi`;
}
