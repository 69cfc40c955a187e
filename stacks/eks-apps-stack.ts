import { Construct } from "constructs";
import { LbListenerRule, LbListenerRuleCondition } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { Environment } from "../environments/schema";
import { allowedCalls, type ServiceDescriptor } from "../modules/compose";
import { KubernetesWorkload, ServiceCallPolicies } from "../modules/eks-addons";
import { EnvironmentStack } from "./environment-stack";
import { EksPlatformStack } from "./eks-platform-stack";
import { EksAddonsStack } from "./eks-addons-stack";
import { configureClusterAccess } from "./eks-cluster-access";

/**
 * What the apps stack uses of the environment's edge (stacks/edge-stack.ts `EdgeStack` has it):
 * the routes it allocated listener rules for, each rule's address and its conditions.
 */
export interface EdgeRoutes {
  readonly allocation: { readonly rules: ReadonlyMap<string, unknown> };
  routeFor(key: string): { readonly listenerArn: string; readonly port: number; readonly priority: number };
  routeConditions(key: string): LbListenerRuleCondition[];
}

export interface EksAppsStackProps {
  /** Platform stack of the cluster the environment runs in (its own, or its host's). */
  readonly cluster: EksPlatformStack;
  /** The environment's addons stack (its namespace). */
  readonly addons: EksAddonsStack;
  /** The environment's services, overrides applied. */
  readonly services: readonly ServiceDescriptor[];
  /** Registry URL of each service repository (global stack), by repository name. */
  readonly repositoryUrls: ReadonlyMap<string, string>;
  /** The environment's edge: public services get a listener rule forwarding to the ingress controller. @default no edge */
  readonly edge?: EdgeRoutes;
}

/** The full image reference of a service. */
export function imageOf(service: ServiceDescriptor, repositoryUrls: ReadonlyMap<string, string>): string {
  const img = service.image;
  if (img.kind === "uri") return img.uri;
  const url = repositoryUrls.get(img.repository);
  if (!url) throw new Error(`${service.file}: image repository ${img.repository} has no registry repository (known: ${[...repositoryUrls.keys()].join(", ") || "none"})`);
  return img.digest ? `${url}@${img.digest}` : `${url}:${img.tag ?? "latest"}`;
}

/**
 * `<env>-apps` on EKS: every Compose service as a Deployment, Service, Ingress, HPA and PDB in the
 * environment's namespace (modules/eks-addons KubernetesWorkload), plus, for each public service
 * the edge routes, an ALB listener rule at the edge's allocated address that forwards to the
 * ingress controller's target group. The controller then routes by path (and host) to the
 * Service, so the path from CloudFront to the service is the ECS path with the controller in the
 * middle. A guest's ALB lives in its own VPC and cannot target its host's nodes: guests get no
 * listener rules (see README "Shared-cluster mode").
 */
export class EksAppsStack extends EnvironmentStack {
  public readonly workloads: ReadonlyMap<string, KubernetesWorkload>;
  /** Listener rules by service (hosts with an edge only). */
  public readonly listenerRules: ReadonlyMap<string, LbListenerRule>;

  constructor(scope: Construct, env: Environment, props: EksAppsStackProps) {
    super(scope, env, "apps");
    configureClusterAccess(this, props.cluster.clusterName, { helm: false });
    const workloads = new Map<string, KubernetesWorkload>();
    const rules = new Map<string, LbListenerRule>();
    const guest = props.cluster.env.name !== env.name;
    for (const service of props.services) {
      workloads.set(
        service.name,
        new KubernetesWorkload(this, service.name, {
          service,
          namespace: props.addons.namespace,
          image: imageOf(service, props.repositoryUrls),
          labels: { "app.kubernetes.io/part-of": env.project, "harbor.io/environment": env.name },
        }),
      );
      const edge = props.edge;
      if (service.expose !== "public" || !edge || guest || !edge.allocation.rules.has(service.name)) continue;
      const at = edge.routeFor(service.name);
      rules.set(
        service.name,
        new LbListenerRule(this, `${service.name}-rule`, {
          listenerArn: at.listenerArn,
          priority: at.priority,
          action: [{ type: "forward", targetGroupArn: props.cluster.ingress.targetGroupArn }],
          condition: edge.routeConditions(service.name),
        }),
      );
    }
    // Who may call whom inside the namespace (x-calls); the namespace denies the rest.
    new ServiceCallPolicies(this, "calls", { namespace: props.addons.namespace, calls: allowedCalls(props.services) });
    this.workloads = workloads;
    this.listenerRules = rules;
  }
}
