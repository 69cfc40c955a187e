import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { QUERY_LOG_REGION, ZoneQueryLogging } from "../modules/edge/query-logging";
import { GlobalConfig } from "../environments/global-schema";
import { configureBackend } from "./backend";
import { PublicZone } from "../modules/edge/zone";
import { ServiceRepositories } from "../modules/ecr";
import { partitionOf } from "../lib/partition";
import type { GlobalRef } from "./contracts";

/** Name of the project-wide stack. */
export const GLOBAL_STACK = "global";

/**
 * `global`: what exists once per project, shared by every environment: the public hosted zone
 * (edge) and the ECR repositories (one per service). Environments read it as a `GlobalRef`.
 */
export class GlobalStack extends TerraformStack implements GlobalRef {
  public readonly config: GlobalConfig;
  public readonly provider: AwsProvider;
  /** The project's public hosted zone (edge names live in it); undefined without `dns`. */
  public readonly zone: PublicZone | undefined;
  /** The zone's DNS query logging (log group, key and policy in us-east-1); undefined without `dns`. */
  public readonly queryLogging: ZoneQueryLogging | undefined;
  /** One ECR repository per service in services/ (immutable tags, scan on push, KMS). */
  public readonly repositories: ServiceRepositories;

  /** `services`: the service names found in services/ (one repository each). */
  constructor(scope: Construct, config: GlobalConfig, options: { readonly services?: readonly string[] } = {}) {
    super(scope, GLOBAL_STACK);
    this.config = config;
    configureBackend(this, config.backend, config.project, GLOBAL_STACK);
    const tags = { Project: config.project, Environment: "global", Owner: config.tags.Owner, CostCenter: config.tags.CostCenter, ManagedBy: "cdktf", Stack: GLOBAL_STACK };
    this.provider = new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags }] });
    // The account and partition every project-wide resource names: one read, and the partition from config.
    const accountId = new DataAwsCallerIdentity(this, "account").accountId;
    const partition = partitionOf(config.region);
    this.zone = config.dns ? new PublicZone(this, "dns", { domain: config.dns.domain, existing: config.dns.existingZone }) : undefined;
    if (config.dns && this.zone) {
      // Route 53 writes public query logs only to us-east-1: an aliased provider there.
      const usEast1 = new AwsProvider(this, "aws-us-east-1", {
        alias: "us_east_1",
        region: QUERY_LOG_REGION,
        defaultTags: [{ tags: tags }],
      });
      this.queryLogging = new ZoneQueryLogging(this, "dns-query-logs", {
        zoneId: this.zone.zoneId,
        domain: this.zone.domain,
        namePrefix: config.project,
        retentionDays: config.dns.queryLogRetentionDays,
        accountId,
        partition,
        provider: usEast1,
      });
    }
    this.repositories = new ServiceRepositories(this, "ecr", {
      namePrefix: config.project,
      services: options.services ?? [],
      keepImages: config.ecr.keepImages,
      untaggedExpiryDays: config.ecr.untaggedExpiryDays,
      accountId,
      partition,
      // Images are shared by every environment, production included.
      protect: true,
    });
  }

  /** Physical name of a project-wide resource: `<project>-<role>`. */
  public name(role: string): string {
    return `${this.config.project}-${role}`;
  }
}
