import { isWholeInternet } from "../network/rules";

/**
 * Rules of the EKS cluster that config validation (environments/features/eks.ts) and the
 * construct share. Light on purpose (no provider classes).
 */

/** Why `cidr` may not reach the cluster's public API endpoint (the whole internet), or undefined. */
export function publicAccessCidrProblem(cidr: string): string | undefined {
  return isWholeInternet(cidr) ? "must not open the Kubernetes API to the whole internet: list office or VPN ranges, or none to turn the public endpoint off" : undefined;
}
