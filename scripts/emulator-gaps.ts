/**
 * What the local AWS API emulator (moto 5.2.1) cannot serve, and the stand-ins `npm run check:apply`
 * uses for exactly those resources. Every row names the resource type (and the case, when only
 * some configurations are affected), the error moto gives, and the evidence that this is moto's gap
 * and not the project's: the call is valid per the AWS API reference, and moto's own documentation
 * (IMPLEMENTATION_COVERAGE.md, docs/docs/services/*.rst) or source says it is not implemented.
 *
 * A stand-in replaces the resource in the scratch copy of the stack with a `terraform_data` whose
 * `output` carries plausible values for every attribute the stack reads (so dependents and
 * cross-stack outputs get values shaped like AWS's); references to it are rewritten to that
 * `terraform_data`. Nothing else is stood in: every other failure fails the check.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface EmulatorGap {
  /** Terraform resource type. */
  readonly type: string;
  /** When only some configurations are affected: which (prose) and a predicate on the resource's JSON. */
  readonly case?: { readonly description: string; readonly applies: (resource: Json) => boolean };
  /** What moto answers. */
  readonly error: string;
  /** Why this is moto's gap: the AWS API reference and moto's docs/source. */
  readonly evidence: string;
  /**
   * When the case depends on the other stacks applied to the same emulator: picks, from every
   * resource of the type in every stack, the ones this row covers (keys `<stack> <type>.<name>`).
   */
  readonly select?: (all: readonly { stack: string; name: string; resource: Json }[], stacks: Readonly<Record<string, Json>>) => ReadonlySet<string>;
  /**
   * A row for resources the emulator checks against another resource that is itself stood in
   * (it does not exist there): they are stood in too, never matched on their own.
   */
  readonly dependentOfStandIn?: boolean;
  /** Values for the stand-in's `output` (every attribute dependents read). */
  readonly values: (name: string, resource: Json, ctx: { account: string; region: string }) => Json;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 60);

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    type: "aws_cloudfront_function",
    error: "CreateFunction: 404 Not Found (moto has no route for /2020-05-31/function)",
    evidence:
      "AWS CloudFront API reference: CreateFunction, DescribeFunction, PublishFunction are CloudFront API actions; " +
      "getmoto/moto IMPLEMENTATION_COVERAGE.md, section cloudfront: `- [ ] create_function`, `- [ ] publish_function`, `- [ ] describe_function` (not implemented).",
    values: (name, r, { account }) => ({
      arn: `arn:aws:cloudfront::${account}:function/${r.name ?? slug(name)}`,
      etag: "ETVPDKIKX0DER",
      live_stage_etag: "ETVPDKIKX0DER",
      status: "UNASSOCIATED",
      id: r.name ?? slug(name),
    }),
  },
  {
    type: "aws_ecs_service",
    case: {
      description: "no `network_configuration`: bridge or host network mode",
      applies: (r) => !r.network_configuration,
    },
    error:
      "CreateService succeeds, then the provider crashes (nil pointer in flattenNetworkConfiguration, service.go:2141): " +
      "moto's DescribeServices returns `networkConfiguration: {}` for a service created without one",
    evidence:
      "AWS ECS API reference, CreateService: networkConfiguration is required only for the awsvpc network mode, and DescribeServices omits it " +
      "for bridge/host services; moto 5.2.1 moto/ecs/models.py Service.__init__ sets `self.network_configuration = {}` when none is given and returns it. " +
      "Reproduced with a 3-resource config (cluster, bridge task definition, service) against moto alone.",
    values: (name, r, { account, region }) => {
      const svc = String(r.name ?? slug(name));
      return {
        id: `arn:aws:ecs:${region}:${account}:service/${svc}`,
        name: svc,
        cluster: r.cluster,
        desired_count: r.desired_count ?? 1,
        task_definition: r.task_definition,
      };
    },
  },
  {
    type: "aws_route53_query_log",
    error:
      "CreateQueryLoggingConfig: 404 NoSuchCloudWatchLogsLogGroup for a log group that exists in us-east-1 " +
      "(moto matches only `<log group arn>:*`, while the provider passes the log group's `arn`, which has no `:*`)",
    evidence:
      "AWS Route 53 API reference, CreateQueryLoggingConfig: CloudWatchLogsLogGroupArn has the format " +
      "`arn:aws:logs:region:account-id:log-group:log_group_name`; the aws_route53_query_log documentation passes " +
      "`aws_cloudwatch_log_group.<name>.arn` (no `:*`). moto 5.2.1 moto/route53/models.py create_query_logging_config " +
      "accepts the ARN only when `log_group_arn == f\"{entry.arn}:*\"`.",
    values: (name, r, { account }) => ({
      id: `${slug(name).slice(0, 8)}-0000-4000-8000-000000000000`,
      arn: `arn:aws:route53:::queryloggingconfig/${slug(name).slice(0, 8)}-0000-4000-8000-000000000000`,
      zone_id: r.zone_id,
      cloudwatch_log_group_arn: r.cloudwatch_log_group_arn ?? `arn:aws:logs:us-east-1:${account}:log-group:stand-in`,
    }),
  },
  ...eksNodeGroupAsgGaps(),
  ...["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].map(
    (type): EmulatorGap => ({
      type,
      case: { description: "on the EKS cluster security group (`vpc_config[0].cluster_security_group_id`)", applies: (r) => /aws_eks_cluster\.[^.]+\.vpc_config\[0\]\.cluster_security_group_id/.test(String(r.security_group_id)) },
      error: "AuthorizeSecurityGroupIngress: InvalidGroup.NotFound: The security group '' does not exist (the cluster's security group id is empty)",
      evidence:
        "AWS EKS API reference, VpcConfigResponse.clusterSecurityGroupId: \"The cluster security group that was created by Amazon EKS for the cluster\"; " +
        "moto 5.2.1 moto/eks/models.py Cluster stores resourcesVpcConfig as sent and creates no cluster security group, so clusterSecurityGroupId is empty.",
      values: (name) => ({ id: `sgr-mock${slug(name).replace(/[^a-z0-9]/g, "").slice(0, 9)}`, arn: `arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-mock` }),
    }),
  ),
  {
    type: "aws_autoscaling_schedule",
    case: {
      description: "a `scheduled_action_name` already used by another group's schedule in the region: all but the first (by stack and address) of each name",
      applies: () => true,
    },
    select: (all) => {
      const seen = new Set<string>();
      const covered = new Set<string>();
      for (const r of [...all].sort((a, b) => (a.stack === b.stack ? a.name.localeCompare(b.name) : a.stack.localeCompare(b.stack)))) {
        const actionName = String(r.resource.scheduled_action_name);
        if (seen.has(actionName)) covered.add(`${r.stack} aws_autoscaling_schedule.${r.name}`);
        seen.add(actionName);
      }
      return covered;
    },
    error:
      "PutScheduledUpdateGroupAction succeeds, but moto keeps one action per name in the region: the next group's `park` replaces the previous one, " +
      "whose read then fails (`reading Auto Scaling Scheduled Action (park): empty result`)",
    evidence:
      "AWS Auto Scaling API reference, PutScheduledUpdateGroupAction: a scheduled action is identified by AutoScalingGroupName + ScheduledActionName " +
      "(its ARN contains both; DeleteScheduledAction takes both), so the same name on different groups is valid; moto 5.2.1 " +
      "moto/autoscaling/models.py put_scheduled_update_group_action stores `self.scheduled_actions[scheduled_action_name]`, keyed by the name alone.",
    values: (name, r, { account, region }) => ({
      arn: `arn:aws:autoscaling:${region}:${account}:scheduledUpdateGroupAction:mock-${slug(name)}:autoScalingGroupName/${r.autoscaling_group_name}:scheduledActionName/${r.scheduled_action_name}`,
      id: r.scheduled_action_name,
    }),
  },
  {
    type: "aws_db_instance",
    case: {
      description: "more than one DB instance (Aurora cluster members included) on the emulator: then every one",
      applies: () => true,
    },
    select: (all, stacks) => {
      const members = Object.values(stacks).reduce((n, j) => n + Object.keys(j.resource?.aws_rds_cluster_instance ?? {}).length, 0);
      return new Set(all.length + members > 1 ? all.map((r) => `${r.stack} aws_db_instance.${r.name}`) : []);
    },
    error:
      "the create ends in `waiting for RDS DB Instance (...) update: couldn't find resource (21 retries)` once another DB instance or cluster member exists: " +
      "every moto DB instance has the same DbiResourceId, so the provider's lookup by resource id (its resource id since provider 5.0) matches several",
    evidence:
      "AWS RDS API reference, DBInstance.DbiResourceId: \"The Amazon Web Services Region-unique, immutable identifier for the DB instance\"; " +
      'moto 5.2.1 moto/rds/models.py DBInstance.__init__: `self.dbi_resource_id = "db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U"` (a constant). ' +
      "Seen on the emulator: DescribeDBInstances returns that id for every instance and cluster member. Alone (`--stack dev-data`) an instance applies for real.",
    values: (name, r, { account, region }) => {
      const id = String(r.identifier ?? slug(name));
      return {
        identifier: id,
        address: `${id}.c0mock000000.${region}.rds.amazonaws.com`,
        endpoint: `${id}.c0mock000000.${region}.rds.amazonaws.com:${r.port ?? 5432}`,
        port: r.port ?? 5432,
        arn: `arn:aws:rds:${region}:${account}:db:${id}`,
        resource_id: `db-MOCK${slug(name).replace(/[^a-z0-9]/g, "").toUpperCase().slice(0, 22)}`,
        master_user_secret: [{ secret_arn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-${id}-mock`, kms_key_id: r.master_user_secret_kms_key_id ?? "", secret_status: "active" }],
      };
    },
  },
  ...eksGaps(),
  ...["aws_appautoscaling_target", "aws_appautoscaling_policy", "aws_appautoscaling_scheduled_action"].map(
    (type): EmulatorGap => ({
      type,
      dependentOfStandIn: true,
      case: { description: "of a stood-in resource (the bridge-mode ECS services above)", applies: () => true },
      error: "RegisterScalableTarget: ValidationException: ECS service doesn't exist (the service is a stand-in); policies and scheduled actions then have no target",
      evidence:
        "AWS Application Auto Scaling API reference, RegisterScalableTarget: the ECS service must exist, and it does on AWS (it is created by the same stack); " +
        "here it is a stand-in, so moto 5.2.1 (moto/applicationautoscaling/models.py validates the ECS service) refuses it.",
      values: (name, r, { account, region }) => ({
        arn: `arn:aws:application-autoscaling:${region}:${account}:scalable-target/mock${slug(name).replace(/[^a-z0-9]/g, "").slice(0, 20)}`,
        id: `${r.resource_id ?? slug(name)}`,
        name: r.name ?? slug(name),
        resource_id: r.resource_id,
        scalable_dimension: r.scalable_dimension,
        service_namespace: r.service_namespace,
      }),
    }),
  ),
];

/** EKS APIs newer than moto's EKS model (clusters, node groups, Fargate profiles and tags only). */
function eksGaps(): EmulatorGap[] {
  const evidence = (action: string) =>
    `AWS EKS API reference: ${action} is an EKS API action; moto 5.2.1 moto/eks/responses.py and urls.py implement only clusters, node groups, ` +
    "Fargate profiles and tags (getmoto/moto IMPLEMENTATION_COVERAGE.md, section eks: `- [ ] " +
    `${action.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()}\`).`;
  const error = (action: string) => `${action}: 404 (moto has no route for it)`;
  return [
    {
      type: "aws_eks_addon",
      error: error("CreateAddon"),
      evidence: evidence("CreateAddon"),
      values: (_name, r, { account, region }) => ({
        arn: `arn:aws:eks:${region}:${account}:addon/${r.cluster_name}/${r.addon_name}/mock`,
        id: `${r.cluster_name}:${r.addon_name}`,
        addon_name: r.addon_name,
        addon_version: r.addon_version,
      }),
    },
    {
      type: "aws_eks_access_entry",
      error: error("CreateAccessEntry"),
      evidence: evidence("CreateAccessEntry"),
      values: (name, r, { account, region }) => ({
        access_entry_arn: `arn:aws:eks:${region}:${account}:access-entry/${r.cluster_name}/role/${slug(name)}`,
        id: `${r.cluster_name}:${r.principal_arn}`,
        principal_arn: r.principal_arn,
        cluster_name: r.cluster_name,
      }),
    },
    {
      type: "aws_eks_access_policy_association",
      error: error("AssociateAccessPolicy"),
      evidence: evidence("AssociateAccessPolicy"),
      values: (_name, r) => ({ id: `${r.cluster_name}#${r.principal_arn}#${r.policy_arn}`, policy_arn: r.policy_arn, principal_arn: r.principal_arn }),
    },
    {
      type: "aws_eks_pod_identity_association",
      error: error("CreatePodIdentityAssociation"),
      evidence: evidence("CreatePodIdentityAssociation"),
      values: (name, r, { account, region }) => ({
        association_arn: `arn:aws:eks:${region}:${account}:podidentityassociation/${r.cluster_name}/a-${slug(name)}`,
        association_id: `a-${slug(name).slice(0, 17)}`,
        id: `${r.cluster_name},a-${slug(name).slice(0, 17)}`,
      }),
    },
  ];
}

/** The gap row that covers a resource, if any. */
export function gapFor(type: string, resource: Json, key?: string, selected?: ReadonlyMap<EmulatorGap, ReadonlySet<string>>): EmulatorGap | undefined {
  return EMULATOR_GAPS.find((g) => g.type === type && !g.dependentOfStandIn && (!g.case || g.case.applies(resource)) && (!g.select || (!!key && !!selected?.get(g)?.has(key))));
}

/** Runs every row's cross-stack `select` over all the stacks to be applied. */
export function selectCrossStackGaps(stacks: Readonly<Record<string, Json>>): Map<EmulatorGap, ReadonlySet<string>> {
  const out = new Map<EmulatorGap, ReadonlySet<string>>();
  for (const g of EMULATOR_GAPS) {
    if (!g.select) continue;
    const all = Object.entries(stacks).flatMap(([stack, json]) => Object.entries((json.resource?.[g.type] ?? {}) as Record<string, Json>).map(([name, resource]) => ({ stack, name, resource })));
    out.set(g, g.select(all, stacks));
  }
  return out;
}

/** The stand-in's name for a resource: `terraform_data.<standin_prefix><type>__<name>`. */
export const STANDIN_PREFIX = "standin__";

export interface StandIn {
  readonly address: string;
  readonly gap: EmulatorGap;
}

/**
 * Replaces, in a stack's JSON (a scratch copy), every resource a gap row covers with a
 * `terraform_data` stand-in, and rewrites references to it. Returns the stacks's stand-ins.
 */
export function standInGaps(
  json: Json,
  ctx: { account: string; region: string; stack?: string; selected?: ReadonlyMap<EmulatorGap, ReadonlySet<string>> },
): { json: Json; standIns: StandIn[] } {
  const standIns: StandIn[] = [];
  let current = json;
  // First the rows that match on their own; then, until nothing changes, the resources that refer to a stand-in.
  for (let round = 0; round < 10; round++) {
    const renames: [string, string][] = [];
    const resources = (current.resource ?? {}) as Record<string, Record<string, Json>>;
    const data: Record<string, Json> = {};
    for (const [type, byName] of Object.entries(resources)) {
      for (const [name, res] of Object.entries(byName)) {
        const gap =
          round === 0
            ? gapFor(type, res, `${ctx.stack} ${type}.${name}`, ctx.selected)
            : EMULATOR_GAPS.find((g) => g.dependentOfStandIn && g.type === type && JSON.stringify(res).includes(`terraform_data.${STANDIN_PREFIX}`));
        if (!gap) continue;
        const standin = `${STANDIN_PREFIX}${type}__${name}`;
        data[standin] = { input: gap.values(name, res, ctx), ...(res.depends_on ? { depends_on: res.depends_on } : {}) };
        delete byName[name];
        renames.push([`${type}.${name}`, `terraform_data.${standin}`]);
        standIns.push({ address: `${type}.${name}`, gap });
      }
      if (!Object.keys(byName).length) delete resources[type];
    }
    if (!renames.length) {
      if (round > 0) break;
      continue;
    }
    resources.terraform_data = { ...(resources.terraform_data ?? {}), ...data };
    current.resource = resources;
    let text = JSON.stringify(current);
    for (const [from, to] of renames) {
      const esc = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      // depends_on entries name the resource itself; expressions read its attributes via `.output`.
      text = text.replace(new RegExp(`"${esc}"`, "g"), `"${to}"`);
      text = text.replace(new RegExp(`\\b${esc}\\.`, "g"), `${to}.output.`);
    }
    current = JSON.parse(text) as Json;
  }
  return { json: current, standIns };
}

/** The gap table as Markdown (docs/apply-check.md and the check's summary). */
export function gapTableMarkdown(counts?: ReadonlyMap<EmulatorGap, number>): string {
  const rows = EMULATOR_GAPS.map(
    (g) => `| \`${g.type}\`${g.case ? ` (${g.case.description})` : ""} | ${g.error} | ${g.evidence} |${counts ? ` ${counts.get(g) ?? 0} |` : ""}`,
  );
  return [`| resource (case) | moto's answer | why it is moto's gap |${counts ? " stood in |" : ""}`, `|---|---|---|${counts ? "---:|" : ""}`, ...rows].join("\n");
}

/** An EKS managed node group's Auto Scaling group: moto names one but never creates it. */
function eksNodeGroupAsgGaps(): EmulatorGap[] {
  const applies = (r: Json) => /aws_eks_node_group\./.test(String(r.autoscaling_group_name));
  const evidence =
    "AWS EKS API reference, Nodegroup.resources.autoScalingGroups: the Auto Scaling groups EKS creates for a managed node group (they exist in Auto Scaling); " +
    'moto 5.2.1 moto/eks/models.py ManagedNodegroup.__init__ returns `"autoScalingGroups": [{"name": "eks-" + self.uuid}]`, a name only: no group exists in moto\'s Auto Scaling backend.';
  return [
    {
      type: "aws_autoscaling_attachment",
      case: { description: "to an EKS managed node group's Auto Scaling group", applies },
      error: "AttachLoadBalancerTargetGroups: 500 (moto fails on the unknown group)",
      evidence,
      values: (name, r) => ({ id: `${slug(name)}-mock`, autoscaling_group_name: r.autoscaling_group_name }),
    },
    {
      type: "aws_autoscaling_schedule",
      case: { description: "on an EKS managed node group's Auto Scaling group", applies },
      error: "PutScheduledUpdateGroupAction: ValidationError (no such Auto Scaling group)",
      evidence,
      values: (name, r, { account, region }) => ({
        arn: `arn:aws:autoscaling:${region}:${account}:scheduledUpdateGroupAction:mock-${slug(name)}:autoScalingGroupName/eks:scheduledActionName/${r.scheduled_action_name}`,
        id: r.scheduled_action_name,
      }),
    },
  ];
}
