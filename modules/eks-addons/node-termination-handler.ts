import { Construct } from "constructs";
import { ChartDefaults, HelmAddOn, HelmAddOnProps } from "./helm-addon";

export const nodeTerminationHandlerDefaults: ChartDefaults = {
  name: "aws-node-termination-handler",
  namespace: "kube-system",
  chart: "aws-node-termination-handler",
  repository: "https://aws.github.io/eks-charts",
  version: "0.27.2",
};

export interface NodeTerminationHandlerValues {
  readonly enableSpotInterruptionDraining: boolean;
  readonly enableRebalanceMonitoring: boolean;
  readonly enableRebalanceDraining: boolean;
  readonly enableScheduledEventDraining: boolean;
  /** Host network: reaches IMDS with the launch template's hop limit of 1. */
  readonly daemonsetHostNetwork: boolean;
  /** Only spot nodes get the DaemonSet. */
  readonly daemonsetNodeSelector: Readonly<Record<string, string>>;
  readonly emitKubernetesEvents: boolean;
  readonly podTerminationGracePeriod: number;
}

export interface NodeTerminationHandlerAddOnProps extends HelmAddOnProps<NodeTerminationHandlerValues> {
  /** Label selecting spot nodes. @default { "eks.amazonaws.com/capacityType": "SPOT" } */
  readonly spotNodeSelector?: Readonly<Record<string, string>>;
}

/**
 * aws-node-termination-handler in IMDS mode on the spot nodes: on a spot interruption notice (two
 * minutes) or a rebalance recommendation it cordons and drains the node, so pods move (respecting
 * PodDisruptionBudgets) before the instance goes. IMDS mode needs no queue and no IAM role.
 */
export class NodeTerminationHandlerAddOn extends HelmAddOn<NodeTerminationHandlerValues> {
  constructor(scope: Construct, id: string, props: NodeTerminationHandlerAddOnProps = {}) {
    const values: NodeTerminationHandlerValues = {
      enableSpotInterruptionDraining: true,
      enableRebalanceMonitoring: true,
      enableRebalanceDraining: true,
      enableScheduledEventDraining: true,
      daemonsetHostNetwork: true,
      daemonsetNodeSelector: { ...(props.spotNodeSelector ?? { "eks.amazonaws.com/capacityType": "SPOT" }) },
      emitKubernetesEvents: true,
      podTerminationGracePeriod: -1,
    };
    super(scope, id, nodeTerminationHandlerDefaults, values, props);
  }
}
