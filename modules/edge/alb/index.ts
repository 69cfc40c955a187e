import { Construct } from "constructs";
import { Token } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { LogBucket } from "../../log-bucket";

/** TLS 1.2 and 1.3 only (forward-secret ciphers). */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Priority of the edge's own health rule on the primary listener (the largest ALB allows; routes use 1..49999). */
export const HEALTH_RULE_PRIORITY = 50000;
/** Prefix of the access log objects in the bucket. */
export const ALB_LOG_PREFIX = "alb";

export interface AlbProps {
  /** Load balancer name (at most 32 characters), e.g. `harbor-dev-alb`. */
  readonly name: string;
  /** Public subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** The `alb` security group (443/80 from CloudFront's origin-facing prefix list only). */
  readonly securityGroupId: string;
  /** CloudFront's origin-facing prefix list: spill listener ports are opened to it on the security group. */
  readonly cloudFrontPrefixListId: string;
  /** Regional ACM certificate of the origin host name. */
  readonly certificateArn: string;
  /** HTTPS listener ports, primary first (e.g. [443, 8443]). */
  readonly httpsPorts: readonly number[];
  /** `enable_deletion_protection`, and `prevent_destroy` on the log bucket. */
  readonly deletionProtection: boolean;
  /** Access log bucket name (globally unique). */
  readonly logBucketName: string;
  /** Days to keep access logs. */
  readonly logExpirationDays: number;
  /** Account id (the access log object prefix). */
  readonly accountId: string;
  /** The edge health rule: 200 on `path` when the origin-verify header is present. */
  readonly health: { readonly path: string; readonly headerName: string; readonly headerValue: string };
  /** Seconds an idle connection stays open. @default 60 */
  readonly idleTimeoutSeconds?: number;
}

/** Validates Alb props up front, one rule per throw. */
function validateAlbProps(props: AlbProps): void {
  if (!Token.isUnresolved(props.name) && !/^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(props.name)) {
    throw new Error(`Alb: name must be 1-32 letters, digits and hyphens (not at either end), got ${JSON.stringify(props.name)}: shorten the project or environment name`);
  }
  if (props.subnetIds.length < 2) throw new Error(`Alb: subnetIds must list at least 2 subnets in different AZs, got ${props.subnetIds.length}`);
  if (props.httpsPorts.length === 0) throw new Error("Alb: httpsPorts must list at least the primary port");
  if (new Set(props.httpsPorts).size !== props.httpsPorts.length || props.httpsPorts.includes(80)) {
    throw new Error(`Alb: httpsPorts must be unique and not 80, got ${props.httpsPorts.join(", ")}`);
  }
}

/** The access log bucket, writable only by the region's ELB log delivery account (created in `scope`). */
function accessLogBucket(scope: Construct, props: AlbProps): LogBucket {
  const elb = new DataAwsElbServiceAccount(scope, "elb-account", {});
  return new LogBucket(scope, "logs", {
    bucketName: props.logBucketName,
    expirationDays: props.logExpirationDays,
    protect: props.deletionProtection,
    deliveryStatements: (bucketArn) => [
      {
        Sid: "ElbLogDelivery",
        Effect: "Allow",
        Principal: { AWS: elb.arn },
        Action: "s3:PutObject",
        Resource: `${bucketArn}/${ALB_LOG_PREFIX}/AWSLogs/${props.accountId}/*`,
      },
    ],
  });
}

/** One HTTPS listener per port (primary first, fixed 404 default); each spill port opened to CloudFront only (created in `scope`). */
function httpsListeners(scope: Construct, props: AlbProps, loadBalancerArn: string): { port: number; arn: string }[] {
  return props.httpsPorts.map((port, index) => {
    // Spill ports are opened to CloudFront only, like 443 in the network stack's chain.
    if (index > 0) {
      new VpcSecurityGroupIngressRule(scope, `ingress-${port}`, {
        securityGroupId: props.securityGroupId,
        description: `HTTPS spill listener ${port} from CloudFront origin-facing addresses`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        prefixListId: props.cloudFrontPrefixListId,
      });
    }
    const listener = new LbListener(scope, `https-${port}`, {
      loadBalancerArn,
      port,
      protocol: "HTTPS",
      sslPolicy: ALB_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } }],
    });
    return { port, arn: listener.arn };
  });
}

/**
 * The environment's internet-facing Application Load Balancer: in the public subnets behind the
 * `alb` security group, dropping invalid header fields, `defensive` desync mitigation, access logs
 * to a locked-down bucket that only the region's ELB log delivery account may write to. Port 80
 * only redirects to HTTPS; every HTTPS listener (the primary and the spill ports) has the TLS 1.2+
 * (1.3-capable) policy, the certificate and a fixed 404 default: only listener rules that require
 * the origin-verify header forward anything.
 */
export class Alb extends Construct {
  public readonly albArn: string;
  public readonly albArnSuffix: string;
  public readonly albDnsName: string;
  /** Route 53 zone of the ALB's DNS name (for alias records). */
  public readonly albZoneId: string;
  /** HTTPS listeners, primary first. */
  public readonly httpsListeners: readonly { readonly port: number; readonly arn: string }[];
  public readonly logBucketName: string;

  constructor(scope: Construct, id: string, props: AlbProps) {
    super(scope, id);
    validateAlbProps(props);
    const logs = accessLogBucket(this, props);
    const lb = new Lb(this, "alb", {
      name: props.name,
      loadBalancerType: "application",
      internal: false,
      ipAddressType: "ipv4",
      subnets: [...props.subnetIds],
      securityGroups: [props.securityGroupId],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "defensive",
      enableDeletionProtection: props.deletionProtection,
      enableHttp2: true,
      idleTimeout: props.idleTimeoutSeconds ?? 60,
      xffHeaderProcessingMode: "append",
      accessLogs: { bucket: logs.bucketName, prefix: ALB_LOG_PREFIX, enabled: true },
      dependsOn: [logs.policy],
    });

    new LbListener(this, "http", {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(props.httpsPorts[0]), statusCode: "HTTP_301" } }],
    });
    const listeners = httpsListeners(this, props, lb.arn);

    new LbListenerRule(this, "health", {
      listenerArn: listeners[0].arn,
      priority: HEALTH_RULE_PRIORITY,
      condition: [{ pathPattern: { values: [props.health.path] } }, { httpHeader: { httpHeaderName: props.health.headerName, values: [props.health.headerValue] } }],
      action: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200", messageBody: "ok" } }],
    });

    this.albArn = lb.arn;
    this.albArnSuffix = lb.arnSuffix;
    this.albDnsName = lb.dnsName;
    this.albZoneId = lb.zoneId;
    this.httpsListeners = listeners;
    this.logBucketName = logs.bucketName;
  }
}
