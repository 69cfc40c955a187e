import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { blueGreenWeightsProblem, routeWeightProblem } from "./limits";

/** Route 53 hosted zone id of every CloudFront distribution (alias targets). */
export const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";

/** An alias target other than this environment's distribution. */
export interface AliasTarget {
  readonly dnsName: string;
  readonly zoneId: string;
  /** @default true */
  readonly evaluateTargetHealth?: boolean;
}

/** `distribution` (this environment's) or another alias target. */
export type RecordTarget = "distribution" | AliasTarget;

/** How the host names resolve. */
export type EdgeRoutingOptions =
  | { readonly kind: "simple" }
  /** Primary: the distribution while its health check passes; secondary: `secondary`. */
  | { readonly kind: "failover"; readonly secondary: AliasTarget }
  /** Weighted blue/green: `weight` of 100 to each colour's target. */
  | { readonly kind: "weighted"; readonly blue: { readonly weight: number; readonly target: RecordTarget }; readonly green: { readonly weight: number; readonly target: RecordTarget } };

export interface EdgeRecordsProps {
  /** Public hosted zone of the names. */
  readonly zoneId: string;
  /** Viewer host names: alias A and AAAA records each. */
  readonly hosts: readonly string[];
  /** The distribution's DNS name (`dxxxx.cloudfront.net`). */
  readonly distributionDomainName: string;
  readonly routing: EdgeRoutingOptions;
  /** Path the health check requests through CloudFront (must answer 2xx/3xx). */
  readonly healthCheckPath: string;
  /** Name prefix for the health check's Name tag. */
  readonly namePrefix: string;
}

/**
 * DNS of the edge, one construct for every routing option: alias A and AAAA records per host to
 * the CloudFront distribution (zone Z2FDTNDATAQYW2), a Route 53 health check on the public
 * endpoint (HTTPS to the distribution's own name, so it never follows the failover it drives),
 * and either simple records, a failover pair (primary = the distribution with the health check,
 * secondary = a configured target) or weighted blue/green records (weights out of 100).
 */
export class EdgeRecords extends Construct {
  public readonly healthCheckId: string;

  constructor(scope: Construct, id: string, props: EdgeRecordsProps) {
    super(scope, id);
    if (props.hosts.length === 0) throw new Error("EdgeRecords: hosts must list at least one host name");
    const r = props.routing;
    if (r.kind === "weighted") {
      for (const [colour, w] of [["blue", r.blue.weight], ["green", r.green.weight]] as const) {
        const problem = routeWeightProblem(w);
        if (problem) throw new Error(`EdgeRecords: routing.${colour}.weight ${problem}, got ${w}`);
      }
      const sum = blueGreenWeightsProblem(r.blue.weight, r.green.weight);
      if (sum) throw new Error(`EdgeRecords: routing: ${sum}`);
    }
    const health = new Route53HealthCheck(this, "health", {
      type: "HTTPS",
      fqdn: props.distributionDomainName,
      port: 443,
      resourcePath: props.healthCheckPath,
      enableSni: true,
      requestInterval: 30,
      failureThreshold: 3,
      tags: { Name: `${props.namePrefix}-edge` },
    });
    this.healthCheckId = health.id;

    const self = { name: props.distributionDomainName, zoneId: CLOUDFRONT_ZONE_ID, evaluateTargetHealth: false };
    const alias = (t: RecordTarget) => (t === "distribution" ? self : { name: t.dnsName, zoneId: t.zoneId, evaluateTargetHealth: t.evaluateTargetHealth ?? true });
    for (const host of props.hosts) {
      const key = host.replace(/\./g, "-");
      for (const type of ["A", "AAAA"] as const) {
        const base = { zoneId: props.zoneId, name: host, type };
        const rid = `${key}-${type.toLowerCase()}`;
        if (r.kind === "simple") {
          new Route53Record(this, rid, { ...base, alias: self });
        } else if (r.kind === "failover") {
          new Route53Record(this, `${rid}-primary`, { ...base, setIdentifier: "primary", failoverRoutingPolicy: { type: "PRIMARY" }, healthCheckId: health.id, alias: self });
          new Route53Record(this, `${rid}-secondary`, { ...base, setIdentifier: "secondary", failoverRoutingPolicy: { type: "SECONDARY" }, alias: alias(r.secondary) });
        } else {
          for (const colour of ["blue", "green"] as const) {
            const c = r[colour];
            new Route53Record(this, `${rid}-${colour}`, {
              ...base,
              setIdentifier: colour,
              weightedRoutingPolicy: { weight: c.weight },
              // The distribution's side carries the health check: Route 53 stops sending it traffic when it fails.
              healthCheckId: c.target === "distribution" ? health.id : undefined,
              alias: alias(c.target),
            });
          }
        }
      }
    }
  }
}
