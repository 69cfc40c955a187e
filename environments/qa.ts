import { defineEnvironment } from "./load";

/** QA: like dev, with a month of flow logs for test forensics. */
export default defineEnvironment({
  project: "harbor",
  name: "qa",
  region: "us-east-1",
  vpc: { cidr: "10.20.0.0/16" },
  nat: { strategy: "single" },
  flowLogs: { destination: "cloudwatch", retentionDays: 30 },
  tags: { Owner: "qa-team", Purpose: "quality-assurance", CostCenter: "cc-1002" },
  // The same PostgreSQL 16 application database as dev, plus the MySQL 8.0 orders database.
  databases: [
    { name: "app", engine: "postgres", version: "16", instanceClass: "db.t4g.micro" },
    { name: "orders", engine: "mysql", version: "8.0", instanceClass: "db.t4g.micro" },
  ],
  observability: { logRetentionDays: 14 },
  // A namespace in staging's EKS cluster instead of a cluster of its own.
  platform: { kind: "eks", cluster: { shared: "staging" } },
  parking: { stop: "0 0 * * *", start: "0 7 * * MON-FRI", timeZone: "America/New_York" },
  ssh: { allowList: ["203.0.113.0/24"] },
});
