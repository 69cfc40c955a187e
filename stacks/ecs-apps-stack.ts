import { Construct } from "constructs";
import { Environment } from "../environments/schema";
import { EcsPlatformConfig } from "../environments/features/ecs";
import { ServiceDescriptor, allowedCalls, callersOf, imageOf } from "../modules/compose";
import { EcsAppService, ServiceConnectTraffic } from "../modules/ecs-fleet";
import { EcsServiceAlarms } from "../modules/observability/alarms";
import { resolveThresholds } from "../modules/observability/thresholds";
import { RouteRequest } from "../modules/edge/listener-rules";
import { EnvironmentStack } from "./environment-stack";
import type { EcsPlatformRef, EdgeRef, NetworkRef, ServiceRegistry } from "./contracts";

/** The edge routes of the public services: one per service, keyed by service name. */
export function serviceRoutes(services: readonly ServiceDescriptor[]): RouteRequest[] {
  return services
    .filter((s) => s.expose === "public" && s.route)
    .map((s) => ({ key: s.name, pathPatterns: [...s.route!.pathPatterns], ...(s.route!.host ? { hosts: [s.route!.host] } : {}) }));
}

export interface EcsAppsStackProps {
  readonly network: NetworkRef;
  readonly platform: EcsPlatformRef;
  /** ECR repositories of the services (the global stack's). */
  readonly registry: ServiceRegistry;
  /** The environment's edge. @default none: services run without target groups or listener rules (`edge.enabled: false`) */
  readonly edge?: EdgeRef;
  /** The environment's services (descriptors with its overrides applied). */
  readonly services: readonly ServiceDescriptor[];
}

/**
 * `<env>-apps` on ECS: every service of `services/` as an ECS service on the environment's
 * cluster (modules/ecs-fleet EcsAppService), public ones behind the edge's ALB with a listener
 * rule where the edge allocated it, plus per-service alarms (CPU, memory, tasks below desired).
 * Every service joins the environment's Service Connect namespace (platform stack); a service
 * some other service calls (`x-calls`) is an endpoint there, `<service>:<port>`, and the `app`
 * group lets the proxies reach each other (modules/ecs-fleet/service-connect.ts).
 */
export class EcsAppsStack extends EnvironmentStack {
  /** The services, by name. */
  public readonly services: ReadonlyMap<string, EcsAppService>;

  constructor(scope: Construct, env: Environment, props: EcsAppsStackProps) {
    super(scope, env, "apps");
    if (env.platform.kind !== "ecs") throw new Error(`EcsAppsStack: ${env.name} has platform.kind ${env.platform.kind}, not ecs`);
    const cfg = env.platform as EcsPlatformConfig;
    const { network, platform, registry, edge } = props;
    // Applied after the layers it runs on, even while it has no services yet.
    this.addDependency(network.stack);
    this.addDependency(platform.stack);
    const thresholds = resolveThresholds(env.observability.thresholds, `${env.name} observability.thresholds`);
    const out = new Map<string, EcsAppService>();
    for (const s of [...props.services].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const image = imageOf(s, registry.repositoryUrls);
      const routed = edge && s.expose === "public" && s.route;
      const route = routed ? edge.route(s.name) : undefined;
      out.set(
        s.name,
        new EcsAppService(this, s.name, {
          namePrefix: this.namePrefix,
          region: env.region,
          accountId: network.accountId,
          partition: network.partition,
          service: s,
          image,
          repositoryArn: s.image.kind === "repository" ? registry.repositoryArns.get(s.image.repository) : undefined,
          clusterName: platform.clusterName,
          clusterArn: platform.clusterArn,
          capacityProviderStrategy: platform.capacityProviderStrategy,
          vpcId: network.vpcId,
          logsKeyArn: network.logsKeyArn,
          logRetentionDays: env.observability.logRetentionDays,
          deployment: cfg.deployment,
          exec: cfg.exec ? { logGroupName: platform.execLogGroupName } : undefined,
          route: route ? { ...route, albArnSuffix: edge!.albArnSuffix } : undefined,
          alarms: cfg.serviceAlarms ? { topicArn: network.alarmTopicArn, unhealthyHosts: thresholds.unhealthyHosts } : undefined,
          parking: env.parking,
          serviceConnect: { namespaceArn: platform.serviceConnectNamespaceArn, callers: callersOf(props.services, s.name) },
        }),
      );
    }
    this.services = out;
    new ServiceConnectTraffic(this, "service-connect", { appSecurityGroupId: network.securityGroups.appSgId, calls: allowedCalls(props.services) });
    if (out.size && cfg.serviceAlarms) {
      new EcsServiceAlarms(this, "alarms", {
        namePrefix: this.namePrefix,
        topicArn: network.alarmTopicArn,
        thresholds: env.observability.thresholds,
        clusterName: platform.clusterName,
        services: Object.fromEntries([...out].map(([k, v]) => [k, v.serviceName])),
      });
    }
  }
}
