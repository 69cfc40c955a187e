import { Construct } from "constructs";
import { DeploymentV1, type DeploymentV1SpecTemplateSpecContainer, type DeploymentV1SpecTemplateSpecContainerVolumeMount } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { secretArn, type DeployTarget, type ScalingSpec, type SecretReference, type ServiceDescriptor } from "../compose";
import { SECRETS_STORE_CSI_DRIVER } from "./identities";
import { ROLLING_SURGE_PERCENT } from "./quota";
import { probesOf } from "./workload-probes";

/** User a container runs as when its descriptor names no numeric `user` (Pod Security `restricted` needs non-root). */
export const DEFAULT_RUN_AS_USER = 10001;
/** Name of the Secret a service's secret references resolve from (synced from SSM / Secrets Manager). */
export const secretName = (service: string) => `${service}-secrets`;
/** Name of the service's SecretProviderClass (which creates `secretName(service)`). */
export const secretProviderClassName = (service: string) => `${service}-secrets`;
/** Where the secrets volume is mounted (read-only; the application reads the environment variables). */
export const SECRETS_MOUNT_PATH = "/mnt/secrets-store";

/**
 * The ARN the platform reads a secret reference from: the same value the ECS task definition
 * puts in `valueFrom` (without the JSON-key suffix). One function, so that a change in how
 * references resolve reaches both platforms.
 */
export function secretSourceArn(ref: SecretReference, target: DeployTarget): string {
  return secretArn(ref, target);
}

/** The ASCP `objects` of a service's secrets: one file per variable, named after it. */
export function secretProviderObjects(secrets: readonly SecretReference[], target: DeployTarget): object[] {
  return secrets.map((sec) =>
    sec.source === "secretsmanager" && sec.jsonKey
      ? { objectName: secretSourceArn(sec, target), objectType: "secretsmanager", objectAlias: `${sec.name}.json`, jmesPath: [{ path: sec.jsonKey, objectAlias: sec.name }] }
      : { objectName: secretSourceArn(sec, target), objectType: sec.source === "ssm" ? "ssmparameter" : "secretsmanager", objectAlias: sec.name },
  );
}

export interface KubernetesWorkloadProps {
  readonly service: ServiceDescriptor;
  readonly namespace: string;
  /** The full image reference (registry/repository:tag or @digest). */
  readonly image: string;
  /** Labels every object carries besides app.kubernetes.io/name. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The ALB target group of a public service (the edge stack's, IP targets): a TargetGroupBinding
   * keeps its targets equal to the Service's ready pod IPs. `vpcId` is the target group's VPC,
   * given when it is not the cluster's (a guest's ALB reaching pods over a VPC peering).
   * @default no binding
   */
  readonly targetGroup?: { readonly arn: string; readonly vpcId?: string };
  /**
   * The account, partition and region a secret *name* resolves in (modules/compose `secretArn`,
   * the same function the ECS task definition uses). Required when the service has secrets.
   * @default none (a service with secrets then fails to build)
   */
  readonly deployTarget?: DeployTarget;
}

/** The metadata every object of the workload carries. */
interface ObjectMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** CPU units (1024 = one vCPU) as a Kubernetes quantity in millicores. */
export function cpuQuantity(units: number): string {
  return `${Math.round((units * 1000) / 1024)}m`;
}

/** The service's one container: command, env (secrets from the synced Secret), requests/limits, locked-down security context, probes, mounts. */
function containerOf(props: KubernetesWorkloadProps, mounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[]): DeploymentV1SpecTemplateSpecContainer {
  const s = props.service;
  const r = s.resources;
  return {
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
    ...probesOf(s),
    volumeMount: mounts.length ? mounts : undefined,
  };
}

/**
 * One Compose service in a namespace: a Deployment (replicas, requests/limits, liveness and
 * readiness probes from the health check, env, non-root, read-only root filesystem, no privilege
 * escalation, all capabilities dropped, RuntimeDefault seccomp), a ClusterIP Service on the Compose port (when it has one:
 * `http://<service>:<port>`, the address Service Connect gives it on ECS), a TargetGroupBinding to the edge's target group (public services), a
 * HorizontalPodAutoscaler from `x-scaling` (which then owns the replica count), and a
 * PodDisruptionBudget letting one replica go at a time.
 *
 * Secrets: a service with secrets gets its own ServiceAccount (its EKS Pod Identity role, created
 * by the apps stack, reads only its own parameters and secrets) and a SecretProviderClass; the pod
 * mounts a Secrets Store CSI volume of that class, the driver syncs the Secret `<service>-secrets`,
 * and the container reads each variable from it with `secretKeyRef`.
 */
export class KubernetesWorkload extends Construct {
  public readonly deploymentName: string;
  /** Present when the service has a port. */
  public readonly serviceName?: string;
  /** The service's own ServiceAccount (services with secrets). */
  public readonly serviceAccountName?: string;

  constructor(scope: Construct, id: string, props: KubernetesWorkloadProps) {
    super(scope, id);
    const s = props.service;
    if (s.expose === "public" && (!s.port || !s.route)) throw new Error(`KubernetesWorkload ${s.name}: a public service needs a port and a route (${s.file})`);
    const selector = { "app.kubernetes.io/name": s.name };
    const labels = { ...selector, ...(props.labels ?? {}) };
    const metadata = { name: s.name, namespace: props.namespace, labels };
    const uid = s.user && /^\d+$/.test(s.user.split(":")[0]) ? s.user.split(":")[0] : String(DEFAULT_RUN_AS_USER);

    const hasSecrets = s.secrets.length > 0;
    if (hasSecrets) this.serviceAccountName = this.secretsObjects(props, metadata);
    const volumes = [
      ...s.tmpfs.map((t, i) => ({ name: `tmpfs-${i}`, emptyDir: { medium: "Memory", sizeLimit: `${t.sizeMiB}Mi` } })),
      ...(hasSecrets ? [{ name: "secrets", csi: { driver: SECRETS_STORE_CSI_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: secretProviderClassName(s.name) } } }] : []),
    ];
    const mounts = [...s.tmpfs.map((t, i) => ({ name: `tmpfs-${i}`, mountPath: t.path })), ...(hasSecrets ? [{ name: "secrets", mountPath: SECRETS_MOUNT_PATH, readOnly: true }] : [])];

    const deployment = new DeploymentV1(this, "deployment", {
      metadata,
      waitForRollout: true,
      spec: {
        replicas: String(s.replicas),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: `${ROLLING_SURGE_PERCENT}%`, maxUnavailable: "0" } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            serviceAccountName: this.serviceAccountName,
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
            container: [containerOf(props, mounts)],
            volume: volumes.length ? volumes : undefined,
          },
        },
      },
      // With an autoscaler the HPA owns the replica count.
      lifecycle: s.scaling ? { ignoreChanges: ["spec[0].replicas"] } : undefined,
    });
    this.deploymentName = deployment.metadata.name;

    if (s.port) this.serviceName = this.clusterService(props, s.port, metadata, selector);

    if (s.scaling) this.autoscaler(s.scaling, metadata, deployment.metadata.name);

    new PodDisruptionBudgetV1(this, "disruption-budget", {
      metadata,
      spec: { maxUnavailable: "1", selector: { matchLabels: selector } },
    });
  }

  /** The service's own ServiceAccount and its SecretProviderClass (syncing the Secret `<service>-secrets`); returns the account's name. */
  private secretsObjects(props: KubernetesWorkloadProps, metadata: ObjectMetadata): string {
    const s = props.service;
    const sa = new ServiceAccountV1(this, "service-account", { metadata, automountServiceAccountToken: false });
    new Manifest(this, "secret-provider-class", {
      manifest: {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: { name: secretProviderClassName(s.name), namespace: props.namespace, labels: metadata.labels },
        spec: {
          provider: "aws",
          parameters: { usePodIdentity: "true", objects: JSON.stringify(secretProviderObjects(s.secrets, this.requireTarget(props))) },
          secretObjects: [{ secretName: secretName(s.name), type: "Opaque", labels: metadata.labels, data: s.secrets.map((sec) => ({ objectName: sec.name, key: sec.name })) }],
        },
      },
    });
    return sa.metadata.name;
  }

  /** The ClusterIP Service on the Compose port and, for a public service, the TargetGroupBinding to the edge's target group; returns the Service's name. */
  private clusterService(props: KubernetesWorkloadProps, port: number, metadata: ObjectMetadata, selector: Record<string, string>): string {
    const s = props.service;
    const labels = metadata.labels;
    const svc = new ServiceV1(this, "service", {
      metadata,
      spec: { type: "ClusterIP", selector, port: [{ name: "http", port, targetPort: "http", protocol: "TCP" }] },
    });
    if (s.expose === "public" && props.targetGroup) {
      new Manifest(this, "target-group-binding", {
        manifest: {
          apiVersion: "elbv2.k8s.aws/v1beta1",
          kind: "TargetGroupBinding",
          metadata: { name: s.name, namespace: props.namespace, labels },
          spec: {
            serviceRef: { name: s.name, port },
            targetGroupARN: props.targetGroup.arn,
            targetType: "ip",
            ...(props.targetGroup.vpcId ? { vpcID: props.targetGroup.vpcId } : {}),
          },
        },
        dependsOn: [svc],
      });
    }
    return svc.metadata.name;
  }

  /** The HorizontalPodAutoscaler of `x-scaling` (CPU and memory targets; one pod down, doubling up, per minute at most). */
  private autoscaler(sc: ScalingSpec, metadata: ObjectMetadata, deploymentName: string): void {
    const metric = (name: "cpu" | "memory", percent: number) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization: percent } } });
    new HorizontalPodAutoscalerV2(this, "autoscaler", {
      metadata,
      spec: {
        minReplicas: sc.min,
        maxReplicas: sc.max,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        metric: [...(sc.cpuPercent !== undefined ? [metric("cpu", sc.cpuPercent)] : []), ...(sc.memoryPercent !== undefined ? [metric("memory", sc.memoryPercent)] : [])],
        behavior: {
          scaleDown: [{ stabilizationWindowSeconds: sc.scaleInCooldownSeconds, selectPolicy: "Max", policy: [{ type: "Pods", value: 1, periodSeconds: 60 }] }],
          scaleUp: [{ stabilizationWindowSeconds: sc.scaleOutCooldownSeconds, selectPolicy: "Max", policy: [{ type: "Percent", value: 100, periodSeconds: 60 }] }],
        },
      },
    });
  }

  private requireTarget(props: KubernetesWorkloadProps): DeployTarget {
    if (!props.deployTarget) throw new Error(`service ${props.service.name}: deployTarget is required for a service with secrets (secret names resolve in the deploying account)`);
    return props.deployTarget;
  }
}
