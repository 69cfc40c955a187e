import type { RouteSpec } from "./descriptor";
import type { XRoute } from "./extensions";
import type { Json, Report, ServiceContext } from "./map-context";

/** The service's one container `ports` entry, and the route (`x-route`) of a public service. */

/** The container port: exactly one, TCP, not published on the host. */
export function mapPorts(value: unknown, path: (string | number)[], report: Report): number | undefined {
  if (value === undefined) return undefined;
  const ports = value as unknown[];
  if (ports.length !== 1) {
    report(path, value, "must list exactly one container port (the one routed and health-checked)");
    return undefined;
  }
  const p = [...path, 0];
  const item = ports[0];
  let target: number | undefined;
  if (typeof item === "number") target = item;
  else if (typeof item === "string") {
    const m = /^(\d+)(?:\/(tcp|udp))?$/.exec(item);
    if (!m) {
      report(p, item, 'must be just the container port, e.g. "8080": host ports are assigned dynamically by the platform, so a published port cannot be honoured');
      return undefined;
    }
    if (m[2] === "udp") {
      report(p, item, "must be TCP: the load balancer routes HTTP");
      return undefined;
    }
    target = Number(m[1]);
  } else {
    const o = item as Json;
    if (o.published !== undefined) report([...p, "published"], o.published, "cannot be honoured: host ports are assigned dynamically by the platform");
    if (o.protocol !== undefined && o.protocol !== "tcp") report([...p, "protocol"], o.protocol, "must be tcp: the load balancer routes HTTP");
    if (o.mode !== undefined && o.mode !== "ingress") report([...p, "mode"], o.mode, 'cannot be honoured: only "ingress" (the default) makes sense here');
    if (o.host_ip !== undefined) report([...p, "host_ip"], o.host_ip, "cannot be honoured: the platform binds host ports");
    target = o.target as number | undefined;
  }
  if (target === undefined || !Number.isInteger(target) || target < 1 || target > 65535) {
    report(p, item, "must be a container port from 1 to 65535");
    return undefined;
  }
  return target;
}

/** A public service needs an x-route and a port; an internal one is not routed. */
export function mapRoute({ svc, at, report }: ServiceContext, expose: "public" | "internal", xRoute: XRoute | undefined, port: number | undefined): RouteSpec | undefined {
  let route: RouteSpec | undefined;
  if (expose === "public") {
    if (!xRoute && svc["x-route"] === undefined) report(at("x-route"), undefined, "is required for a public service: give { path: /prefix } (and optionally host)");
    if (port === undefined && svc.ports === undefined) report(at("ports"), undefined, "a public service needs one container port, e.g. [\"8080\"]");
    if (xRoute) route = { pathPrefix: xRoute.path, host: xRoute.host, pathPatterns: xRoute.path === "/" ? ["/*"] : [xRoute.path, `${xRoute.path}/*`] };
  } else if (svc["x-route"] !== undefined) {
    report(at("x-route"), svc["x-route"], 'only public services are routed: set x-expose: public, or remove x-route');
  }
  return route;
}
