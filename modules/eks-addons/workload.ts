import { Construct } from "constructs";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import type { ServiceDescriptor } from "../compose";
import { INGRESS_CLASS } from "./identities";

/** User a container runs as when its descriptor names no numeric `user` (Pod Security `restricted` needs non-root). */
export const DEFAULT_RUN_AS_USER = 10001;
/** Name of the Secret a service's secret references resolve from (synced from SSM / Secrets Manager). */
export const secretName = (service: string) => `${service}-secrets`;

export interface KubernetesWorkloadProps {
  readonly service: ServiceDescriptor;
  readonly namespace: string;
  /** The full image reference (registry/repository:tag or @digest). */
  readonly image: string;
  /** Labels every object carries besides app.kubernetes.io/name. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** CPU units (1024 = one vCPU) as a Kubernetes quantity in millicores. */
export function cpuQuantity(units: number): string {
  return `${Math.round((units * 1000) / 1024)}m`;
}

/**
 * One Compose service in a namespace: a Deployment (replicas, requests/limits, liveness and
 * readiness probes from the health check, env, secrets as references, non-root, read-only root
 * filesystem, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp), a
 * ClusterIP Service on the Compose port (when it has one: `http://<service>:<port>`, the address
 * Service Connect gives it on ECS), an Ingress on the controller's class (public services),
 * a HorizontalPodAutoscaler from `x-scaling` (which then owns the replica count), and a
 * PodDisruptionBudget letting one replica go at a time.
 */
export class KubernetesWorkload extends Construct {
  public readonly deploymentName: string;
  /** Present when the service has a port. */
  public readonly serviceName?: string;

  constructor(scope: Construct, id: string, props: KubernetesWorkloadProps) {
    super(scope, id);
    const s = props.service;
    if (s.expose === "public" && (!s.port || !s.route)) throw new Error(`KubernetesWorkload ${s.name}: a public service needs a port and a route (${s.file})`);
    const selector = { "app.kubernetes.io/name": s.name };
    const labels = { ...selector, ...(props.labels ?? {}) };
    const metadata = { name: s.name, namespace: props.namespace, labels };
    const uid = s.user && /^\d+$/.test(s.user.split(":")[0]) ? s.user.split(":")[0] : String(DEFAULT_RUN_AS_USER);

    const httpProbe = s.health && s.port ? { httpGet: { path: s.health.path, port: String(s.port) } } : undefined;
    const execProbe = s.containerHealthCheck
      ? { exec: { command: s.containerHealthCheck.test[0] === "CMD-SHELL" ? ["/bin/sh", "-c", s.containerHealthCheck.test.slice(1).join(" ")] : s.containerHealthCheck.test.slice(1) } }
      : undefined;
    const probes = (() => {
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
    })();

    const r = s.resources;
    const deployment = new DeploymentV1(this, "deployment", {
      metadata,
      waitForRollout: true,
      spec: {
        replicas: String(s.replicas),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "0" } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: s.stopGracePeriodSeconds,
            securityContext: { runAsNonRoot: true, runAsUser: uid, seccompProfile: { type: "RuntimeDefault" } },
            topologySpreadConstraint: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: [{ matchLabels: selector }] }],
            affinity: {
              nodeAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, preference: { matchExpressions: [{ key: "eks.amazonaws.com/capacityType", operator: "In", values: ["SPOT"] }] } },
                ],
              },
            },
            container: [
              {
                name: s.name,
                image: props.image,
                command: s.entrypoint ? [...s.entrypoint] : undefined,
                args: s.command ? [...s.command] : undefined,
                workingDir: s.workingDir,
                port: s.port ? [{ name: "http", containerPort: s.port, protocol: "TCP" }] : undefined,
                env: [
                  ...Object.entries(s.environment).map(([name, value]) => ({ name, value })),
                  ...s.secrets.map((sec) => ({ name: sec.name, valueFrom: { secretKeyRef: { name: secretName(s.name), key: sec.name } } })),
                ],
                resources: {
                  requests: { cpu: cpuQuantity(r.cpu), memory: `${r.memoryReservationMiB ?? r.memoryMiB}Mi` },
                  limits: { memory: `${r.memoryMiB}Mi`, ...(r.cpuLimit !== undefined ? { cpu: cpuQuantity(r.cpuLimit) } : {}) },
                },
                securityContext: {
                  runAsNonRoot: true,
                  readOnlyRootFilesystem: s.readOnlyRootFilesystem,
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  capabilities: { drop: ["ALL"] },
                },
                ...probes,
                volumeMount: s.tmpfs.length ? s.tmpfs.map((t, i) => ({ name: `tmpfs-${i}`, mountPath: t.path })) : undefined,
              },
            ],
            volume: s.tmpfs.length ? s.tmpfs.map((t, i) => ({ name: `tmpfs-${i}`, emptyDir: { medium: "Memory", sizeLimit: `${t.sizeMiB}Mi` } })) : undefined,
          },
        },
      },
      // With an autoscaler the HPA owns the replica count.
      lifecycle: s.scaling ? { ignoreChanges: ["spec[0].replicas"] } : undefined,
    });
    this.deploymentName = deployment.metadata.name;

    if (s.port) {
      const svc = new ServiceV1(this, "service", {
        metadata,
        spec: { type: "ClusterIP", selector, port: [{ name: "http", port: s.port, targetPort: "http", protocol: "TCP" }] },
      });
      this.serviceName = svc.metadata.name;
      if (s.expose === "public" && s.route) {
        new IngressV1(this, "ingress", {
          metadata,
          spec: {
            ingressClassName: INGRESS_CLASS,
            rule: [
              {
                host: s.route.host,
                http: { path: [{ path: s.route.pathPrefix, pathType: "Prefix", backend: { service: { name: svc.metadata.name, port: { number: s.port } } } }] },
              },
            ],
          },
        });
      }
    }

    if (s.scaling) {
      const sc = s.scaling;
      const metric = (name: "cpu" | "memory", percent: number) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization: percent } } });
      new HorizontalPodAutoscalerV2(this, "autoscaler", {
        metadata,
        spec: {
          minReplicas: sc.min,
          maxReplicas: sc.max,
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
          metric: [...(sc.cpuPercent !== undefined ? [metric("cpu", sc.cpuPercent)] : []), ...(sc.memoryPercent !== undefined ? [metric("memory", sc.memoryPercent)] : [])],
          behavior: {
            scaleDown: [{ stabilizationWindowSeconds: sc.scaleInCooldownSeconds, selectPolicy: "Max", policy: [{ type: "Pods", value: 1, periodSeconds: 60 }] }],
            scaleUp: [{ stabilizationWindowSeconds: sc.scaleOutCooldownSeconds, selectPolicy: "Max", policy: [{ type: "Percent", value: 100, periodSeconds: 60 }] }],
          },
        },
      });
    }

    new PodDisruptionBudgetV1(this, "disruption-budget", {
      metadata,
      spec: { maxUnavailable: "1", selector: { matchLabels: selector } },
    });
  }
}
