/**
 * The vendor-neutral service descriptor: `services/<name>.yaml` Compose files, validated against
 * the Compose Specification schema and our `x-` extensions, mapped to ServiceDescriptor.
 * Shared by the ECS and EKS apps stacks.
 */
export * from "./descriptor";
export { secretArn, secretValueFrom, secretReadStatements } from "./secrets";
export type { DeployTarget } from "./secrets";
export { loadServiceCatalog, loadServices, SERVICE_NAME } from "./load";
export type { ServiceCatalog, LoadOptions } from "./load";
export { parseDuration, routePathProblem } from "./extensions";
export { parseCpuUnits, parseMemoryMiB, shellWords, healthPathFromTest, SUPPORTED_SERVICE_FIELDS, MIN_MIB_PER_CPU_UNIT, DEFAULT_RESOURCES } from "./map";
export { imageOf, imageRepositoryProblem } from "./image";
export { allowedCalls, callersOf } from "./calls";
export type { AllowedCall } from "./calls";
