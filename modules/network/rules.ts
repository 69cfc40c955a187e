/**
 * Rules of the network layer that config validation (environments/schema.ts) and the constructs
 * share: one predicate and one message each. Light on purpose (no provider classes), so that
 * validation can load it before any construct.
 */

/** True for a block that spans the whole address space (`0.0.0.0/0`, `::/0`, any `/0`). */
export function isWholeInternet(cidr: string): boolean {
  return /\/0$/.test(cidr);
}

/** Why `cidr` may not be an SSH allow-list entry (the whole internet), or undefined when it may. */
export function sshAllowListProblem(cidr: string): string | undefined {
  return isWholeInternet(cidr) ? "must not open SSH to the whole internet: list your office or VPN ranges" : undefined;
}

/** The NAT instance's default type. */
export const DEFAULT_NAT_INSTANCE_TYPE = "t4g.nano";

/** Why `instanceType` cannot be the NAT instance's type (it runs the arm64 image), or undefined. */
export function natInstanceTypeProblem(instanceType: string): string | undefined {
  return /^[a-z0-9]+g[a-z]*\.[a-z0-9]+$/.test(instanceType) ? undefined : "must be a Graviton (arm64) instance type such as t4g.nano";
}
