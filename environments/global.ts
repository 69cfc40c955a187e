import { GlobalInput } from "./global-schema";

/** Project-wide settings, synthesized once as the `global` stack. */
const global: GlobalInput = {
  project: "harbor",
  region: "us-east-1",
  tags: { Owner: "platform-team", CostCenter: "cc-0001" },
  // The public hosted zone of every environment's edge (app.<env>.harbor.example.com, the apex for prod).
  dns: { domain: "harbor.example.com" },
};

export default global;
