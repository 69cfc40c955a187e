import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { ParkingSchedule } from "../parking";
import { DeployTarget, ServiceDescriptor } from "../compose";
import type { CapacityProviderStrategyItem } from "./index";
import { ServiceConnectProps, serviceConnectConfiguration, taskSize } from "./service-connect";
import { containerDefinition } from "./service-container";
import { serviceRoles } from "./service-roles";
import { ServiceRoute, ServiceRouteResources, serviceRoute } from "./service-route";
import { serviceScaling } from "./service-scaling";

export { targetGroupHealthCheck, targetGroupName } from "./service-route";
export type { ServiceRoute } from "./service-route";

export interface EcsAppServiceProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly region: string;
  readonly accountId: string;
  /** @default aws */
  readonly partition?: string;
  readonly service: ServiceDescriptor;
  /** The full image reference (registry/repository:tag or @digest). */
  readonly image: string;
  /** ARN of the service's ECR repository, when the image comes from one (the execution role may pull from it only). */
  readonly repositoryArn?: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly capacityProviderStrategy: readonly CapacityProviderStrategyItem[];
  readonly vpcId: string;
  readonly logsKeyArn: string;
  /** Days to keep the service's container logs (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  readonly deployment: { readonly minimumHealthyPercent: number; readonly maximumPercent: number; readonly deregistrationDelaySeconds: number };
  /** ECS Exec: the task role gets the session permissions and the cluster's exec log group. @default none */
  readonly exec?: { readonly logGroupName: string };
  /** Listener rule of a public service. @default no target group, rule or load balancer (internal services, or no edge) */
  readonly route?: ServiceRoute;
  /** Alarm topic and unhealthy-hosts threshold for the target group alarm. @default no alarm */
  readonly alarms?: { readonly topicArn: string; readonly unhealthyHosts: number };
  /**
   * Park the service with its capacity: scale it to zero tasks at `stop` and back at `start`
   * (Application Auto Scaling scheduled actions), so parked hosts leave no pending tasks and the
   * tasks-below-desired alarm stays quiet. @default never parked
   */
  readonly parking?: ParkingSchedule;
  /**
   * ECS Service Connect (modules/ecs-fleet/service-connect.ts): the service joins the namespace,
   * is an endpoint `<service>:<port>` when it has callers, and its task is sized for the proxy.
   * @default none
   */
  readonly serviceConnect?: ServiceConnectProps;
}

/**
 * One service of the descriptor on ECS (EC2 capacity, bridge networking): a task definition with
 * dynamic host ports, awslogs to its own encrypted log group, a read-only root filesystem unless
 * the descriptor opts out, never privileged; an execution role (image pull, logs, the service's
 * secrets only) separate from the task role (ECS Exec only); for a routed service a target group
 * (instance targets, health check from `x-health`) and its listener rule; the ECS service spread
 * across AZs then packed by memory, with a rolling-back circuit breaker; and target-tracking
 * autoscaling from `x-scaling`.
 *
 * The parts live in sibling files (service-roles, service-container, service-route,
 * service-scaling) and create their resources in this construct's scope, so every Terraform
 * address is the service's own.
 */
export class EcsAppService extends Construct {
  public readonly serviceName: string;
  public readonly taskDefinitionArn: string;
  public readonly logGroupName: string;
  public readonly targetGroupArn?: string;
  public readonly targetGroupArnSuffix?: string;

  constructor(scope: Construct, id: string, props: EcsAppServiceProps) {
    super(scope, id);
    const s = props.service;
    if (props.route && s.port === undefined) throw new Error(`EcsAppService ${s.name}: a routed service needs a port (descriptor ${s.file})`);
    if (props.route && !s.health) throw new Error(`EcsAppService ${s.name}: a routed service needs an HTTP health check (descriptor ${s.file})`);
    if (props.capacityProviderStrategy.length === 0) throw new Error(`EcsAppService ${s.name}: capacityProviderStrategy must not be empty`);
    const partition = props.partition ?? "aws";
    const name = `${props.namePrefix}-${s.name}`;
    const logGroupName = `/ecs/${props.namePrefix}/${s.name}`;
    const logGroupArn = `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;
    const deployTarget: DeployTarget = { accountId: props.accountId, partition, region: props.region };

    const logs = new CloudwatchLogGroup(this, "logs", { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: props.logsKeyArn });
    const roles = serviceRoles(this, { name, service: s, deployTarget, logGroupArn, repositoryArn: props.repositoryArn, exec: props.exec, logsKeyArn: props.logsKeyArn });

    // The task is the application container plus, with Service Connect, the proxy ECS adds to it.
    const size = taskSize(s.resources, !!props.serviceConnect);
    const container = containerDefinition({ service: s, image: props.image, logGroupName, deployTarget, serviceConnect: !!props.serviceConnect });
    const taskDefinition = new EcsTaskDefinition(this, "task", {
      family: name,
      networkMode: "bridge",
      requiresCompatibilities: ["EC2"],
      cpu: String(size.cpu),
      memory: String(size.memoryMiB),
      executionRoleArn: roles.execution.arn,
      taskRoleArn: roles.task.arn,
      containerDefinitions: JSON.stringify([container]),
      dependsOn: [logs],
    });

    const routed =
      props.route && s.health && s.port !== undefined
        ? serviceRoute(this, {
            namePrefix: props.namePrefix,
            service: s.name,
            port: s.port,
            health: s.health,
            vpcId: props.vpcId,
            deregistrationDelaySeconds: props.deployment.deregistrationDelaySeconds,
            route: props.route,
            alarms: props.alarms,
          })
        : undefined;

    const service = this.ecsService(props, name, taskDefinition.arn, logGroupName, routed);
    serviceScaling(this, {
      clusterName: props.clusterName,
      serviceName: service.name,
      service: s.name,
      replicas: s.replicas,
      scaling: s.scaling,
      parking: props.parking,
      resources: s.resources,
      taskSize: size,
      requestCountResourceLabel: routed && props.route ? `${props.route.albArnSuffix}/${routed.targetGroup.arnSuffix}` : undefined,
    });

    this.serviceName = service.name;
    this.taskDefinitionArn = taskDefinition.arn;
    this.logGroupName = logs.name;
    this.targetGroupArn = routed?.targetGroup.arn;
    this.targetGroupArnSuffix = routed?.targetGroup.arnSuffix;
  }

  /**
   * The ECS service: the capacity provider strategy, spread across AZs then packed by memory, a
   * rolling-back circuit breaker, the target group when routed, Service Connect when on.
   */
  private ecsService(props: EcsAppServiceProps, name: string, taskDefinitionArn: string, logGroupName: string, routed?: ServiceRouteResources): EcsService {
    const s = props.service;
    return new EcsService(this, "service", {
      name,
      cluster: props.clusterArn,
      taskDefinition: taskDefinitionArn,
      desiredCount: s.replicas,
      capacityProviderStrategy: props.capacityProviderStrategy.map((c) => ({ capacityProvider: c.capacityProvider, base: c.base, weight: c.weight })),
      orderedPlacementStrategy: [
        { type: "spread", field: "attribute:ecs.availability-zone" },
        { type: "binpack", field: "memory" },
      ],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: props.deployment.minimumHealthyPercent,
      deploymentMaximumPercent: props.deployment.maximumPercent,
      ...(routed
        ? {
            healthCheckGracePeriodSeconds: s.health!.gracePeriodSeconds,
            loadBalancer: [{ targetGroupArn: routed.targetGroup.arn, containerName: s.name, containerPort: s.port! }],
          }
        : {}),
      ...(props.serviceConnect
        ? {
            serviceConnectConfiguration: serviceConnectConfiguration({ service: s.name, port: s.port, serviceConnect: props.serviceConnect, logGroupName, region: props.region }),
            // Who may call whom, for people reading the service (space-separated: tag values allow no commas).
            tags: {
              ...(s.calls.length ? { "harbor:calls": s.calls.map((c) => `${c.service}:${c.port}`).join(" ") } : {}),
              ...(props.serviceConnect.callers?.length ? { "harbor:callers": props.serviceConnect.callers.join(" ") } : {}),
            },
          }
        : {}),
      enableExecuteCommand: !!props.exec,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      waitForSteadyState: false,
      // Autoscaling (target tracking or the parking schedule) owns the desired count once the service exists.
      lifecycle: s.scaling || props.parking ? { ignoreChanges: ["desired_count"] } : undefined,
      // The target group must be attached to the load balancer before the service registers targets.
      dependsOn: routed ? [routed.rule] : undefined,
    });
  }
}
