import { z } from "zod";
import { DOMAIN_NAME } from "../../modules/edge/limits";

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
  })
  .strict()
  .optional();

export type DnsConfig = NonNullable<z.output<typeof dnsSchema>>;
