import { defineEnvironment } from "./load";

/**
 * Production: NAT per AZ, state in Terraform Cloud, every log kept at least a year (flow logs in
 * S3), deletion protection everywhere.
 */
export default defineEnvironment({
  project: "harbor",
  name: "prod",
  production: true,
  region: "us-east-1",
  vpc: { cidr: "10.40.0.0/16" },
  nat: { strategy: "perAz" },
  flowLogs: { destination: "s3", retentionDays: 365 },
  tags: { Owner: "platform-team", Purpose: "production", CostCenter: "cc-2000" },
  // Production state never lives on a laptop or a CI runner's disk (validation rejects "local"):
  // Terraform Cloud, one workspace per stack (harbor-prod-network, harbor-prod-data, ...).
  backend: { kind: "cloud", organization: "harbor" },
  // Aurora PostgreSQL (writer + reader in two AZs) and a Multi-AZ MySQL 8.0 instance; 30 days of
  // backups, deletion protection, final snapshots and prevent_destroy come from production: true.
  databases: [
    { name: "app", engine: "postgres", kind: "aurora", version: "16.6", instanceClass: "db.r7g.large" },
    { name: "orders", engine: "mysql", version: "8.0", instanceClass: "db.m7g.large", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 500 },
  ],
  observability: {
    alarmSubscriptions: ["platform-oncall@example.com", "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue"],
    thresholds: { rdsCpuPercent: 75, targetResponseTimeP99Seconds: 1.5 },
    logRetentionDays: 365,
  },
  // Warm on-demand capacity for the services' on-demand base; spot grows with load.
  platform: { kind: "ecs", onDemand: { min: 2, max: 8 }, spot: { min: 0, max: 12 } },
  ssh: { allowList: ["198.51.100.0/24"] },
  // Production also answers on the zone apex (harbor.example.com), next to app.prod.harbor.example.com.
  edge: { apex: true },
});
