import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NetworkPolicyV1, NetworkPolicyV1Spec } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { MONITORING_NAMESPACE, READINESS_GATE_LABEL } from "./identities";

export interface NamespaceQuota {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  readonly pods: number;
  /** Request and limit of a container that sets none. */
  readonly defaultRequest: { readonly cpu: string; readonly memory: string };
  readonly defaultLimit: { readonly cpu: string; readonly memory: string };
}

export interface EnvironmentNamespaceProps {
  /** The namespace (a DNS label). */
  readonly name: string;
  /** The environment it belongs to (a label, for cost and policy). */
  readonly environment: string;
  readonly quota: NamespaceQuota;
  /** CIDR of the cluster's VPC: egress to it is limited to databases and HTTPS (VPC endpoints, the API). */
  readonly vpcCidr: string;
  /**
   * Where the environment's ALB sends from (its public subnets, in its own VPC, which for a guest
   * is peered with the host's) and the container ports it reaches pods on (public services).
   * @default no traffic from a load balancer
   */
  readonly loadBalancer?: { readonly cidrs: readonly string[]; readonly ports: readonly number[] };
  /** Database ports the namespace may reach inside the VPC. @default [3306, 5432] */
  readonly databasePorts?: readonly number[];
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const nsSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

/**
 * An environment's namespace with its guard rails: Pod Security Admission `restricted`, a
 * ResourceQuota, a LimitRange giving containers default requests and limits, and network policies
 * that deny everything by default and then allow only: the environment's ALB (its subnets, on the
 * public services' container ports; IP targets, no proxy in between) and Prometheus in, DNS to
 * CoreDNS, and out of the cluster (internet through NAT; inside the VPC only database ports and
 * HTTPS). Pod-to-pod calls inside the namespace are allowed one by one, from the services'
 * `x-calls`, by the apps stack (modules/eks-addons/call-policies.ts).
 */
export class EnvironmentNamespace extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: EnvironmentNamespaceProps) {
    super(scope, id);
    if (props.name.length > 63 || !DNS_LABEL.test(props.name)) throw new Error(`EnvironmentNamespace: name must be a DNS label (RFC 1123), got ${props.name}`);
    if (props.quota.pods < 1) throw new Error(`EnvironmentNamespace: quota.pods must be at least 1, got ${props.quota.pods}`);
    const ns = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.name,
        labels: {
          "harbor.io/environment": props.environment,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
          [READINESS_GATE_LABEL]: "enabled",
        },
      },
    });
    const namespace = ns.metadata.name;
    const q = props.quota;
    new ResourceQuotaV1(this, "quota", {
      metadata: { name: "environment-quota", namespace },
      spec: {
        hard: {
          "requests.cpu": q.requestsCpu,
          "requests.memory": q.requestsMemory,
          "limits.cpu": q.limitsCpu,
          "limits.memory": q.limitsMemory,
          pods: String(q.pods),
        },
      },
    });
    new LimitRangeV1(this, "limits", {
      metadata: { name: "container-defaults", namespace },
      spec: {
        limit: [{ type: "Container", defaultRequest: { cpu: q.defaultRequest.cpu, memory: q.defaultRequest.memory }, default: { cpu: q.defaultLimit.cpu, memory: q.defaultLimit.memory } }],
      },
    });
    const policy = (key: string, spec: NetworkPolicyV1Spec) => new NetworkPolicyV1(this, key, { metadata: { name: key, namespace }, spec });
    policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const lb = props.loadBalancer;
    if (lb && lb.cidrs.length && lb.ports.length) {
      policy("allow-from-load-balancer", {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [...lb.cidrs].map((cidr) => ({ ipBlock: { cidr } })), ports: [...new Set(lb.ports)].sort((a, b) => a - b).map((p) => ({ port: String(p), protocol: "TCP" })) }],
      });
    }
    policy("allow-from-monitoring", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSelector(MONITORING_NAMESPACE) }] }] });
    policy("allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: nsSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { port: "53", protocol: "UDP" },
            { port: "53", protocol: "TCP" },
          ],
        },
      ],
    });
    const dbPorts = props.databasePorts ?? [3306, 5432];
    policy("allow-egress", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [props.vpcCidr] } }] },
        { to: [{ ipBlock: { cidr: props.vpcCidr } }], ports: [...dbPorts, 443].map((p) => ({ port: String(p), protocol: "TCP" })) },
      ],
    });
    this.name = namespace;
  }
}
