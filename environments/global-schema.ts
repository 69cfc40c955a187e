import { z } from "zod";
import { TAG_VALUE, TAG_VALUE_CHARACTERS, TAG_VALUE_MAX } from "../lib/tags";
import { backendSchema } from "./schema";
import { dnsSchema } from "./features/dns";
import { ecrSchema } from "./features/ecr";

const tag = z.string().min(1).max(TAG_VALUE_MAX).regex(TAG_VALUE, `may contain only ${TAG_VALUE_CHARACTERS}`);

/** Project-wide settings: the `global` stack (hosted zone, ECR repositories) is synthesized once. */
export const globalSchema = z
  .object({
    /** Must equal every environment's `project`. */
    project: z.string().regex(/^[a-z]([a-z0-9-]*[a-z0-9])?$/, "must be lowercase letters, digits and hyphens"),
    /** Region of the global stack's regional resources (ECR). */
    region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "must be an AWS region such as us-east-1"),
    /** Backend of the `global` stack. @default { kind: "local" } */
    backend: backendSchema.default({ kind: "local" }),
    /** Tags of the global stack's resources (`Project`, `Environment: global`, `ManagedBy`, `Stack` are added). */
    tags: z
      .object({
        /** Who answers for the shared resources. */
        Owner: tag,
        /** Cost allocation tag. */
        CostCenter: tag,
      })
      .strict(),
    /** The project's public DNS zone. */
    dns: dnsSchema,
    /** ECR repository settings. */
    ecr: ecrSchema,
  })
  .strict();

export type GlobalInput = z.input<typeof globalSchema>;
export type GlobalConfig = z.output<typeof globalSchema>;
