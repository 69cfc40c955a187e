import { z } from "zod";

/**
 * `ecr` of the global config: repository settings for the services (issue: the ECS platform).
 * STUB: filled in by the ECS work.
 */
export const ecrSchema = z.object({}).strict().default({});

export type EcrConfig = z.output<typeof ecrSchema>;
