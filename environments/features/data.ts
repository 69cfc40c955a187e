import { z } from "zod";

/**
 * `databases`: zero or more RDS databases of an environment (issue: databases and observability).
 * STUB: filled in by the data work.
 */
export const databasesSchema = z.array(z.object({}).strict()).default([]);

export type DatabasesConfig = z.output<typeof databasesSchema>;

export function refineDatabases(_env: { production: boolean; databases: DatabasesConfig }, _ctx: z.RefinementCtx): void {}
