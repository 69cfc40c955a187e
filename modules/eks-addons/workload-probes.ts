import type { ServiceDescriptor } from "../compose";

/**
 * The container's readiness and liveness probes: an HTTP GET of the service's health path when it
 * has one (the same check the load balancer makes), else the Compose healthcheck command; none
 * when it has neither.
 */
export function probesOf(s: ServiceDescriptor) {
  const httpProbe = s.health && s.port ? { httpGet: { path: s.health.path, port: String(s.port) } } : undefined;
  const execProbe = s.containerHealthCheck
    ? { exec: { command: s.containerHealthCheck.test[0] === "CMD-SHELL" ? ["/bin/sh", "-c", s.containerHealthCheck.test.slice(1).join(" ")] : s.containerHealthCheck.test.slice(1) } }
    : undefined;
  if (httpProbe && s.health) {
    const h = s.health;
    const common = { ...httpProbe, periodSeconds: h.intervalSeconds, timeoutSeconds: h.timeoutSeconds };
    return {
      readinessProbe: { ...common, successThreshold: h.healthyThreshold, failureThreshold: h.unhealthyThreshold },
      livenessProbe: { ...common, initialDelaySeconds: h.gracePeriodSeconds, successThreshold: 1, failureThreshold: h.unhealthyThreshold },
    };
  }
  if (execProbe && s.containerHealthCheck) {
    const c = s.containerHealthCheck;
    const common = { ...execProbe, periodSeconds: c.intervalSeconds, timeoutSeconds: c.timeoutSeconds, failureThreshold: c.retries };
    return { readinessProbe: common, livenessProbe: { ...common, initialDelaySeconds: c.startPeriodSeconds } };
  }
  return {};
}
