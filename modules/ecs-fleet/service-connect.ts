import { Construct } from "constructs";
import { EcsServiceServiceConnectConfiguration } from "@cdktf/provider-aws/lib/ecs-service";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { AllowedCall, Resources } from "../compose";
import { DYNAMIC_HOST_PORTS } from "./index";

/**
 * ECS Service Connect for the services of one environment: every ECS service joins the
 * environment's Cloud Map HTTP namespace (so its tasks run the Service Connect proxy and can
 * resolve the namespace's endpoints), and a service that another service declares a call to
 * (`x-calls`) is also an endpoint: discovery name and client alias `<service>:<port>`, the same
 * address Kubernetes gives it (`http://ledger:8080`). The proxy logs to the service's log group.
 */

/**
 * What the Service Connect proxy container is given on top of the application container, per
 * task: AWS's sizing guidance for the proxy (256 CPU units and 64 MiB; see docs/service-calls.md).
 * Added to the task-level CPU and memory, so placement reserves it and the
 * application container keeps all of its own.
 */
export const SERVICE_CONNECT_PROXY = { cpu: 256, memoryMiB: 64 } as const;

/** Name of the container port mapping Service Connect refers to (the same name as the Kubernetes container port). */
export const PORT_NAME = "http";

export interface ServiceConnectProps {
  /** ARN of the environment's Cloud Map HTTP namespace (the platform stack's). */
  readonly namespaceArn: string;
  /** The services allowed to call this one, sorted. An endpoint is registered exactly when there is at least one. @default none */
  readonly callers?: readonly string[];
}

/** Task-level CPU units and MiB: the application container's, plus the proxy's when Service Connect is on. */
export function taskSize(r: Resources, serviceConnect: boolean): { readonly cpu: number; readonly memoryMiB: number } {
  const cpu = r.cpuLimit ?? r.cpu;
  return serviceConnect ? { cpu: cpu + SERVICE_CONNECT_PROXY.cpu, memoryMiB: r.memoryMiB + SERVICE_CONNECT_PROXY.memoryMiB } : { cpu, memoryMiB: r.memoryMiB };
}

/**
 * ECS measures service CPU and memory utilization against the task-level size, which includes the
 * proxy's share. A descriptor's target (`x-scaling.cpu: 60`) means the application's own
 * reservation, so the target-tracking value is scaled by the application's share of the task:
 * alpha (256 of 512 CPU units) at 60 % of its own CPU is 30 % of the task. Never below 1.
 */
export function taskUtilizationTarget(percent: number, appShare: number, taskTotal: number): number {
  return Math.max(1, Math.round((percent * appShare) / taskTotal));
}

/** The ECS service's `service_connect_configuration`. */
export function serviceConnectConfiguration(props: {
  readonly service: string;
  readonly port?: number;
  readonly serviceConnect: ServiceConnectProps;
  readonly logGroupName: string;
  readonly region: string;
}): EcsServiceServiceConnectConfiguration {
  const endpoint = props.port !== undefined && (props.serviceConnect.callers ?? []).length > 0;
  return {
    enabled: true,
    namespace: props.serviceConnect.namespaceArn,
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": props.logGroupName, "awslogs-region": props.region, "awslogs-stream-prefix": "service-connect" },
    },
    ...(endpoint ? { service: [{ portName: PORT_NAME, discoveryName: props.service, clientAlias: { dnsName: props.service, port: props.port! } }] } : {}),
  };
}

export interface ServiceConnectTrafficProps {
  /** The `app` security group (container instances). */
  readonly appSecurityGroupId: string;
  /** The environment's allowed calls. No call, no rule. */
  readonly calls: readonly AllowedCall[];
}

/**
 * App-to-app traffic for Service Connect in bridge mode: a caller's proxy connects to the callee's
 * proxy on the host port ECS maps it to, which is in the agent's dynamic host-port range (as are
 * the application ports the load balancer reaches). So the `app` group accepts itself on that
 * range only, and only when the environment declares at least one call.
 */
export class ServiceConnectTraffic extends Construct {
  constructor(scope: Construct, id: string, props: ServiceConnectTrafficProps) {
    super(scope, id);
    if (props.calls.length === 0) return;
    // Security-group descriptions allow no ">": "alpha to ledger:8080".
    const calls = props.calls.map((c) => `${c.from} to ${c.to}:${c.port}`).join(", ");
    new VpcSecurityGroupIngressRule(this, "app-from-app", {
      securityGroupId: props.appSecurityGroupId,
      referencedSecurityGroupId: props.appSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: DYNAMIC_HOST_PORTS.from,
      toPort: DYNAMIC_HOST_PORTS.to,
      description: `Service Connect proxies on dynamic host ports: ${calls}`.slice(0, 255),
    });
  }
}
