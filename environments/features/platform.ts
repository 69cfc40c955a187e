import { z } from "zod";
import { ecsPlatformSchema } from "./ecs";
import { eksPlatformSchema } from "./eks";

/** `platform`: exactly one of ECS or EKS. */
export const platformSchema = z.discriminatedUnion("kind", [ecsPlatformSchema, eksPlatformSchema]);

export type PlatformConfig = z.output<typeof platformSchema>;
