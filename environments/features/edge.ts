import { z } from "zod";

/**
 * `edge`: CloudFront, WAF, ALB and Route 53 of an environment (issue: the edge).
 * STUB: filled in by the edge work; keep `.default({})` so environments may omit it.
 */
export const edgeSchema = z.object({}).strict().default({});

export type EdgeConfig = z.output<typeof edgeSchema>;

export function refineEdge(_env: { name: string; production: boolean; edge: EdgeConfig }, _ctx: z.RefinementCtx): void {}
