import * as crypto from "crypto";
import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import { ParkingSchedule, toAwsCron } from "../parking";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { metricAlarm } from "../observability/alarm-set";
import { unhealthyHostsAlarm } from "../observability/alarms";
import { targetGroupMetric } from "../observability/metrics";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LbListenerRule, LbListenerRuleCondition } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup, LbTargetGroupHealthCheck } from "@cdktf/provider-aws/lib/lb-target-group";
import { DeployTarget, HttpHealthCheck, secretReadStatements, secretValueFrom, ServiceDescriptor } from "../compose";
import type { CapacityProviderStrategyItem } from "./index";
import { PORT_NAME, ServiceConnectProps, serviceConnectConfiguration, taskSize, taskUtilizationTarget } from "./service-connect";
import { policyDocument, serviceTrustPolicy } from "../iam/policy";

/** Where a public service's listener rule goes (from the edge's listener-rule allocation). */
export interface ServiceRoute {
  readonly listenerArn: string;
  readonly priority: number;
  /** The rule's conditions: path patterns, host header and the origin-verify header. */
  readonly conditions: readonly LbListenerRuleCondition[];
  /** `aws_lb.arn_suffix`, for request-count scaling and the unhealthy-hosts alarm. */
  readonly albArnSuffix: string;
}

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

/** A target group name: at most 32 characters, stable for a given service. */
export function targetGroupName(namePrefix: string, service: string): string {
  const full = `${namePrefix}-${service}`;
  if (full.length <= 32) return full;
  const hash = crypto.createHash("sha256").update(full).digest("hex").slice(0, 6);
  return `${full.slice(0, 25).replace(/-+$/, "")}-${hash}`;
}

/**
 * A target group's health check from the descriptor's `x-health`: the same on ECS (instance
 * targets) and EKS (ip targets), on the port the traffic uses.
 */
export function targetGroupHealthCheck(h: HttpHealthCheck): LbTargetGroupHealthCheck {
  return {
    enabled: true,
    path: h.path,
    port: "traffic-port",
    protocol: "HTTP",
    interval: h.intervalSeconds,
    timeout: h.timeoutSeconds,
    healthyThreshold: h.healthyThreshold,
    unhealthyThreshold: h.unhealthyThreshold,
    matcher: h.matcher,
  };
}

/**
 * One service of the descriptor on ECS (EC2 capacity, bridge networking): a task definition with
 * dynamic host ports, awslogs to its own encrypted log group, a read-only root filesystem unless
 * the descriptor opts out, never privileged; an execution role (image pull, logs, the service's
 * secrets only) separate from the task role (ECS Exec only); for a routed service a target group
 * (instance targets, health check from `x-health`) and its listener rule; the ECS service spread
 * across AZs then packed by memory, with a rolling-back circuit breaker; and target-tracking
 * autoscaling from `x-scaling`.
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

    const logs = new CloudwatchLogGroup(this, "logs", { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: props.logsKeyArn });

    const assume = serviceTrustPolicy("ecs-tasks.amazonaws.com", { condition: { ArnLike: { "aws:SourceArn": `arn:${partition}:ecs:${props.region}:${props.accountId}:*` } } });
    // Execution role: what ECS needs to start the task (pull the image, write logs, read the secrets).
    const execution = new IamRole(this, "execution-role", { name: `${name}-execution`.slice(0, 64), description: `ECS task execution: ${s.name}`, assumeRolePolicy: assume });
    const executionStatements: object[] = [
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
    ];
    if (props.repositoryArn) {
      // GetAuthorizationToken has no resource-level permissions.
      executionStatements.push({ Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
      executionStatements.push({ Sid: "PullOwnImage", Effect: "Allow", Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: props.repositoryArn });
    }
    // Secrets named in the descriptor resolve in this account, partition and region; exactly those ARNs.
    const deployTarget: DeployTarget = { accountId: props.accountId, partition, region: props.region };
    executionStatements.push(...secretReadStatements(s.secrets, deployTarget));
    new IamRolePolicy(this, "execution-policy", { name: "task-execution", role: execution.name, policy: policyDocument(executionStatements) });

    // Task role: what the application itself may do. Nothing by default, ECS Exec when enabled.
    const task = new IamRole(this, "task-role", { name: `${name}-task`.slice(0, 64), description: `ECS task: ${s.name}`, assumeRolePolicy: assume });
    if (props.exec) {
      const execLogArn = `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:${props.exec.logGroupName}`;
      new IamRolePolicy(this, "exec-policy", {
        name: "ecs-exec",
        role: task.name,
        policy: policyDocument([
            // Session Manager channels support no resource-level permissions.
            { Sid: "Sessions", Effect: "Allow", Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: "*" },
            { Sid: "DescribeLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
            { Sid: "SessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: `${execLogArn}:*` },
            { Sid: "SessionEncryption", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: props.logsKeyArn },
          ]),
      });
    }

    const r = s.resources;
    const logOptions: Record<string, string> = {
      "awslogs-group": logGroupName,
      "awslogs-region": props.region,
      "awslogs-stream-prefix": s.name,
      mode: s.logging.mode,
    };
    if (s.logging.maxBufferSize) logOptions["max-buffer-size"] = s.logging.maxBufferSize;
    if (s.logging.multilinePattern) logOptions["awslogs-multiline-pattern"] = s.logging.multilinePattern;
    if (s.logging.datetimeFormat) logOptions["awslogs-datetime-format"] = s.logging.datetimeFormat;
    const container = {
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
      secrets: s.secrets.map((x) => ({ name: x.name, valueFrom: secretValueFrom(x, deployTarget) })),
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
      logConfiguration: { logDriver: "awslogs", options: logOptions },
    };
    // The task is the application container plus, with Service Connect, the proxy ECS adds to it.
    const size = taskSize(r, !!props.serviceConnect);
    const taskDefinition = new EcsTaskDefinition(this, "task", {
      family: name,
      networkMode: "bridge",
      requiresCompatibilities: ["EC2"],
      cpu: String(size.cpu),
      memory: String(size.memoryMiB),
      executionRoleArn: execution.arn,
      taskRoleArn: task.arn,
      containerDefinitions: JSON.stringify([container]),
      dependsOn: [logs],
    });

    let targetGroup: LbTargetGroup | undefined;
    let rule: LbListenerRule | undefined;
    if (props.route && s.health && s.port !== undefined) {
      const h = s.health;
      targetGroup = new LbTargetGroup(this, "target-group", {
        name: targetGroupName(props.namePrefix, s.name),
        port: s.port,
        protocol: "HTTP",
        targetType: "instance",
        vpcId: props.vpcId,
        deregistrationDelay: String(props.deployment.deregistrationDelaySeconds),
        healthCheck: targetGroupHealthCheck(h),
      });
      rule = new LbListenerRule(this, "rule", {
        listenerArn: props.route.listenerArn,
        priority: props.route.priority,
        action: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        condition: [...props.route.conditions],
      });
      if (props.alarms) {
        const metric = targetGroupMetric(props.route.albArnSuffix, targetGroup.arnSuffix, "UnHealthyHostCount");
        metricAlarm(this, "unhealthy-hosts", { namePrefix: name, topicArn: props.alarms.topicArn }, unhealthyHostsAlarm("unhealthy-hosts", `Service ${s.name}`, metric, props.alarms.unhealthyHosts));
      }
    }

    const service = new EcsService(this, "service", {
      name,
      cluster: props.clusterArn,
      taskDefinition: taskDefinition.arn,
      desiredCount: s.replicas,
      capacityProviderStrategy: props.capacityProviderStrategy.map((c) => ({ capacityProvider: c.capacityProvider, base: c.base, weight: c.weight })),
      orderedPlacementStrategy: [
        { type: "spread", field: "attribute:ecs.availability-zone" },
        { type: "binpack", field: "memory" },
      ],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: props.deployment.minimumHealthyPercent,
      deploymentMaximumPercent: props.deployment.maximumPercent,
      ...(targetGroup
        ? {
            healthCheckGracePeriodSeconds: s.health!.gracePeriodSeconds,
            loadBalancer: [{ targetGroupArn: targetGroup.arn, containerName: s.name, containerPort: s.port! }],
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
      dependsOn: rule ? [rule] : undefined,
    });

    const capacity = s.scaling ? { min: s.scaling.min, max: s.scaling.max } : { min: s.replicas, max: s.replicas };
    const target =
      s.scaling || props.parking
        ? new AppautoscalingTarget(this, "scaling", {
            serviceNamespace: "ecs",
            resourceId: `service/${props.clusterName}/${service.name}`,
            scalableDimension: "ecs:service:DesiredCount",
            minCapacity: capacity.min,
            maxCapacity: capacity.max,
          })
        : undefined;
    if (target && props.parking) {
      const action = (key: "park" | "unpark", cron: string, min: number, max: number) =>
        new AppautoscalingScheduledAction(this, key, {
          name: `${s.name}-${key}`,
          serviceNamespace: target.serviceNamespace,
          resourceId: target.resourceId,
          scalableDimension: target.scalableDimension,
          schedule: toAwsCron(cron),
          timezone: props.parking!.timeZone,
          scalableTargetAction: { minCapacity: String(min), maxCapacity: String(max) },
        });
      action("park", props.parking.stop, 0, 0);
      action("unpark", props.parking.start, capacity.min, capacity.max);
    }

    if (s.scaling && target) {
      const sc = s.scaling;
      const policy = (key: string, metric: string, value: number, resourceLabel?: string) =>
        new AppautoscalingPolicy(this, `scale-${key}`, {
          name: `${s.name}-${key}`,
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          resourceId: target.resourceId,
          scalableDimension: target.scalableDimension,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: value,
            scaleInCooldown: sc.scaleInCooldownSeconds,
            scaleOutCooldown: sc.scaleOutCooldownSeconds,
            predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
          },
        });
      // Utilization is measured against the task size (which includes the proxy): see taskUtilizationTarget.
      if (sc.cpuPercent !== undefined) policy("cpu", "ECSServiceAverageCPUUtilization", taskUtilizationTarget(sc.cpuPercent, r.cpuLimit ?? r.cpu, size.cpu));
      if (sc.memoryPercent !== undefined) policy("memory", "ECSServiceAverageMemoryUtilization", taskUtilizationTarget(sc.memoryPercent, r.memoryMiB, size.memoryMiB));
      if (sc.requestsPerTarget !== undefined && targetGroup && props.route) {
        policy("requests", "ALBRequestCountPerTarget", sc.requestsPerTarget, `${props.route.albArnSuffix}/${targetGroup.arnSuffix}`);
      }
    }

    this.serviceName = service.name;
    this.taskDefinitionArn = taskDefinition.arn;
    this.logGroupName = logs.name;
    this.targetGroupArn = targetGroup?.arn;
    this.targetGroupArnSuffix = targetGroup?.arnSuffix;
  }
}
