import { Construct } from "constructs";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontFunction } from "@cdktf/provider-aws/lib/cloudfront-function";
import { LogBucket } from "../../log-bucket";

/** AWS managed CloudFront policies (ids are fixed and documented by AWS). */
export const MANAGED_POLICIES = {
  /** Managed-CachingDisabled: dynamic paths. */
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Managed-CachingOptimized: static path patterns. */
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  /** Managed-AllViewerExceptHostHeader: every viewer header, query string and cookie except Host. */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
  /** Managed-SecurityHeadersPolicy: HSTS, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, X-XSS-Protection. */
  securityHeaders: "67f7725c-6f97-4210-82d7-5512b31e9d03",
} as const;

/** Header the viewer-request function sets to the viewer's Host (the origin sees the origin host name in Host). */
export const VIEWER_HOST_HEADER = "X-Forwarded-Host";

export interface CdnProps {
  /** Physical name prefix, `<project>-<env>` (function name, comment). */
  readonly namePrefix: string;
  /** Viewer host names (the distribution's aliases). */
  readonly aliases: readonly string[];
  /** us-east-1 ACM certificate covering every alias. */
  readonly certificateArn: string;
  /** DNS name of the origin (an alias of the ALB on its certificate). */
  readonly originHost: string;
  /** HTTPS ports of the ALB's listeners, primary first: one origin each. */
  readonly originPorts: readonly number[];
  /** Header CloudFront adds to every origin request (the value is a reference, never a literal). */
  readonly originVerify: { readonly name: string; readonly value: string };
  /** Path patterns served by a spill listener: a cache behavior each, to that port's origin. @default none */
  readonly spillBehaviors?: readonly { readonly pathPattern: string; readonly port: number }[];
  /** Cached path patterns (CachingOptimized), each to the origin of the given port. @default none */
  readonly staticBehaviors?: readonly { readonly pathPattern: string; readonly port: number }[];
  readonly priceClass: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
  /** Viewer countries. */
  readonly geoRestriction: { readonly type: "none" } | { readonly type: "allow" | "deny"; readonly countries: readonly string[] };
  /** ARN of the CLOUDFRONT-scope web ACL. */
  readonly webAclArn: string;
  /** Standard log bucket name and how long logs are kept. */
  readonly logBucketName: string;
  readonly logExpirationDays: number;
  /** `prevent_destroy` on the log bucket. @default false */
  readonly protectLogs?: boolean;
  /** Most cache behaviors the account's quota allows. @default 75 */
  readonly maxCacheBehaviors?: number;
}

/** The origin id of the load balancer listener on one port. */
const originId = (port: number) => `alb-${port}`;

/** Validates Cdn props up front, one rule per throw. */
function validateCdnProps(props: CdnProps): void {
  if (props.aliases.length === 0) throw new Error("Cdn: aliases must list at least one host name");
  if (props.originPorts.length === 0) throw new Error("Cdn: originPorts must list at least the primary port");
  for (const b of [...(props.spillBehaviors ?? []), ...(props.staticBehaviors ?? [])]) {
    if (!props.originPorts.includes(b.port)) throw new Error(`Cdn: behavior ${b.pathPattern} uses port ${b.port}, which is not in originPorts (${props.originPorts.join(", ")})`);
  }
  const patterns = [...(props.staticBehaviors ?? []), ...(props.spillBehaviors ?? [])].map((b) => b.pathPattern);
  const dup = patterns.find((p, i) => patterns.indexOf(p) !== i);
  if (dup) throw new Error(`Cdn: path pattern ${dup} has two cache behaviors: a static path pattern must not also be a route's pattern on a spill listener, and routes must not share patterns`);
  const max = props.maxCacheBehaviors ?? 75;
  if (patterns.length > max) {
    throw new Error(`Cdn: ${patterns.length} cache behaviors (static paths and routes on spill listeners) exceed the quota of ${max}: raise the CloudFront quota and edge.cdn.maxCacheBehaviors, or raise edge.listenerRuleQuota so fewer routes spill`);
  }
}

/** The viewer-request function that copies the viewer's Host header to VIEWER_HOST_HEADER (created in `scope`). */
function viewerHostFunction(scope: Construct, props: CdnProps): CloudfrontFunction {
  return new CloudfrontFunction(scope, "viewer-host", {
    name: `${props.namePrefix}-viewer-host`,
    comment: `Copies the viewer's Host to ${VIEWER_HOST_HEADER} (the origin request carries the origin's host name)`,
    runtime: "cloudfront-js-2.0",
    publish: true,
    code: [
      "function handler(event) {",
      "  var request = event.request;",
      `  request.headers["${VIEWER_HOST_HEADER.toLowerCase()}"] = { value: request.headers.host ? request.headers.host.value : "" };`,
      "  return request;",
      "}",
      "",
    ].join("\n"),
  });
}

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];

/** A cache behavior that passes requests through to one origin uncached, with the viewer-host function. */
function dynamicBehavior(targetOriginId: string, hostFunctionArn: string) {
  return {
    targetOriginId,
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ALL_METHODS,
    cachedMethods: ["GET", "HEAD"],
    cachePolicyId: MANAGED_POLICIES.cachingDisabled,
    originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
    responseHeadersPolicyId: MANAGED_POLICIES.securityHeaders,
    compress: true,
    functionAssociation: [{ eventType: "viewer-request", functionArn: hostFunctionArn }],
  };
}

/**
 * The environment's CloudFront distribution: the ALB as an HTTPS-only (TLS 1.2) origin per
 * listener port, with the origin-verify header; caching disabled by default and the managed
 * CachingOptimized policy on static paths; the managed origin request policy forwarding every
 * viewer header except Host (a viewer-request function copies Host to X-Forwarded-Host); the
 * managed security headers policy; HTTPS only for viewers (redirect), TLSv1.2_2021 minimum with
 * SNI; HTTP/2 and HTTP/3, IPv6, compression, standard logging, geo restriction, price class, and
 * the CLOUDFRONT web ACL.
 */
export class Cdn extends Construct {
  public readonly distributionId: string;
  public readonly distributionArn: string;
  public readonly domainName: string;
  /** Always Z2FDTNDATAQYW2 (CloudFront's alias zone). */
  public readonly hostedZoneId: string;
  public readonly logBucketName: string;

  constructor(scope: Construct, id: string, props: CdnProps) {
    super(scope, id);
    validateCdnProps(props);

    const logs = new LogBucket(this, "logs", {
      bucketName: props.logBucketName,
      expirationDays: props.logExpirationDays,
      protect: props.protectLogs,
      // CloudFront standard logging still writes objects with ACLs.
      objectOwnership: "BucketOwnerPreferred",
    });
    const hostFunction = viewerHostFunction(this, props);
    const dynamic = (targetOriginId: string) => dynamicBehavior(targetOriginId, hostFunction.arn);

    const distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: `${props.namePrefix} edge`,
      aliases: [...props.aliases],
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: props.priceClass,
      webAclId: props.webAclArn,
      origin: props.originPorts.map((port) => ({
        originId: originId(port),
        domainName: props.originHost,
        customOriginConfig: {
          httpPort: 80,
          httpsPort: port,
          originProtocolPolicy: "https-only",
          originSslProtocols: ["TLSv1.2"],
          originReadTimeout: 30,
          originKeepaliveTimeout: 5,
        },
        customHeader: [{ name: props.originVerify.name, value: props.originVerify.value }],
      })),
      defaultCacheBehavior: dynamic(originId(props.originPorts[0])),
      orderedCacheBehavior: [
        ...(props.staticBehaviors ?? []).map((b) => ({
          ...dynamic(originId(b.port)),
          pathPattern: b.pathPattern,
          allowedMethods: ["GET", "HEAD", "OPTIONS"],
          cachePolicyId: MANAGED_POLICIES.cachingOptimized,
        })),
        ...(props.spillBehaviors ?? []).map((b) => ({ ...dynamic(originId(b.port)), pathPattern: b.pathPattern })),
      ],
      restrictions: {
        geoRestriction:
          props.geoRestriction.type === "none"
            ? { restrictionType: "none", locations: [] }
            : { restrictionType: props.geoRestriction.type === "allow" ? "whitelist" : "blacklist", locations: [...props.geoRestriction.countries] },
      },
      viewerCertificate: { acmCertificateArn: props.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
      loggingConfig: { bucket: `${logs.bucketName}.s3.amazonaws.com`, prefix: "cloudfront/", includeCookies: false },
      dependsOn: [logs.policy],
    });
    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.hostedZoneId = distribution.hostedZoneId;
    this.logBucketName = logs.bucketName;
  }
}
