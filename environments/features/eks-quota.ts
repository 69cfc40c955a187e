import type { Problem } from "../load";
import type { ServiceDescriptor } from "../../modules/compose/descriptor";
import { QuotaField, formatQuantity, parseQuantity, quotaNeed } from "../../modules/eks-addons/quota";
import type { NamespaceQuota } from "../../modules/eks-addons/namespace";
import type { EksPlatformConfig } from "./eks";

/**
 * The namespace quota of an EKS environment: resolved from the services where the config leaves
 * it out, and checked against them where it gives it.
 */

/** A namespace's quota with every field resolved: exactly what the addons stack's namespace takes. */
export type ResolvedNamespaceQuota = NamespaceQuota;

const QUOTA_KIND: Record<QuotaField, "cpu" | "memory"> = { requestsCpu: "cpu", requestsMemory: "memory", limitsCpu: "cpu", limitsMemory: "memory" };

/** The namespace quota: given fields as given, the others computed from the services at peak. */
export function resolveNamespaceQuota(p: EksPlatformConfig, services: readonly ServiceDescriptor[]): ResolvedNamespaceQuota {
  const q = p.quota;
  const need = quotaNeed(services, parseQuantity(q.defaultLimit.cpu, "cpu") ?? 0);
  const pick = (f: QuotaField) => q[f] ?? formatQuantity(Math.max(need.totals[f], QUOTA_KIND[f] === "cpu" ? 100 : 128), QUOTA_KIND[f]);
  return {
    requestsCpu: pick("requestsCpu"),
    requestsMemory: pick("requestsMemory"),
    limitsCpu: pick("limitsCpu"),
    limitsMemory: pick("limitsMemory"),
    pods: q.pods ?? Math.max(need.totals.pods, 1),
    defaultRequest: q.defaultRequest,
    defaultLimit: q.defaultLimit,
  };
}

const show = (n: number, kind: "cpu" | "memory") => (kind === "cpu" ? `${Math.round(n)}m` : `${Math.round(n)}Mi`);

/**
 * Quota and LimitRange rules between an EKS environment and its services: every given quota field
 * holds the services at their autoscalers' maximum plus the rolling surge; the LimitRange's
 * default request is within its default limit; and no service's CPU request exceeds the default
 * CPU limit it inherits (a container without a CPU limit gets the LimitRange's, and a request
 * above its limit is rejected by the API server).
 */
export function namespaceQuotaProblems(file: string, p: EksPlatformConfig, services: readonly ServiceDescriptor[]): Problem[] {
  const problems: Problem[] = [];
  const q = p.quota;
  const dlCpu = parseQuantity(q.defaultLimit.cpu, "cpu");
  const dlMem = parseQuantity(q.defaultLimit.memory, "memory");
  const drCpu = parseQuantity(q.defaultRequest.cpu, "cpu");
  const drMem = parseQuantity(q.defaultRequest.memory, "memory");
  if (dlCpu === undefined) problems.push({ file, path: "platform.quota.defaultLimit.cpu", value: q.defaultLimit.cpu, message: "must be a CPU quantity such as 500m or 1" });
  if (drCpu === undefined) problems.push({ file, path: "platform.quota.defaultRequest.cpu", value: q.defaultRequest.cpu, message: "must be a CPU quantity such as 250m or 1" });
  if (dlCpu !== undefined && drCpu !== undefined && drCpu > dlCpu) {
    problems.push({ file, path: "platform.quota.defaultRequest.cpu", value: q.defaultRequest.cpu, message: `must not exceed defaultLimit.cpu (${q.defaultLimit.cpu}): a container given both defaults would be rejected` });
  }
  if (dlMem !== undefined && drMem !== undefined && drMem > dlMem) {
    problems.push({ file, path: "platform.quota.defaultRequest.memory", value: q.defaultRequest.memory, message: `must not exceed defaultLimit.memory (${q.defaultLimit.memory}): a container given both defaults would be rejected` });
  }
  if (dlCpu === undefined) return problems;
  for (const s of services) {
    if (s.resources.cpuLimit !== undefined) continue;
    const req = Math.round((s.resources.cpu * 1000) / 1024);
    if (req > dlCpu) {
      problems.push({ file, path: "platform.quota.defaultLimit.cpu", value: q.defaultLimit.cpu, message: `is below service ${s.name}'s CPU request (${req}m, ${s.file}), which sets no CPU limit and so inherits this one: raise it to at least ${req}m or give the service deploy.resources.limits.cpus` });
    }
  }
  const need = quotaNeed(services, dlCpu);
  for (const f of ["requestsCpu", "requestsMemory", "limitsCpu", "limitsMemory"] as const) {
    const given = q[f];
    if (given === undefined) continue;
    const kind = QUOTA_KIND[f];
    const have = parseQuantity(given, kind);
    if (have === undefined) {
      problems.push({ file, path: `platform.quota.${f}`, value: given, message: `must be a ${kind === "cpu" ? "CPU quantity such as 4 or 500m" : "memory quantity such as 8Gi or 512Mi"}` });
      continue;
    }
    if (have + 1e-9 < need.totals[f]) {
      const parts = need.shares.map((sh) => `${sh.service} (${sh.max} max + ${sh.surge} surge) x ${show(sh.per[f], kind)} = ${show(sh.per[f] * sh.pods, kind)}`);
      problems.push({ file, path: `platform.quota.${f}`, value: given, message: `cannot hold the services at their autoscalers' maximum plus rolling surge: ${parts.join(", ")}; together ${show(need.totals[f], kind)}: raise it to at least ${formatQuantity(need.totals[f], kind)} or leave it out to compute it` });
    }
  }
  if (q.pods !== undefined && q.pods < need.totals.pods) {
    const parts = need.shares.map((sh) => `${sh.service} ${sh.max} + ${sh.surge}`);
    problems.push({ file, path: "platform.quota.pods", value: q.pods, message: `cannot hold the services' ${need.totals.pods} pods at peak (${parts.join(", ")}): raise it to at least ${need.totals.pods} or leave it out` });
  }
  return problems;
}
