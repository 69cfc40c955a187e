import { EnvironmentSource } from "./load";
import dev from "./dev";
import qa from "./qa";
import staging from "./staging";
import prod from "./prod";

/**
 * Every environment the app synthesizes, with the file that declares it. To add an environment,
 * copy one of these files, change its name, VPC CIDR and tags, and list it here.
 */
export const environments: readonly EnvironmentSource[] = [
  { file: "environments/dev.ts", input: dev },
  { file: "environments/qa.ts", input: qa },
  { file: "environments/staging.ts", input: staging },
  { file: "environments/prod.ts", input: prod },
];
