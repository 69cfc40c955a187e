import { z } from "zod";

/**
 * `observability`: the alarm topic and its subscriptions, alarm thresholds, log retention
 * (issue: databases and observability).
 * STUB: filled in by the observability work.
 */
export const observabilitySchema = z.object({}).strict().default({});

export type ObservabilityConfig = z.output<typeof observabilitySchema>;
