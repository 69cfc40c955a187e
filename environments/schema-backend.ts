import { z } from "zod";

/** Where an environment's Terraform state lives: the `backend` section. */

/** An AWS region name, e.g. us-east-1. */
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export const backendSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("local") }).strict(),
  z
    .object({
      kind: z.literal("s3"),
      /** State bucket (must exist; versioning and encryption on). */
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name"),
      /** Region of the state bucket. */
      region: z.string().regex(REGION, "must be an AWS region such as us-east-1"),
      /** Key prefix; the state key is `<keyPrefix>/<stack>.tfstate`. @default the project name */
      keyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+$/, "must be a valid S3 key prefix").optional(),
      /** KMS key for state encryption. @default the bucket's default (SSE-S3 or SSE-KMS) */
      kmsKeyId: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("cloud"),
      /** Terraform Cloud / Enterprise organization. */
      organization: z.string().regex(/^[A-Za-z0-9_-]+$/, "must be a Terraform Cloud organization name"),
      /** Terraform Cloud or Enterprise host. @default app.terraform.io */
      hostname: z.string().regex(/^[a-z0-9.-]+$/, "must be a host name").optional(),
    })
    .strict(),
]);
