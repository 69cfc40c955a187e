import { parseDuration, type XHealth } from "./extensions";
import type { ContainerHealthCheck, HttpHealthCheck } from "./descriptor";
import type { Json, Report, ServiceContext } from "./map-context";

/** Health: the Compose `healthcheck` (run in the container) and the HTTP check of the load balancer and probes. */

/** The Compose `healthcheck`, with its durations in whole seconds. */
export function mapHealthcheck(hc: Json | undefined, path: (string | number)[], report: Report): ContainerHealthCheck | undefined {
  if (!hc || hc.disable === true) return undefined;
  let test: string[];
  if (hc.test === undefined) {
    report([...path, "test"], undefined, "is required (the image's HEALTHCHECK cannot be read by the generator)");
    return undefined;
  }
  if (typeof hc.test === "string") test = ["CMD-SHELL", hc.test];
  else {
    test = (hc.test as string[]).map(String);
    if (test[0] === "NONE") return undefined;
    if (test[0] !== "CMD" && test[0] !== "CMD-SHELL") {
      report([...path, "test"], hc.test, 'must start with "CMD" or "CMD-SHELL" (or be a string)');
      return undefined;
    }
  }
  const dur = (key: string, dflt: number, lo: number, hi: number) => {
    if (hc[key] === undefined) return dflt;
    const s = parseDuration(String(hc[key]));
    if (s === undefined || !Number.isInteger(s) || s < lo || s > hi) {
      report([...path, key], hc[key], `must be a duration of whole seconds from ${lo}s to ${hi}s`);
      return dflt;
    }
    return s;
  };
  const retries = (hc.retries as number | undefined) ?? 3;
  if (!Number.isInteger(retries) || retries < 1 || retries > 10) report([...path, "retries"], hc.retries, "must be 1 to 10");
  return {
    test,
    intervalSeconds: dur("interval", 30, 5, 300),
    timeoutSeconds: dur("timeout", 5, 2, 60),
    retries,
    startPeriodSeconds: dur("start_period", 0, 0, 300),
  };
}

/** The path of a healthcheck that fetches http://localhost[:port]/path (curl or wget), if any. */
export function healthPathFromTest(test: readonly string[] | undefined): string | undefined {
  if (!test) return undefined;
  const m = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?(\/[A-Za-z0-9._~\-/?=&%]*)/.exec(test.slice(1).join(" "));
  return m ? m[1] : undefined;
}

/** What the HTTP health check needs to know about the service. */
export interface HttpHealthInputs {
  readonly expose: "public" | "internal";
  readonly xHealth?: XHealth;
  readonly containerHealthCheck?: ContainerHealthCheck;
  readonly port?: number;
}

/** HTTP health: explicit x-health, else derived from the Compose healthcheck. */
export function mapHttpHealth({ svc, at, report }: ServiceContext, { expose, xHealth, containerHealthCheck, port }: HttpHealthInputs): HttpHealthCheck | undefined {
  const derivedPath = healthPathFromTest(containerHealthCheck?.test);
  const healthPath = xHealth?.path ?? derivedPath;
  let health: HttpHealthCheck | undefined;
  if (port !== undefined && healthPath !== undefined) {
    const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(n)));
    const interval = xHealth?.interval ?? (containerHealthCheck ? clamp(containerHealthCheck.intervalSeconds, 5, 300) : 15);
    const timeout = xHealth?.timeout ?? (containerHealthCheck ? clamp(containerHealthCheck.timeoutSeconds, 2, 120) : 5);
    if (timeout >= interval) report(at("x-health", "timeout"), timeout, `must be shorter than the interval (${interval} s)`);
    health = {
      path: healthPath,
      intervalSeconds: interval,
      timeoutSeconds: timeout,
      healthyThreshold: xHealth?.healthyThreshold ?? 2,
      unhealthyThreshold: xHealth?.unhealthyThreshold ?? (containerHealthCheck ? clamp(containerHealthCheck.retries, 2, 10) : 3),
      matcher: xHealth?.matcher ?? "200-399",
      gracePeriodSeconds: xHealth?.gracePeriod ?? containerHealthCheck?.startPeriodSeconds ?? 60,
    };
  } else if (expose === "public" && port !== undefined && svc["x-health"] === undefined) {
    report(at("x-health", "path"), undefined, "is required for a public service: give x-health.path, or a healthcheck that curls http://localhost:<port>/<path>");
  } else if (xHealth && port === undefined && svc.ports === undefined) {
    report(at("x-health"), svc["x-health"], "needs a port to check: add one under ports");
  }
  return health;
}
