import { z } from "zod";

/**
 * `platform: { kind: "ecs", ... }`: the ECS fleet (issue: the ECS platform).
 * STUB: filled in by the ECS work.
 */
export const ecsPlatformSchema = z.object({ kind: z.literal("ecs") }).strict();

export type EcsPlatformConfig = z.output<typeof ecsPlatformSchema>;
