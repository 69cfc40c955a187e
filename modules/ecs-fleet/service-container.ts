import { DeployTarget, secretValueFrom, ServiceDescriptor } from "../compose";
import { PORT_NAME } from "./service-connect";

/** What the application container of one ECS service is built from (resolved by EcsAppService). */
export interface ContainerDefinitionProps {
  readonly service: ServiceDescriptor;
  /** The full image reference (registry/repository:tag or @digest). */
  readonly image: string;
  /** The service's own log group (awslogs). */
  readonly logGroupName: string;
  /** The account, partition and region the service's secrets resolve in. */
  readonly deployTarget: DeployTarget;
  /** Service Connect is on: the port mapping declares its application protocol. */
  readonly serviceConnect: boolean;
}

/**
 * The task's application container (one entry of `container_definitions`): the descriptor's
 * command, resources, environment and secrets; a dynamic host port; a read-only root filesystem
 * unless the descriptor opts out, never privileged, NET_RAW dropped; awslogs to its log group.
 */
export function containerDefinition(props: ContainerDefinitionProps): object {
  const s = props.service;
  const r = s.resources;
  return {
    name: s.name,
    image: props.image,
    essential: true,
    ...(s.entrypoint ? { entryPoint: [...s.entrypoint] } : {}),
    ...(s.command ? { command: [...s.command] } : {}),
    cpu: r.cpu,
    memory: r.memoryMiB,
    ...(r.memoryReservationMiB !== undefined ? { memoryReservation: r.memoryReservationMiB } : {}),
    // Dynamic host port: the agent picks a free one, the target group learns it.
    portMappings: s.port !== undefined ? [{ name: PORT_NAME, containerPort: s.port, hostPort: 0, protocol: "tcp", ...(props.serviceConnect ? { appProtocol: "http" } : {}) }] : [],
    environment: Object.entries(s.environment).map(([k, v]) => ({ name: k, value: v })),
    secrets: s.secrets.map((x) => ({ name: x.name, valueFrom: secretValueFrom(x, props.deployTarget) })),
    readonlyRootFilesystem: s.readOnlyRootFilesystem,
    privileged: false,
    ...(s.user ? { user: s.user } : {}),
    ...(s.workingDir ? { workingDirectory: s.workingDir } : {}),
    ...(s.stopGracePeriodSeconds !== undefined ? { stopTimeout: s.stopGracePeriodSeconds } : {}),
    linuxParameters: {
      initProcessEnabled: s.init,
      capabilities: { drop: ["NET_RAW"] },
      ...(s.tmpfs.length ? { tmpfs: s.tmpfs.map((t) => ({ containerPath: t.path, size: t.sizeMiB })) } : {}),
    },
    ...(s.containerHealthCheck
      ? {
          healthCheck: {
            command: [...s.containerHealthCheck.test],
            interval: s.containerHealthCheck.intervalSeconds,
            timeout: s.containerHealthCheck.timeoutSeconds,
            retries: s.containerHealthCheck.retries,
            startPeriod: s.containerHealthCheck.startPeriodSeconds,
          },
        }
      : {}),
    dockerLabels: { ...s.labels },
    logConfiguration: { logDriver: "awslogs", options: awslogsOptions(s, props.logGroupName, props.deployTarget.region) },
  };
}

/** The awslogs driver's options: the service's log group and stream prefix, and the descriptor's logging options (Compose `logging.options`). */
function awslogsOptions(s: ServiceDescriptor, logGroupName: string, region: string): Record<string, string> {
  const options: Record<string, string> = {
    "awslogs-group": logGroupName,
    "awslogs-region": region,
    "awslogs-stream-prefix": s.name,
    mode: s.logging.mode,
  };
  if (s.logging.maxBufferSize) options["max-buffer-size"] = s.logging.maxBufferSize;
  if (s.logging.multilinePattern) options["awslogs-multiline-pattern"] = s.logging.multilinePattern;
  if (s.logging.datetimeFormat) options["awslogs-datetime-format"] = s.logging.datetimeFormat;
  return options;
}
