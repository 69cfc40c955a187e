import { defineEnvironment } from "./load";

/** Production: NAT per AZ, a year of flow logs in S3, deletion protection everywhere. */
export default defineEnvironment({
  project: "harbor",
  name: "prod",
  production: true,
  region: "us-east-1",
  vpc: { cidr: "10.40.0.0/16" },
  nat: { strategy: "perAz" },
  flowLogs: { destination: "s3", retentionDays: 365 },
  tags: { Owner: "platform-team", Purpose: "production", CostCenter: "cc-2000" },
  platform: { kind: "ecs" },
  ssh: { allowList: ["198.51.100.0/24"] },
});
