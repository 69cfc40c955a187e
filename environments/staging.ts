import { defineEnvironment } from "./load";

/** Staging: production-shaped network (NAT per AZ) on the EKS platform. */
export default defineEnvironment({
  project: "harbor",
  name: "staging",
  region: "us-east-1",
  vpc: { cidr: "10.30.0.0/16" },
  nat: { strategy: "perAz" },
  flowLogs: { destination: "cloudwatch", retentionDays: 90 },
  tags: { Owner: "platform-team", Purpose: "staging", CostCenter: "cc-1003" },
  // State in S3 with S3-native locking (use_lockfile): harbor/staging-<layer>.tfstate. The bucket
  // must exist (versioning on); planning needs AWS credentials that may read and write it.
  backend: { kind: "s3", bucket: "harbor-terraform-state", region: "us-east-1", keyPrefix: "harbor" },
  // Production-shaped classes, single-AZ; Performance Insights on (t4g.medium supports it).
  databases: [
    { name: "app", engine: "postgres", version: "16", instanceClass: "db.t4g.medium", allocatedStorageGiB: 50 },
    { name: "orders", engine: "mysql", version: "8.0", instanceClass: "db.t4g.medium" },
  ],
  observability: { alarmSubscriptions: ["platform-team@example.com"], logRetentionDays: 30 },
  platform: {
    kind: "eks",
    // The Kubernetes API is private, plus the office/VPN ranges; admins get cluster-admin via access entries.
    endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
    // A role name resolves in the deploying account (a full ARN names a role elsewhere).
    admins: ["platform-admin"],
  },
  parking: { stop: "0 0 * * *", start: "0 7 * * MON-FRI", timeZone: "America/New_York" },
  ssh: { allowList: ["203.0.113.0/24", "198.51.100.0/24"] },
});
