import { GlobalInput } from "./global-schema";

/** Project-wide settings, synthesized once as the `global` stack. */
const global: GlobalInput = {
  project: "harbor",
  region: "us-east-1",
  tags: { Owner: "platform-team", CostCenter: "cc-0001" },
  // The zone and the image repositories serve production too, so their state is not local either:
  // S3 with native locking (harbor/global.tfstate), readable with the AWS credentials any plan needs.
  backend: { kind: "s3", bucket: "harbor-terraform-state", region: "us-east-1", keyPrefix: "harbor" },
  // The public hosted zone of every environment's edge (app.<env>.harbor.example.com, the apex for prod).
  dns: { domain: "harbor.example.com" },
};

export default global;
