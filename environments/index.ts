import { EnvironmentSource } from "./load";
import dev from "./dev";
import qa from "./qa";
import staging from "./staging";
import prod from "./prod";
import globalConfig from "./global";

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

/** The project-wide settings (the `global` stack). */
export const global: EnvironmentSource = { file: "environments/global.ts", input: globalConfig };
