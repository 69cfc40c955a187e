import { Construct } from "constructs";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import type { DbParameter } from "./engines";

/** The parameter group's physical name starts with the identifier and the family (dots as dashes). */
function groupName(identifier: string, family: string): string {
  return `${identifier}-${family.replace(/\./g, "-")}`;
}

function toParams(list: readonly DbParameter[]) {
  return list.map((p) => ({ name: p.name, value: p.value, applyMethod: p.applyMethod ?? "immediate" }));
}

/**
 * The DB parameter group: the instance's, or the cluster members' (`nameSuffix` "-instance", `of`
 * " instances"), created before the old one goes.
 */
export function dbParameterGroup(scope: Construct, identifier: string, family: string, nameSuffix: string, of: string, list: readonly DbParameter[]): DbParameterGroup {
  return new DbParameterGroup(scope, "parameters", {
    name: `${groupName(identifier, family)}${nameSuffix}`,
    family,
    description: `${identifier}${of} (${family})`,
    parameter: toParams(list),
    lifecycle: { createBeforeDestroy: true },
  });
}

/** The Aurora cluster parameter group (the cluster-level parameters), created before the old one goes. */
export function clusterParameterGroup(scope: Construct, identifier: string, family: string, list: readonly DbParameter[]): RdsClusterParameterGroup {
  return new RdsClusterParameterGroup(scope, "cluster-parameters", {
    name: groupName(identifier, family),
    family,
    description: `${identifier} cluster (${family})`,
    parameter: toParams(list),
    lifecycle: { createBeforeDestroy: true },
  });
}
