import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GlobalConfig } from "../environments/global-schema";
import { configureBackend } from "./backend";
import { PublicZone } from "../modules/edge/zone";

/** Name of the project-wide stack. */
export const GLOBAL_STACK = "global";

/**
 * `global`: what exists once per project, shared by every environment: the public hosted zone
 * (edge) and the ECR repositories (one per service).
 */
export class GlobalStack extends TerraformStack {
  public readonly config: GlobalConfig;
  public readonly provider: AwsProvider;
  /** The project's public hosted zone (edge names live in it); undefined without `dns`. */
  public readonly zone: PublicZone | undefined;

  constructor(scope: Construct, config: GlobalConfig) {
    super(scope, GLOBAL_STACK);
    this.config = config;
    configureBackend(this, config.backend, config.project, GLOBAL_STACK);
    this.provider = new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [
        {
          tags: { Project: config.project, Environment: "global", Owner: config.tags.Owner, CostCenter: config.tags.CostCenter, ManagedBy: "cdktf", Stack: GLOBAL_STACK },
        },
      ],
    });
    this.zone = config.dns ? new PublicZone(this, "dns", { domain: config.dns.domain, existing: config.dns.existingZone }) : undefined;
  }

  /** Physical name of a project-wide resource: `<project>-<role>`. */
  public name(role: string): string {
    return `${this.config.project}-${role}`;
  }
}
