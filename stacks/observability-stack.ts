import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { Environment } from "../environments/schema";
import { Dashboard, DashboardEdgeInput, DashboardPlatformInput } from "../modules/observability/dashboard";
import { EnvironmentStack } from "./environment-stack";
import type { NetworkRef } from "./contracts";
import type { DatabaseOutputs } from "./data-stack";

export interface ObservabilityStackProps {
  readonly network: NetworkRef;
  /** The environment's databases by config name, when it has any. @default no data widgets */
  readonly databases?: Readonly<Record<string, DatabaseOutputs>>;
  /** The edge's identifiers (the integrator passes the edge stack's values). @default no edge widgets */
  readonly edge?: DashboardEdgeInput;
  /** The platform's identifiers (ECS cluster and services, or EKS cluster). @default no platform widgets */
  readonly platform?: DashboardPlatformInput;
}

/**
 * `<env>-observability`: what looks across layers, built after them and reading them through
 * cross-stack references: the environment's CloudWatch dashboard (edge, platform, network, data).
 * Each layer keeps its own alarms next to its resources (their lifecycle is the resource's); the
 * alarm topic lives in the network stack, which every layer already reads.
 */
export class ObservabilityStack extends EnvironmentStack {
  public readonly dashboardName: string;

  constructor(scope: Construct, env: Environment, props: ObservabilityStackProps) {
    super(scope, env, "observability");
    const dashboard = new Dashboard(this, "dashboard", {
      name: this.namePrefix,
      region: env.region,
      edge: props.edge,
      platform: props.platform,
      natGatewayIds: props.network.natGatewayIds,
      databases: props.databases ? Object.fromEntries(Object.entries(props.databases).map(([k, d]) => [k, d.instanceIdentifiers])) : undefined,
    });
    this.dashboardName = dashboard.dashboardName;
    new TerraformOutput(this, "dashboard_url", {
      value: `https://${env.region}.console.aws.amazon.com/cloudwatch/home?region=${env.region}#dashboards/dashboard/${dashboard.dashboardName}`,
    });
  }
}
