import type { Problem } from "../../lib/problems";

/**
 * The platform-neutral service descriptor: what one `services/<name>.yaml` Compose file says,
 * validated, with defaults resolved and one environment's `x-environments` overrides applied.
 * The ECS apps stack turns it into a task definition + service + target group + listener rule;
 * the EKS apps stack into a Deployment + Service + Ingress (+ autoscaler). Nothing here is
 * specific to either platform.
 */

/** Where the image comes from. */
export type ImageReference =
  /** `image: <service-name>:<tag>` (or `@sha256:...`): the project's own registry repository for this service. */
  | { readonly kind: "repository"; readonly repository: string; readonly tag?: string; readonly digest?: string }
  /** A full reference with a registry host, used as written (e.g. `public.ecr.aws/nginx/nginx:1.27`). */
  | { readonly kind: "uri"; readonly uri: string };

/** A secret injected as an environment variable; only references, never values. */
export interface SecretReference {
  /** Environment variable the container sees, e.g. `DB_PASSWORD`. */
  readonly name: string;
  /** `ssm`: an SSM Parameter Store parameter; `secretsmanager`: a Secrets Manager secret. */
  readonly source: "ssm" | "secretsmanager";
  /**
   * The parameter or secret as the descriptor names it (without any JSON-key suffix): a name
   * (`/harbor/bravo/api-key`), resolved in the deploying account, partition and region, or a full
   * ARN (another account or region). `secretArn()` (modules/compose/secrets.ts) gives the ARN.
   */
  readonly ref: string;
  /** Secrets Manager only: the JSON key within the secret's value. */
  readonly jsonKey?: string;
}

/** How the service is reached through the edge (public services only). */
export interface RouteSpec {
  /** Path prefix, e.g. `/alpha` (no trailing slash; `/` is the catch-all). */
  readonly pathPrefix: string;
  /** Host name the rule also requires, e.g. `api.example.com`. @default any host */
  readonly host?: string;
  /** Load-balancer path patterns: the prefix itself and everything under it (`/alpha`, `/alpha/*`). */
  readonly pathPatterns: readonly string[];
}

/** HTTP health check on the service's port (load-balancer target health, Kubernetes probes). */
export interface HttpHealthCheck {
  /** Request path, e.g. `/alpha/health`. */
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  /** Consecutive successes before a target counts as healthy. */
  readonly healthyThreshold: number;
  /** Consecutive failures before a target counts as unhealthy (and is replaced). */
  readonly unhealthyThreshold: number;
  /** HTTP codes that count as healthy, e.g. `200-399`. */
  readonly matcher: string;
  /** Seconds after start during which failures are ignored. */
  readonly gracePeriodSeconds: number;
}

/** A command run inside the container to check its health (Compose `healthcheck`). */
export interface ContainerHealthCheck {
  /** `["CMD", ...args]` or `["CMD-SHELL", "a shell line"]`. */
  readonly test: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

/** Horizontal autoscaling between `min` and `max` replicas on at least one target. */
export interface ScalingSpec {
  readonly min: number;
  readonly max: number;
  /** Target average CPU utilization, percent. */
  readonly cpuPercent?: number;
  /** Target average memory utilization, percent. */
  readonly memoryPercent?: number;
  /** Target requests per replica per minute (public services only: counted by the load balancer). */
  readonly requestsPerTarget?: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

/** CPU in CPU units (1024 = one vCPU), memory in MiB. */
export interface Resources {
  /** CPU reserved for the container (Compose `reservations.cpus`, else `limits.cpus`). */
  readonly cpu: number;
  /** Hard CPU limit (Compose `limits.cpus`), if any. */
  readonly cpuLimit?: number;
  /** Hard memory limit: the container is killed above it (Compose `limits.memory`, else `reservations.memory`). */
  readonly memoryMiB: number;
  /** Soft memory reservation (Compose `reservations.memory` when a limit is also given). */
  readonly memoryReservationMiB?: number;
}

/** Log shipping options (the platform always ships stdout/stderr to its log store). */
export interface LoggingSpec {
  /** `non-blocking` (default: the app never stalls on logging) or `blocking`. */
  readonly mode: "blocking" | "non-blocking";
  /** Buffer for non-blocking mode, e.g. `25m`. */
  readonly maxBufferSize?: string;
  /** Regex starting a multi-line event. */
  readonly multilinePattern?: string;
  /** strftime format starting a multi-line event. */
  readonly datetimeFormat?: string;
}

/** A call this service makes to another service of the environment (`x-calls`). */
export interface ServiceCall {
  /** The callee's Compose name, which is also its address (`http://<service>:<port>`) on both platforms. */
  readonly service: string;
  /** The callee's port (its one container port). */
  readonly port: number;
}

export interface ServiceDescriptor {
  /** Service name: the file name without `.yaml`, and the one key under `services:`. */
  readonly name: string;
  /** The descriptor file, e.g. `services/alpha.yaml` (for messages). */
  readonly file: string;
  readonly image: ImageReference;
  /** Overrides the image's CMD. */
  readonly command?: readonly string[];
  /** Overrides the image's ENTRYPOINT. */
  readonly entrypoint?: readonly string[];
  /** Plain environment variables (never secrets), sorted by name. */
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly SecretReference[];
  /** The container port traffic and health checks go to. Required for public services. */
  readonly port?: number;
  /** `public`: routed through the environment's edge; `internal`: not reachable from outside. */
  readonly expose: "public" | "internal";
  /** Present exactly for public services. */
  readonly route?: RouteSpec;
  /** Present when the service has a port and a health path (always for public services). */
  readonly health?: HttpHealthCheck;
  readonly containerHealthCheck?: ContainerHealthCheck;
  /** Desired replicas at deployment (within `scaling.min..max` when scaling is set). */
  readonly replicas: number;
  readonly scaling?: ScalingSpec;
  readonly resources: Resources;
  /** Container labels, sorted by name. */
  readonly labels: Readonly<Record<string, string>>;
  readonly logging: LoggingSpec;
  /** @default true (unlike Compose): opt out with `read_only: false`. */
  readonly readOnlyRootFilesystem: boolean;
  /** Run an init process as PID 1 (Compose `init`). */
  readonly init: boolean;
  readonly user?: string;
  readonly workingDir?: string;
  /** Seconds between SIGTERM and SIGKILL (Compose `stop_grace_period`). */
  readonly stopGracePeriodSeconds?: number;
  /** In-memory scratch mounts, e.g. `/tmp` (useful with a read-only root filesystem). */
  readonly tmpfs: readonly { readonly path: string; readonly sizeMiB: number }[];
  /** The services this one calls (`x-calls`), sorted by name: the only service-to-service traffic allowed. */
  readonly calls: readonly ServiceCall[];
}

/** One thing wrong with a descriptor (lib/problems.ts `Problem`; `file` is e.g. `services/alpha.yaml`). */
export type DescriptorProblem = Problem;

/** Invalid descriptors: every problem found, not just the first. */
export class ServiceDescriptorError extends Error {
  constructor(public readonly problems: readonly DescriptorProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.path || "(root)"}: ${p.message}`).join("\n"));
    this.name = "ServiceDescriptorError";
  }
}
