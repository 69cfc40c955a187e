import { Construct } from "constructs";
import { TerraformOutput, Token } from "cdktf";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { DOMAIN_NAME } from "./limits";

export interface PublicZoneProps {
  /** The zone's domain, e.g. `harbor.example.com`. */
  readonly domain: string;
  /** Look up an existing public zone by name instead of creating one. @default false */
  readonly existing?: boolean;
  /** `prevent_destroy` on a created zone (every environment's records live in it). @default true */
  readonly protect?: boolean;
}

/**
 * The project's public hosted zone: created, or looked up when it already exists. Environments'
 * edges put their certificate validation records and aliases in it.
 */
export class PublicZone extends Construct {
  public readonly zoneId: string;
  public readonly domain: string;

  constructor(scope: Construct, id: string, props: PublicZoneProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.domain) && !DOMAIN_NAME.test(props.domain)) {
      throw new Error(`PublicZone: domain must be a lowercase domain name such as harbor.example.com, got ${JSON.stringify(props.domain)}`);
    }
    this.domain = props.domain;
    if (props.existing) {
      this.zoneId = new DataAwsRoute53Zone(this, "lookup", { name: props.domain, privateZone: false }).zoneId;
    } else {
      const zone = new Route53Zone(this, "zone", {
        name: props.domain,
        comment: `Public zone of ${props.domain} (managed by cdktf)`,
        forceDestroy: false,
        lifecycle: props.protect ?? true ? { preventDestroy: true } : undefined,
      });
      this.zoneId = zone.zoneId;
      // Delegate the domain to these (at the registrar or the parent zone).
      new TerraformOutput(this, "name_servers", { value: zone.nameServers, description: `Name servers of ${props.domain}: delegate the domain to them` });
    }
  }
}
