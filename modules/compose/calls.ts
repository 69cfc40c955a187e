import type { ServiceDescriptor } from "./descriptor";

/**
 * The environment's call graph from `x-calls`: who may call whom, on which port. Both platforms
 * render exactly these calls (Service Connect endpoints on ECS, NetworkPolicies on Kubernetes).
 */

/** One allowed call: `from` may open connections to `to` on `port`. */
export interface AllowedCall {
  readonly from: string;
  readonly to: string;
  readonly port: number;
}

/** Every allowed call of the environment, sorted by callee, then caller. */
export function allowedCalls(services: readonly ServiceDescriptor[]): AllowedCall[] {
  return services
    .flatMap((s) => s.calls.map((c) => ({ from: s.name, to: c.service, port: c.port })))
    .sort((a, b) => (a.to === b.to ? (a.from < b.from ? -1 : 1) : a.to < b.to ? -1 : 1));
}

/** The services allowed to call `name`, sorted. */
export function callersOf(services: readonly ServiceDescriptor[], name: string): string[] {
  return services.filter((s) => s.calls.some((c) => c.service === name)).map((s) => s.name).sort();
}
