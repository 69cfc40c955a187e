import { z } from "zod";

/**
 * `dns` of the global config: the project's public hosted zone (issue: the edge).
 * STUB: filled in by the edge work.
 */
export const dnsSchema = z.object({}).strict().default({});

export type DnsConfig = z.output<typeof dnsSchema>;
