import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Environment } from "../environments/schema";
import { configureBackend } from "./backend";

/** Tags every resource of an environment carries (provider default_tags). */
export function environmentTags(env: Environment, stackName: string): Record<string, string> {
  return {
    Project: env.project,
    Environment: env.name,
    Owner: env.tags.Owner,
    Purpose: env.tags.Purpose,
    CostCenter: env.tags.CostCenter,
    ...(env.tags.Expires ? { Expires: env.tags.Expires } : {}),
    ManagedBy: "cdktf",
    Stack: stackName,
  };
}

/**
 * Base of every per-environment stack: named `<env>-<layer>`, with the environment's backend and an
 * AWS provider in its region whose default_tags tag everything. Physical names come from `name()`.
 */
export abstract class EnvironmentStack extends TerraformStack {
  public readonly env: Environment;
  /** `<env>-<layer>`, the stack's (and state's) name. */
  public readonly stackName: string;
  /** `<project>-<env>`, the prefix of physical names. */
  public readonly namePrefix: string;
  public readonly provider: AwsProvider;

  protected constructor(scope: Construct, env: Environment, layer: string) {
    const stackName = `${env.name}-${layer}`;
    super(scope, stackName);
    this.env = env;
    this.stackName = stackName;
    this.namePrefix = `${env.project}-${env.name}`;
    configureBackend(this, env.backend, env.project, stackName);
    this.provider = new AwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: environmentTags(env, stackName) }],
    });
  }

  /** This stack, as the `LayerRef` of the contract it implements (stacks/contracts.ts). */
  public get stack(): TerraformStack {
    return this;
  }

  /** Physical name of a resource: `<project>-<env>-<role>`. */
  public name(role: string): string {
    return `${this.namePrefix}-${role}`;
  }
}
