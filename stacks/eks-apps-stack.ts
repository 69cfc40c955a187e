import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { Environment } from "../environments/schema";
import { allowedCalls, imageOf, type DeployTarget, type ServiceDescriptor } from "../modules/compose";
import { KubernetesWorkload, secretSourceArn, ServiceCallPolicies } from "../modules/eks-addons";
import { PodIdentityRole } from "../modules/eks-cluster/pod-identity-role";
import { EnvironmentStack } from "./environment-stack";
import { partitionOf } from "../lib/partition";
import { EksAddonsStack } from "./eks-addons-stack";
import { configureClusterAccess } from "./eks-cluster-access";
import type { EdgeRef, EksClusterRef } from "./contracts";

export { imageOf } from "../modules/compose";

export interface EksAppsStackProps {
  /** Platform stack of the cluster the environment runs in (its own, or its host's). */
  readonly cluster: EksClusterRef;
  /** The environment's addons stack (its namespace). */
  readonly addons: EksAddonsStack;
  /** The environment's services, overrides applied. */
  readonly services: readonly ServiceDescriptor[];
  /** Registry URL of each service repository (global stack), by repository name. */
  readonly repositoryUrls: ReadonlyMap<string, string>;
  /** The environment's edge: public services get a TargetGroupBinding to their target group. @default no edge */
  readonly edge?: Pick<EdgeRef, "podTargetGroups" | "targetVpcId">;
}

/**
 * `<env>-apps` on EKS: every Compose service as a Deployment, Service, HPA and PDB in the
 * environment's namespace (modules/eks-addons KubernetesWorkload); for each public service the
 * edge routes, a TargetGroupBinding that lets the AWS Load Balancer Controller register the
 * service's pod IPs in the edge's target group. The path from CloudFront to a pod is then the ECS
 * path: CloudFront -> WAF -> the environment's own ALB -> listener rule -> target group -> pod,
 * for a guest too (its ALB reaches the pods in the host's VPC over a peering). A service with
 * secrets gets its own EKS Pod Identity role that may read only those secrets.
 */
export class EksAppsStack extends EnvironmentStack {
  public readonly workloads: ReadonlyMap<string, KubernetesWorkload>;
  /** Pod Identity roles of the services with secrets, by service. */
  public readonly secretRoles: ReadonlyMap<string, PodIdentityRole>;

  constructor(scope: Construct, env: Environment, props: EksAppsStackProps) {
    super(scope, env, "apps");
    configureClusterAccess(this, props.cluster.clusterName, { helm: false });
    // The controller, the CSI driver and their CRDs come from the addons stack.
    this.addDependency(props.addons);
    const workloads = new Map<string, KubernetesWorkload>();
    const roles = new Map<string, PodIdentityRole>();
    const guest = props.cluster.hostName !== env.name;
    // Secret names resolve in the deploying account, partition and region (as on ECS).
    const target: DeployTarget | undefined = props.services.some((s) => s.secrets.length)
      ? { accountId: new DataAwsCallerIdentity(this, "account").accountId, partition: partitionOf(env.region), region: env.region }
      : undefined;
    for (const service of props.services) {
      const tg = service.expose === "public" ? props.edge?.podTargetGroups.get(service.name) : undefined;
      const workload = new KubernetesWorkload(this, service.name, {
        service,
        namespace: props.addons.namespace,
        image: imageOf(service, props.repositoryUrls),
        labels: { "app.kubernetes.io/part-of": env.project, "harbor.io/environment": env.name },
        targetGroup: tg ? { arn: tg.arn, vpcId: guest ? props.edge?.targetVpcId : undefined } : undefined,
        deployTarget: target,
      });
      workloads.set(service.name, workload);
      if (workload.serviceAccountName) roles.set(service.name, this.secretsRole(service, target!, workload.serviceAccountName, props.cluster.clusterName, props.addons.namespace));
    }
    // Who may call whom inside the namespace (x-calls); the namespace denies the rest.
    new ServiceCallPolicies(this, "calls", { namespace: props.addons.namespace, calls: allowedCalls(props.services) });
    this.workloads = workloads;
    this.secretRoles = roles;
  }

  /** The service's own role: read exactly its own parameters and secrets, nothing else. */
  private secretsRole(service: ServiceDescriptor, target: DeployTarget, serviceAccount: string, clusterName: string, namespace: string): PodIdentityRole {
    const ssm = [...new Set(service.secrets.filter((x) => x.source === "ssm").map((x) => secretSourceArn(x, target)))].sort();
    const sm = [...new Set(service.secrets.filter((x) => x.source === "secretsmanager").map((x) => secretSourceArn(x, target)))].sort();
    return new PodIdentityRole(this, `${service.name}-secrets-role`, {
      name: this.name(`${service.name}-secrets`).slice(0, 64),
      clusterName,
      namespace,
      serviceAccount,
      statements: [
        ...(ssm.length ? [{ Sid: "OwnParameters", Effect: "Allow" as const, Action: "ssm:GetParameters", Resource: ssm }] : []),
        ...(sm.length ? [{ Sid: "OwnSecrets", Effect: "Allow" as const, Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: sm.flatMap((a) => [a, `${a}-??????`]) }] : []),
      ],
    });
  }
}
