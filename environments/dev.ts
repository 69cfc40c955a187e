import { defineEnvironment } from "./load";

/** Development: one shared NAT gateway, short log retention, parked at night. */
export default defineEnvironment({
  project: "harbor",
  name: "dev",
  region: "us-east-1",
  vpc: { cidr: "10.10.0.0/16" },
  nat: { strategy: "single" },
  flowLogs: { destination: "cloudwatch", retentionDays: 14 },
  tags: { Owner: "platform-team", Purpose: "development", CostCenter: "cc-1001" },
  // A small PostgreSQL 16 instance; no alarm subscribers (alarms still land on the topic).
  databases: [{ name: "app", engine: "postgres", version: "16", instanceClass: "db.t4g.micro" }],
  observability: { logRetentionDays: 7 },
  platform: { kind: "ecs" },
  parking: { stop: "0 0 * * *", start: "0 7 * * MON-FRI", timeZone: "America/New_York" },
  ssh: { allowList: ["203.0.113.0/24"] },
});
