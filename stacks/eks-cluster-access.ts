import { Fn } from "cdktf";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { EnvironmentStack } from "./environment-stack";

/** Exec credential plugin API version `aws eks get-token` speaks. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** How a stack that only reads a cluster reaches its API. */
export interface ClusterAccess {
  readonly clusterName: string;
  readonly kubernetes: KubernetesProvider;
  readonly helm?: HelmProvider;
}

/**
 * Configures the kubernetes (and optionally helm) providers of a stack from the `aws_eks_cluster`
 * data source, looked up by name, with exec authentication (`aws eks get-token`: short-lived
 * tokens from the caller's AWS credentials, nothing stored in state). Used only by stacks that
 * read the cluster, never by the stack that creates it, so providers are never configured from
 * values unknown at plan time.
 */
export function configureClusterAccess(stack: EnvironmentStack, clusterName: string, opts: { helm: boolean }): ClusterAccess {
  const cluster = new DataAwsEksCluster(stack, "cluster", { name: clusterName });
  const host = cluster.endpoint;
  const clusterCaCertificate = Fn.base64decode(cluster.certificateAuthority.get(0).data);
  const exec = { apiVersion: EXEC_API_VERSION, command: "aws", args: ["eks", "get-token", "--cluster-name", cluster.name, "--region", stack.env.region, "--output", "json"] };
  const kubernetes = new KubernetesProvider(stack, "kubernetes", { host, clusterCaCertificate, exec: [exec] });
  const helm = opts.helm ? new HelmProvider(stack, "helm", { kubernetes: { host, clusterCaCertificate, exec } }) : undefined;
  return { clusterName: cluster.name, kubernetes, helm };
}
