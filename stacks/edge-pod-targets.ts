import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { ListenerRoute, RouteRequest } from "../modules/edge/listener-rules";
import { PodTargetGroups } from "../modules/edge/service-targets";
import { GuestPeering } from "../modules/network/peering";
import type { NetworkRef } from "./contracts";
import type { EdgeStackProps } from "./edge-stack";
import type { EnvironmentStack } from "./environment-stack";

/**
 * EKS: the pods' target groups and listener rules live in the edge stack (the apps stack binds
 * pods to them), with the path from the ALB to the pods: the service ports opened to the ALB's group in
 * the environment's own cluster, or a peering with the host's VPC for a shared-cluster guest.
 */
export function podTargetPath(
  stack: EnvironmentStack,
  network: NetworkRef,
  routes: readonly RouteRequest[],
  podTargets: EdgeStackProps["podTargets"],
  route: (key: string) => ListenerRoute,
): ReadonlyMap<string, { readonly arn: string; readonly arnSuffix: string }> {
  const routeKeys = new Set(routes.map((r) => r.key));
  const podServices = (podTargets?.services ?? []).filter((s) => routeKeys.has(s.name));
  if (!podTargets || !podServices.length) return new Map();
  const targets = new PodTargetGroups(stack, "pod-targets", {
    namePrefix: stack.namePrefix,
    vpcId: network.vpcId,
    services: podServices,
    route,
  });
  const hostNet = podTargets.clusterNetwork;
  const ports = [...new Set(podServices.map((s) => s.port))].sort((a, b) => a - b);
  if (hostNet.envName === network.envName) {
    // Pods use the nodes' security groups (VPC CNI): open the service ports to the ALB's group.
    for (const port of ports) {
      new VpcSecurityGroupIngressRule(stack, `pods-${port}-from-alb`, {
        securityGroupId: network.securityGroups.appSgId,
        description: `Pods on ${port} from the load balancer (IP targets)`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: network.securityGroups.albSgId,
      });
    }
  } else {
    new GuestPeering(stack, "peering", {
      name: `${stack.namePrefix}-to-${hostNet.envName}`,
      guest: {
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        publicRouteTableId: network.publicRouteTableId,
        albSubnetCidrs: network.publicSubnetCidrs,
        albSecurityGroupId: network.securityGroups.albSgId,
      },
      host: {
        vpcId: hostNet.vpcId,
        vpcCidr: hostNet.vpcCidr,
        privateRouteTableIds: hostNet.privateRouteTableIds,
        podSecurityGroupId: hostNet.securityGroups.appSgId,
      },
      ports,
    });
  }
  return targets.targetGroups;
}
