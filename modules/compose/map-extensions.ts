import { z } from "zod";
import { zodProblems, type Problem } from "../../lib/problems";
import { SERVICE_EXTENSIONS, XHealth, XRoute, XScaling } from "./extensions";
import type { ServiceContext } from "./map-context";

/** The service's `x-` extensions, each parsed against its schema (undefined when absent or invalid). */
export interface ServiceExtensions {
  readonly xRoute?: XRoute;
  readonly xHealth?: XHealth;
  readonly xScaling?: XScaling;
  /** `x-expose`, "internal" when not given. */
  readonly expose: "public" | "internal";
}

/**
 * Parses the extensions in a fixed order (x-route, x-health, x-scaling, x-expose, x-calls), adding
 * the schema problems of each with `add`. x-calls is checked here for its form only; load.ts
 * resolves it against the environment's services.
 */
export function parseExtensions(file: string, { svc, at }: ServiceContext, add: (p: Problem) => void): ServiceExtensions {
  const ext = <T>(key: keyof typeof SERVICE_EXTENSIONS): T | undefined => {
    if (svc[key] === undefined) return undefined;
    const r = (SERVICE_EXTENSIONS[key] as z.ZodTypeAny).safeParse(svc[key]);
    if (r.success) return r.data as T;
    for (const p of zodProblems(file, svc[key], r.error, { prefix: at(key) })) add(p);
    return undefined;
  };
  const xRoute = ext<XRoute>("x-route");
  const xHealth = ext<XHealth>("x-health");
  const xScaling = ext<XScaling>("x-scaling");
  const expose = ext<"public" | "internal">("x-expose") ?? "internal";
  ext<string[]>("x-calls");
  return { xRoute, xHealth, xScaling, expose };
}
