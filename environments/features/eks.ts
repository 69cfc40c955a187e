import { z } from "zod";
import type { Problem } from "../load";

/**
 * `platform: { kind: "eks", ... }`: the EKS cluster or a namespace in another environment's
 * cluster (issue: the EKS platform).
 * STUB: filled in by the EKS work.
 */
export const eksPlatformSchema = z.object({ kind: z.literal("eks") }).strict();

export type EksPlatformConfig = z.output<typeof eksPlatformSchema>;

/** Rules between environments (a shared cluster's host exists, is EKS, is not itself a guest). */
export function eksCrossEnvironmentRules(_envs: readonly { file: string; env: { name: string; platform: { kind: string } } }[]): Problem[] {
  return [];
}
