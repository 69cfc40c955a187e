import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Environment } from "../environments/schema";
import { edgeNames } from "../environments/features/edge";
import { Alb } from "../modules/edge/alb";
import { Cdn, VIEWER_HOST_HEADER } from "../modules/edge/cdn";
import { DnsValidatedCertificate } from "../modules/edge/certificate";
import { Allocation, AllocationRecord, ListenerRoute, RouteRequest, allocateListenerRules } from "../modules/edge/listener-rules";
import { allocationFile, readAllocationRecord } from "../modules/edge/allocation-file";
import { OriginVerifySecret } from "../modules/edge/origin-verify";
import { EdgeRecords } from "../modules/edge/records";
import { WebAcl } from "../modules/edge/waf";
import { PodTargetService } from "../modules/edge/service-targets";
import { podTargetPath } from "./edge-pod-targets";
import { AlbAlarms, WafAlarms } from "../modules/observability/alarms";
import { resolveThresholds } from "../modules/observability/thresholds";
import { EnvironmentStack, environmentTags } from "./environment-stack";
import type { EdgeRef, GlobalRef, NetworkRef } from "./contracts";

/** Region of CloudFront's certificate and CLOUDFRONT-scope WAF. */
export const CLOUDFRONT_REGION = "us-east-1";
/** Alias of the us-east-1 provider in the edge stack. */
export const CLOUDFRONT_PROVIDER_ALIAS = "us_east_1";
export interface EdgeStackProps {
  readonly network: NetworkRef;
  readonly global: GlobalRef;
  /** Publicly exposed service routes (from the service catalog). */
  readonly routes: readonly RouteRequest[];
  /**
   * What earlier syntheses allocated (the append-only listener-rule record). The stack only reads
   * it: the extended record is `allocation.record`, which the caller persists (main.ts, after a
   * successful synth). @default the committed file environments/edge-routes/<env>.json
   */
  readonly allocationRecord?: AllocationRecord;
  /**
   * EKS: the public services whose pods the ALB targets directly (one `ip` target group and
   * listener rule each, here), and the network stack of the cluster they run in. When that is
   * another environment's (a shared-cluster guest), the edge peers its VPC with the host's.
   * @default none (ECS: the apps stack owns its target groups and rules)
   */
  readonly podTargets?: { readonly services: readonly PodTargetService[]; readonly clusterNetwork: NetworkRef };
}

/**
 * `<env>-edge`: every request goes viewer -> CloudFront (+ CLOUDFRONT web ACL) -> ALB (+ REGIONAL
 * web ACL) -> service. Holds the ACM certificates (regional for the ALB, us-east-1 for CloudFront)
 * and their DNS validation, the ALB with its listeners (primary 443 and spill ports), the
 * origin-verify secret, both web ACLs, the distribution and the Route 53 records and health check.
 * Reads the network (subnets, `alb` security group, account, alarm topic) and the global stack
 * (hosted zone) through cross-stack references. Later layers read it as an `EdgeRef`: the apps
 * stacks add one listener rule per route at `route(key)`.
 */
export class EdgeStack extends EnvironmentStack implements EdgeRef {
  /** us-east-1 provider (CloudFront certificate, CLOUDFRONT web ACL and its logs and alarm). */
  public readonly cloudFrontProvider: AwsProvider;
  /** Viewer host names. */
  public readonly hosts: readonly string[];
  /** Host name CloudFront uses to reach the ALB. */
  public readonly originHost: string;
  /** The listener-rule allocation of `routes` (main.ts persists `allocation.record`). */
  public readonly allocation: Allocation;
  /** The header every service listener rule requires (its value is a reference to the secret, never a literal). */
  public readonly originVerify: OriginVerifySecret;
  /** The ALB, its HTTPS listeners (primary 443 first, then spill ports) and access logs. */
  public readonly alb: Alb;
  public readonly regionalAcl: WebAcl;
  public readonly cloudFrontAcl: WebAcl;
  public readonly cdn: Cdn;
  public readonly records: EdgeRecords;
  public readonly podTargetGroups: ReadonlyMap<string, { readonly arn: string; readonly arnSuffix: string }>;
  public readonly targetVpcId?: string;
  private readonly routeRequests: ReadonlyMap<string, RouteRequest>;

  constructor(scope: Construct, env: Environment, props: EdgeStackProps) {
    super(scope, env, "edge");
    const cfg = env.edge;
    const zone = props.global.zone;
    // Config validation (edgeZoneProblems) rejects an edge without a zone and names outside it.
    if (!zone) throw new Error(`EdgeStack ${env.name}: the global stack has no hosted zone (validateConfig rejects edge.enabled without dns.domain)`);
    const names = edgeNames(env, zone.domain);
    this.hosts = names.hosts;
    this.originHost = names.originHost;

    this.cloudFrontProvider = new AwsProvider(this, "aws-us-east-1", {
      alias: CLOUDFRONT_PROVIDER_ALIAS,
      region: CLOUDFRONT_REGION,
      defaultTags: [{ tags: environmentTags(env, this.stackName) }],
    });

    // Listener-rule allocation (append-only record; see modules/edge/listener-rules.ts). Synthesis
    // has no side effects: main.ts writes `allocation.record` when `allocation.added` is not empty.
    this.allocation = allocateListenerRules(props.routes, {
      quota: cfg.listenerRuleQuota,
      firstSpillPort: cfg.firstSpillPort,
      reservedOnPrimary: 1, // the edge health rule
      record: props.allocationRecord ?? readAllocationRecord(allocationFile(env.name)),
    });
    this.routeRequests = new Map(props.routes.map((r) => [r.key, r]));

    const network = props.network;
    this.originVerify = new OriginVerifySecret(this, "origin-verify", { secretName: this.name("origin-verify"), protect: env.production });
    const albCert = new DnsValidatedCertificate(this, "alb-cert", { names: [this.originHost], zoneId: zone.zoneId });
    const cdnCert = new DnsValidatedCertificate(this, "cdn-cert", { names: this.hosts, zoneId: zone.zoneId, provider: this.cloudFrontProvider });
    this.alb = this.loadBalancer(network, albCert.certificateArn, zone.zoneId);
    const acls = this.webAcls(network);
    this.regionalAcl = acls.regional;
    this.cloudFrontAcl = acls.cloudFront;
    this.podTargetGroups = podTargetPath(this, network, props.routes, props.podTargets, (k) => this.route(k));
    this.targetVpcId = props.podTargets && props.podTargets.clusterNetwork.envName !== network.envName && this.podTargetGroups.size ? network.vpcId : undefined;
    this.alarms(network);
    this.cdn = this.distribution(network, cdnCert.certificateArn);
    this.records = new EdgeRecords(this, "dns", {
      zoneId: zone.zoneId,
      hosts: this.hosts,
      distributionDomainName: this.cdn.domainName,
      routing: cfg.routing,
      healthCheckPath: cfg.healthCheckPath,
      namePrefix: this.namePrefix,
    });

    new TerraformOutput(this, "hosts", { value: this.hosts });
    new TerraformOutput(this, "distribution_domain_name", { value: this.cdn.domainName });
    new TerraformOutput(this, "listener_ports", { value: this.allocation.listeners.map((l) => l.port), description: "HTTPS listener ports: 443, then spill ports" });
  }

  public get albArnSuffix(): string {
    return this.alb.albArnSuffix;
  }

  public get distributionId(): string {
    return this.cdn.distributionId;
  }

  public get regionalWebAclName(): string {
    return this.regionalAcl.webAclName;
  }

  /** The ALB in the public subnets with its listeners, and the origin name CloudFront reaches it by. */
  private loadBalancer(network: NetworkRef, certificateArn: string, zoneId: string): Alb {
    const cfg = this.env.edge;
    const alb = new Alb(this, "alb", {
      name: this.name("alb"),
      subnetIds: this.env.azs.map((az) => network.publicSubnetIds[az]),
      securityGroupId: network.securityGroups.albSgId,
      cloudFrontPrefixListId: network.securityGroups.cloudFrontPrefixListId,
      certificateArn,
      httpsPorts: this.allocation.listeners.map((l) => l.port),
      deletionProtection: this.env.production,
      logBucketName: `${this.name("alb-logs")}-${network.accountId}`,
      logExpirationDays: cfg.logRetentionDays,
      accountId: network.accountId,
      health: { path: cfg.healthCheckPath, headerName: this.originVerify.headerName, headerValue: this.originVerify.headerValue },
    });
    // CloudFront reaches the ALB by a name on the ALB's certificate.
    new Route53Record(this, "origin", {
      zoneId,
      name: this.originHost,
      type: "A",
      alias: { name: alb.albDnsName, zoneId: alb.albZoneId, evaluateTargetHealth: false },
    });
    return alb;
  }

  /** The REGIONAL web ACL on the ALB and the CLOUDFRONT one on the distribution, from one profile. */
  private webAcls(network: NetworkRef): { regional: WebAcl; cloudFront: WebAcl } {
    const env = this.env;
    const cfg = env.edge;
    const profile = {
      rateLimit: cfg.waf.rateLimit,
      blockList: cfg.waf.blockList,
      watchList: cfg.waf.watchList,
      maxBodyBytes: cfg.waf.maxBodyBytes,
      geoMatch: cfg.waf.geoMatch,
    };
    const rateAlarmThreshold = resolveThresholds(env.observability.thresholds, `${env.name} observability.thresholds`).wafRateRuleRequests;
    const regional = new WebAcl(this, "waf-regional", {
      scope: "REGIONAL",
      name: this.name("alb"),
      profile,
      region: env.region,
      logRetentionDays: cfg.logRetentionDays,
      logKmsKeyArn: network.logsKeyArn,
      alarmTopicArn: network.alarmTopicArn,
      rateAlarmThreshold,
    });
    new Wafv2WebAclAssociation(this, "waf-alb", { resourceArn: this.alb.albArn, webAclArn: regional.webAclArn });
    // SNS topics and the logs key are regional: the us-east-1 ACL uses them only when the environment is there too.
    const sameRegion = this.inCloudFrontRegion;
    const cloudFront = new WebAcl(this, "waf-cloudfront", {
      scope: "CLOUDFRONT",
      name: this.name("cdn"),
      profile,
      logRetentionDays: cfg.logRetentionDays,
      logKmsKeyArn: sameRegion ? network.logsKeyArn : undefined,
      alarmTopicArn: sameRegion ? network.alarmTopicArn : undefined,
      rateAlarmThreshold,
      provider: this.cloudFrontProvider,
    });
    return { regional, cloudFront };
  }

  private get inCloudFrontRegion(): boolean {
    return this.env.region === CLOUDFRONT_REGION;
  }

  /**
   * Default alarms (docs/reference/alarms.md): ALB 5xx rates and p99 latency, WAF blocked-request
   * spikes. ECS target groups (and their unhealthy-host alarms) belong to the apps stack, EKS pod
   * target groups' to AlbAlarms here; each ACL's rate-rule alarm comes with the ACL itself.
   */
  private alarms(network: NetworkRef): void {
    const alarmBase = { namePrefix: this.namePrefix, topicArn: network.alarmTopicArn, thresholds: this.env.observability.thresholds };
    const podTgSuffixes = Object.fromEntries([...this.podTargetGroups].map(([k, v]) => [k, v.arnSuffix]));
    new AlbAlarms(this, "alb-alarms", { ...alarmBase, loadBalancerArnSuffix: this.alb.albArnSuffix, targetGroupArnSuffixes: podTgSuffixes });
    new WafAlarms(this, "waf-regional-alarms", { ...alarmBase, webAclName: this.regionalAcl.webAclName, region: this.env.region });
    if (this.inCloudFrontRegion) new WafAlarms(this, "waf-cloudfront-alarms", { ...alarmBase, webAclName: this.cloudFrontAcl.webAclName, provider: this.cloudFrontProvider });
  }

  /**
   * The distribution: one origin per HTTPS listener port; routes on spill listeners need a cache
   * behavior to that port's origin, and static paths go where their route lives.
   */
  private distribution(network: NetworkRef, certificateArn: string): Cdn {
    const cfg = this.env.edge;
    const routes = this.routeRequests;
    const portOfPattern = new Map<string, number>();
    for (const [key, addr] of this.allocation.rules) for (const p of routes.get(key)!.pathPatterns) portOfPattern.set(p, addr.port);
    const primaryPort = this.allocation.listeners[0].port;
    const staticBehaviors = cfg.cdn.staticPathPatterns.map((p) => ({ pathPattern: p, port: portOfPattern.get(p) ?? primaryPort }));
    const staticSet = new Set(cfg.cdn.staticPathPatterns);
    const spillBehaviors = [...this.allocation.rules.entries()]
      .filter(([, a]) => a.listenerIndex > 0)
      .sort(([, a], [, b]) => a.priority - b.priority)
      .flatMap(([key, a]) => routes.get(key)!.pathPatterns.filter((p) => !staticSet.has(p)).map((p) => ({ pathPattern: p, port: a.port })));
    return new Cdn(this, "cdn", {
      namePrefix: this.namePrefix,
      aliases: this.hosts,
      certificateArn,
      originHost: this.originHost,
      originPorts: this.allocation.listeners.map((l) => l.port),
      originVerify: { name: this.originVerify.headerName, value: this.originVerify.headerValue },
      staticBehaviors,
      spillBehaviors,
      priceClass: cfg.cdn.priceClass,
      geoRestriction: cfg.cdn.geoRestriction,
      webAclArn: this.cloudFrontAcl.webAclArn,
      logBucketName: `${this.name("cdn-logs")}-${network.accountId}`,
      logExpirationDays: cfg.logRetentionDays,
      protectLogs: this.env.production,
      maxCacheBehaviors: cfg.cdn.maxCacheBehaviors,
    });
  }

  /**
   * A route's listener rule: the listener (ARN and port) and priority the allocation gave it, and
   * its conditions as `aws_lb_listener_rule` `condition` blocks: its path patterns, its hosts
   * (matched on X-Forwarded-Host, which CloudFront sets to the viewer's host) and the
   * origin-verify header. Throws for an unknown key.
   */
  public route(key: string): ListenerRoute {
    const a = this.allocation.rules.get(key);
    if (!a) {
      const known = [...this.allocation.rules.keys()];
      throw new Error(`EdgeStack ${this.stackName}: no route ${JSON.stringify(key)}: pass it in the edge stack's routes (known: ${known.length ? known.join(", ") : "none"})`);
    }
    const route = this.routeRequests.get(key)!;
    return {
      listenerArn: this.alb.httpsListeners[a.listenerIndex].arn,
      port: a.port,
      priority: a.priority,
      conditions: [
        { pathPattern: { values: [...route.pathPatterns] } },
        ...(route.hosts?.length ? [{ httpHeader: { httpHeaderName: VIEWER_HOST_HEADER, values: [...route.hosts] } }] : []),
        { httpHeader: { httpHeaderName: this.originVerify.headerName, values: [this.originVerify.headerValue] } },
      ],
    };
  }
}
