import { z } from "zod";
import { logRetentionSchema } from "../../lib/log-retention";
import { DOMAIN_NAME } from "../../modules/edge/limits";

/** The zone serves production, so its query logs follow the production rule: a year or more. */
export const MIN_QUERY_LOG_RETENTION_DAYS = 365;

export const domainSchema = z
  .string()
  .regex(DOMAIN_NAME, "must be a lowercase domain name such as harbor.example.com (labels of letters, digits and hyphens, separated by dots)");

/**
 * `dns` of the global config: the project's public hosted zone. Every environment's edge names
 * (`app.<env>.<domain>`, the apex, the origin name) live in it. Omit it only when no environment
 * has an edge.
 */
export const dnsSchema = z
  .object({
    /** The zone's domain, e.g. `harbor.example.com`. */
    domain: domainSchema,
    /**
     * The zone already exists (e.g. created with the domain's registration): look it up by name
     * instead of creating it. @default false (the global stack creates the zone)
     */
    existingZone: z.boolean().default(false),
    /**
     * Days to keep the zone's DNS query logs (CloudWatch Logs in us-east-1). The zone serves
     * production, so at least 365. @default 365
     */
    queryLogRetentionDays: logRetentionSchema()
      .refine((d) => d >= MIN_QUERY_LOG_RETENTION_DAYS, `must be at least ${MIN_QUERY_LOG_RETENTION_DAYS} days: the zone serves production, whose logs are kept a year or more`)
      .default(MIN_QUERY_LOG_RETENTION_DAYS),
  })
  .strict()
  .optional();

export type DnsConfig = NonNullable<z.output<typeof dnsSchema>>;
