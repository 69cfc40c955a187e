import { z } from "zod";

/**
 * `bastion`: the SSH jump boxes of an environment (issue: bastions). Owned by modules/bastion.
 * STUB: filled in by the bastion work; keep `.default({})` so environments may omit it.
 */
export const bastionSchema = z.object({}).strict().default({});

export type BastionConfig = z.output<typeof bastionSchema>;

/** Cross-field rules of the bastion config (e.g. ssh access needs a non-empty allow-list). */
export function refineBastion(_env: { bastion: BastionConfig; ssh: { allowList: string[] } }, _ctx: z.RefinementCtx): void {}
