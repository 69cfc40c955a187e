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
import { Allocation, AllocationRecord, RouteRequest, RuleAddress, allocateListenerRules } from "../modules/edge/listener-rules";
import { allocationFile, readAllocationRecord } from "../modules/edge/allocation-file";
import { OriginVerifySecret } from "../modules/edge/origin-verify";
import { EdgeRecords } from "../modules/edge/records";
import { WebAcl } from "../modules/edge/waf";
import { PodTargetGroups, PodTargetService } from "../modules/edge/service-targets";
import { GuestPeering } from "../modules/network/peering";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AlbAlarms, WafAlarms } from "../modules/observability/alarms";
import { resolveThresholds } from "../modules/observability/thresholds";
import { EnvironmentStack, environmentTags } from "./environment-stack";
import { GlobalStack } from "./global-stack";
import { NetworkStack } from "./network-stack";

/** Region of CloudFront's certificate and CLOUDFRONT-scope WAF. */
export const CLOUDFRONT_REGION = "us-east-1";
/** Alias of the us-east-1 provider in the edge stack. */
export const CLOUDFRONT_PROVIDER_ALIAS = "us_east_1";
export interface EdgeStackProps {
  readonly network: NetworkStack;
  readonly global: GlobalStack;
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
  readonly podTargets?: { readonly services: readonly PodTargetService[]; readonly clusterNetwork: NetworkStack };
}

/** Where a route's listener rule goes. */
export interface RouteAddress {
  readonly listenerArn: string;
  readonly port: number;
  readonly priority: number;
}

/**
 * `<env>-edge`: every request goes viewer -> CloudFront (+ CLOUDFRONT web ACL) -> ALB (+ REGIONAL
 * web ACL) -> service. Holds the ACM certificates (regional for the ALB, us-east-1 for CloudFront)
 * and their DNS validation, the ALB with its listeners (primary 443 and spill ports), the
 * origin-verify secret, both web ACLs, the distribution and the Route 53 records and health check.
 * Reads the network stack (subnets, `alb` security group, account, alarm topic) and the global
 * stack (hosted zone) through cross-stack references. The apps stacks add one listener rule per
 * route at `routeFor(key)`, with `routeConditions(key)`.
 */
export class EdgeStack extends EnvironmentStack {
  /** us-east-1 provider (CloudFront certificate, CLOUDFRONT web ACL and its logs and alarm). */
  public readonly cloudFrontProvider: AwsProvider;
  public readonly albArn: string;
  /** `app/<name>/<id>`, the CloudWatch `LoadBalancer` dimension. */
  public readonly albArnSuffix: string;
  public readonly albDnsName: string;
  /** HTTPS listeners, primary (443) first, then spill ports. */
  public readonly httpsListeners: readonly { port: number; arn: string }[];
  /** Header every service listener rule must require (value: a reference to the secret, never a literal). */
  public readonly originVerifyHeader: { name: string; value: string };
  /** ARN of the origin-verify secret. */
  public readonly originVerifySecretArn: string;
  public readonly wafRegionalAclArn: string;
  public readonly wafRegionalAclName: string;
  public readonly wafCloudFrontAclArn: string;
  public readonly wafCloudFrontAclName: string;
  /** `Rule` dimension of the regional ACL's rate-based rule (AWS/WAFV2 metrics). */
  public readonly wafRateRuleMetricName: string;
  /** `Rule` dimension of the CloudFront ACL's rate-based rule (metrics in us-east-1). */
  public readonly wafCloudFrontRateRuleMetricName: string;
  public readonly distributionId: string;
  public readonly distributionDomainName: string;
  /** Viewer host names. */
  public readonly hosts: readonly string[];
  /** Host name CloudFront uses to reach the ALB. */
  public readonly originHost: string;
  public readonly healthCheckId: string;
  /** The listener-rule allocation of `routes`. */
  public readonly allocation: Allocation;
  /** EKS: the pod target groups (ARN, arn_suffix) by service name. */
  public readonly podTargetGroups: ReadonlyMap<string, { readonly arn: string; readonly arnSuffix: string }>;
  /** EKS guests: the VPC of the target groups (this environment's), which is not the cluster's. */
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
    const originVerify = new OriginVerifySecret(this, "origin-verify", { secretName: this.name("origin-verify"), protect: env.production });
    this.originVerifyHeader = { name: originVerify.headerName, value: originVerify.headerValue };
    this.originVerifySecretArn = originVerify.secretArn;

    const albCert = new DnsValidatedCertificate(this, "alb-cert", { names: [this.originHost], zoneId: zone.zoneId });
    const cdnCert = new DnsValidatedCertificate(this, "cdn-cert", { names: this.hosts, zoneId: zone.zoneId, provider: this.cloudFrontProvider });

    const alb = new Alb(this, "alb", {
      name: this.name("alb"),
      subnetIds: env.azs.map((az) => network.network.publicSubnetIds[az]),
      securityGroupId: network.securityGroups.albSgId,
      cloudFrontPrefixListId: network.securityGroups.cloudFrontPrefixListId,
      certificateArn: albCert.certificateArn,
      httpsPorts: this.allocation.listeners.map((l) => l.port),
      deletionProtection: env.production,
      logBucketName: `${this.name("alb-logs")}-${network.accountId}`,
      logExpirationDays: cfg.logRetentionDays,
      accountId: network.accountId,
      health: { path: cfg.healthCheckPath, headerName: originVerify.headerName, headerValue: originVerify.headerValue },
    });
    this.albArn = alb.albArn;
    this.albArnSuffix = alb.albArnSuffix;
    this.albDnsName = alb.albDnsName;
    this.httpsListeners = alb.httpsListeners;

    // CloudFront reaches the ALB by a name on the ALB's certificate.
    new Route53Record(this, "origin", {
      zoneId: zone.zoneId,
      name: this.originHost,
      type: "A",
      alias: { name: alb.albDnsName, zoneId: alb.albZoneId, evaluateTargetHealth: false },
    });

    const profile = {
      rateLimit: cfg.waf.rateLimit,
      blockList: cfg.waf.blockList,
      watchList: cfg.waf.watchList,
      maxBodyBytes: cfg.waf.maxBodyBytes,
      geoMatch: cfg.waf.geoMatch,
    };
    const rateAlarmThreshold = resolveThresholds(env.observability.thresholds, `${env.name} observability.thresholds`).wafRateRuleRequests;
    const regionalAcl = new WebAcl(this, "waf-regional", {
      scope: "REGIONAL",
      name: this.name("alb"),
      profile,
      region: env.region,
      logRetentionDays: cfg.logRetentionDays,
      logKmsKeyArn: network.logsKeyArn,
      alarmTopicArn: network.alarmTopicArn,
      rateAlarmThreshold,
    });
    new Wafv2WebAclAssociation(this, "waf-alb", { resourceArn: alb.albArn, webAclArn: regionalAcl.webAclArn });
    // SNS topics and the logs key are regional: the us-east-1 ACL uses them only when the environment is there too.
    const sameRegion = env.region === CLOUDFRONT_REGION;
    const cloudFrontAcl = new WebAcl(this, "waf-cloudfront", {
      scope: "CLOUDFRONT",
      name: this.name("cdn"),
      profile,
      logRetentionDays: cfg.logRetentionDays,
      logKmsKeyArn: sameRegion ? network.logsKeyArn : undefined,
      alarmTopicArn: sameRegion ? network.alarmTopicArn : undefined,
      rateAlarmThreshold,
      provider: this.cloudFrontProvider,
    });
    // Default alarms (docs/reference/alarms.md): ALB 5xx rates and p99 latency, WAF blocked-request spikes.
    // ECS target groups (and their unhealthy-host alarms) belong to the apps stack, EKS pod target
    // groups' to AlbAlarms here; each ACL's rate-rule alarm comes with the ACL itself.
    const alarmBase = { namePrefix: this.namePrefix, topicArn: network.alarmTopicArn, thresholds: env.observability.thresholds };
    // EKS: the pods' target groups and listener rules live here (the apps stack binds pods to them).
    const routeKeys = new Set(props.routes.map((r) => r.key));
    const podServices = (props.podTargets?.services ?? []).filter((s) => routeKeys.has(s.name));
    const podTargets = podServices.length
      ? new PodTargetGroups(this, "pod-targets", {
          namePrefix: this.namePrefix,
          vpcId: network.network.vpcId,
          services: podServices,
          routeFor: (k) => this.routeFor(k),
          routeConditions: (k) => this.routeConditions(k),
        })
      : undefined;
    this.podTargetGroups = podTargets?.targetGroups ?? new Map();
    if (props.podTargets && podServices.length) {
      const hostNet = props.podTargets.clusterNetwork;
      const ports = [...new Set(podServices.map((s) => s.port))].sort((a, b) => a - b);
      if (hostNet === network) {
        // Pods use the nodes' security groups (VPC CNI): open the service ports to the ALB's group.
        for (const port of ports) {
          new VpcSecurityGroupIngressRule(this, `pods-${port}-from-alb`, {
            securityGroupId: network.securityGroups.appSgId,
            description: `Pods on ${port} from the load balancer (IP targets)`,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            referencedSecurityGroupId: network.securityGroups.albSgId,
          });
        }
      } else {
        new GuestPeering(this, "peering", {
          name: `${this.namePrefix}-to-${hostNet.env.name}`,
          guest: {
            vpcId: network.network.vpcId,
            vpcCidr: env.vpc.cidr,
            publicRouteTableId: network.network.publicRouteTableId,
            albSubnetCidrs: network.network.subnets.map((sn) => sn.publicCidr),
            albSecurityGroupId: network.securityGroups.albSgId,
          },
          host: {
            vpcId: hostNet.network.vpcId,
            vpcCidr: hostNet.env.vpc.cidr,
            privateRouteTableIds: hostNet.network.privateRouteTableIds,
            podSecurityGroupId: hostNet.securityGroups.appSgId,
          },
          ports,
        });
        this.targetVpcId = network.network.vpcId;
      }
    }
    const podTgSuffixes = Object.fromEntries([...this.podTargetGroups].map(([k, v]) => [k, v.arnSuffix]));
    new AlbAlarms(this, "alb-alarms", { ...alarmBase, loadBalancerArnSuffix: alb.albArnSuffix, targetGroupArnSuffixes: podTgSuffixes });
    new WafAlarms(this, "waf-regional-alarms", { ...alarmBase, webAclName: regionalAcl.webAclName, region: env.region });
    if (sameRegion) new WafAlarms(this, "waf-cloudfront-alarms", { ...alarmBase, webAclName: cloudFrontAcl.webAclName, provider: this.cloudFrontProvider });
    this.wafRegionalAclArn = regionalAcl.webAclArn;
    this.wafRegionalAclName = regionalAcl.webAclName;
    this.wafCloudFrontAclArn = cloudFrontAcl.webAclArn;
    this.wafCloudFrontAclName = cloudFrontAcl.webAclName;
    this.wafRateRuleMetricName = regionalAcl.rateRuleMetricName;
    this.wafCloudFrontRateRuleMetricName = cloudFrontAcl.rateRuleMetricName;

    // Routes on spill listeners need a cache behavior to that port's origin; static paths go where their route lives.
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
    const cdn = new Cdn(this, "cdn", {
      namePrefix: this.namePrefix,
      aliases: this.hosts,
      certificateArn: cdnCert.certificateArn,
      originHost: this.originHost,
      originPorts: this.allocation.listeners.map((l) => l.port),
      originVerify: this.originVerifyHeader,
      staticBehaviors,
      spillBehaviors,
      priceClass: cfg.cdn.priceClass,
      geoRestriction: cfg.cdn.geoRestriction,
      webAclArn: cloudFrontAcl.webAclArn,
      logBucketName: `${this.name("cdn-logs")}-${network.accountId}`,
      logExpirationDays: cfg.logRetentionDays,
      protectLogs: env.production,
      maxCacheBehaviors: cfg.cdn.maxCacheBehaviors,
    });
    this.distributionId = cdn.distributionId;
    this.distributionDomainName = cdn.domainName;

    const records = new EdgeRecords(this, "dns", {
      zoneId: zone.zoneId,
      hosts: this.hosts,
      distributionDomainName: cdn.domainName,
      routing: cfg.routing,
      healthCheckPath: cfg.healthCheckPath,
      namePrefix: this.namePrefix,
    });
    this.healthCheckId = records.healthCheckId;

    new TerraformOutput(this, "hosts", { value: this.hosts });
    new TerraformOutput(this, "distribution_domain_name", { value: cdn.domainName });
    new TerraformOutput(this, "listener_ports", { value: this.allocation.listeners.map((l) => l.port), description: "HTTPS listener ports: 443, then spill ports" });
  }

  private address(key: string): RuleAddress {
    const a = this.allocation.rules.get(key);
    if (!a) {
      const known = [...this.allocation.rules.keys()];
      throw new Error(`EdgeStack ${this.stackName}: no route ${JSON.stringify(key)}: pass it in the edge stack's routes (known: ${known.length ? known.join(", ") : "none"})`);
    }
    return a;
  }

  /** The listener (ARN and port) and priority of a route's listener rule. Throws for an unknown key. */
  public routeFor(key: string): RouteAddress {
    const a = this.address(key);
    return { listenerArn: this.httpsListeners[a.listenerIndex].arn, port: a.port, priority: a.priority };
  }

  /**
   * The conditions of a route's listener rule, as `aws_lb_listener_rule` `condition` blocks: its
   * path patterns, its hosts (matched on X-Forwarded-Host, which CloudFront sets to the viewer's
   * host) and the origin-verify header.
   */
  public routeConditions(key: string): { pathPattern?: { values: string[] }; httpHeader?: { httpHeaderName: string; values: string[] } }[] {
    this.address(key);
    const route = this.routeRequests.get(key)!;
    return [
      { pathPattern: { values: [...route.pathPatterns] } },
      ...(route.hosts?.length ? [{ httpHeader: { httpHeaderName: VIEWER_HOST_HEADER, values: [...route.hosts] } }] : []),
      { httpHeader: { httpHeaderName: this.originVerifyHeader.name, values: [this.originVerifyHeader.value] } },
    ];
  }
}
