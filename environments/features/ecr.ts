import { z } from "zod";

/**
 * `ecr` of the global config: the container repositories, one per service in `services/`
 * (issue: the ECS platform). Tags are immutable, images are scanned on push and encrypted with a
 * customer-managed KMS key; a lifecycle policy bounds how many images each repository keeps.
 */
export const ecrSchema = z
  .object({
    /** Images each repository keeps (the newest); older ones expire. @default 30 */
    keepImages: z
      .number({ invalid_type_error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be 1 to 1000 (how many of the newest images each repository keeps)")
      .max(1000, "must be 1 to 1000 (how many of the newest images each repository keeps)")
      .default(30),
    /** Days after which untagged images (left behind by multi-arch pushes) expire. @default 7 */
    untaggedExpiryDays: z
      .number({ invalid_type_error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be 1 to 365 days")
      .max(365, "must be 1 to 365 days")
      .default(7),
  })
  .strict()
  .default({});

export type EcrConfig = z.output<typeof ecrSchema>;
