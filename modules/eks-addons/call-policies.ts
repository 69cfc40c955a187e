import { Construct } from "constructs";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { AllowedCall } from "../compose";

/**
 * The environment's service-to-service calls (`x-calls`) as NetworkPolicies in its namespace,
 * on top of the namespace's default-deny (modules/eks-addons/namespace.ts): for each callee one
 * policy letting exactly its callers in on its port, for each caller one letting it out to
 * exactly its callees on their ports. Kubernetes needs both sides because the namespace denies
 * ingress and egress by default. Nothing else moves between the namespace's pods.
 */

export interface ServiceCallPoliciesProps {
  /** The environment's namespace. */
  readonly namespace: string;
  /** The environment's allowed calls (modules/compose allowedCalls). */
  readonly calls: readonly AllowedCall[];
}

/** Name of the policy: `calls-to-<callee>` (ingress) or `calls-from-<caller>` (egress). */
export function callPolicyName(direction: "to" | "from", service: string): string {
  return `calls-${direction}-${service}`;
}

const app = (name: string) => ({ matchLabels: { "app.kubernetes.io/name": name } });
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class ServiceCallPolicies extends Construct {
  /** Names of the policies, callees first (`calls-to-ledger`), then callers (`calls-from-alpha`). */
  public readonly policyNames: readonly string[];

  constructor(scope: Construct, id: string, props: ServiceCallPoliciesProps) {
    super(scope, id);
    const names: string[] = [];
    const group = (key: (c: AllowedCall) => string) => {
      const m = new Map<string, AllowedCall[]>();
      for (const c of props.calls) m.set(key(c), [...(m.get(key(c)) ?? []), c]);
      return [...m.entries()].sort(([a], [b]) => byName(a, b));
    };
    for (const [callee, calls] of group((c) => c.to)) {
      const name = callPolicyName("to", callee);
      new NetworkPolicyV1(this, name, {
        metadata: { name, namespace: props.namespace },
        spec: {
          podSelector: app(callee),
          policyTypes: ["Ingress"],
          ingress: [{ from: calls.map((c) => ({ podSelector: app(c.from) })), ports: [{ port: String(calls[0].port), protocol: "TCP" }] }],
        },
      });
      names.push(name);
    }
    for (const [caller, calls] of group((c) => c.from)) {
      const name = callPolicyName("from", caller);
      new NetworkPolicyV1(this, name, {
        metadata: { name, namespace: props.namespace },
        spec: {
          podSelector: app(caller),
          policyTypes: ["Egress"],
          egress: calls.map((c) => ({ to: [{ podSelector: app(c.to) }], ports: [{ port: String(c.port), protocol: "TCP" }] })),
        },
      });
      names.push(name);
    }
    this.policyNames = names;
  }
}
