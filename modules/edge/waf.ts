import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { metricAlarm } from "../observability/alarm-set";
import { wafRateRuleAlarm } from "../observability/alarms";
import { MetricDescription, wafMetric } from "../observability/metrics";
import { DEFAULT_THRESHOLDS } from "../observability/thresholds";
import { COUNTRY_CODES } from "./countries";
import { wafRateLimitProblem, wafRateWindowProblem } from "./limits";

/** The header CloudFront appends the viewer's address to; the regional ACL reads client IPs from it. */
export const FORWARDED_FOR = "X-Forwarded-For";

/** Rule names and their fixed priorities: adding an optional rule never renumbers the others. */
export const WAF_RULES = {
  blockList: { name: "block-list", priority: 0 },
  watchList: { name: "watch-list", priority: 1 },
  geoMatch: { name: "geo-match", priority: 2 },
  rateLimit: { name: "rate-limit", priority: 3 },
  bodySize: { name: "body-size-limit", priority: 4 },
  ipReputation: { name: "aws-ip-reputation", priority: 10 },
  common: { name: "aws-common", priority: 20 },
  knownBadInputs: { name: "aws-known-bad-inputs", priority: 30 },
  sqli: { name: "aws-sqli", priority: 40 },
} as const;

/** AWS managed rule groups of the profile, by rule key. */
const MANAGED_GROUPS = {
  ipReputation: "AWSManagedRulesAmazonIpReputationList",
  common: "AWSManagedRulesCommonRuleSet",
  knownBadInputs: "AWSManagedRulesKnownBadInputsRuleSet",
  sqli: "AWSManagedRulesSQLiRuleSet",
} as const;

export interface WebAclProfile {
  /** At most `limit` requests per client IP per `windowSeconds` (60, 120, 300 or 600). */
  readonly rateLimit: { readonly limit: number; readonly windowSeconds: number; readonly action: "block" | "count" };
  /** IPv4 CIDRs that are blocked. */
  readonly blockList: readonly string[];
  /** IPv4 CIDRs whose requests are counted. */
  readonly watchList: readonly string[];
  /** Requests whose body is larger are blocked. */
  readonly maxBodyBytes: number;
  /** Block or count requests from these countries. @default no geo rule */
  readonly geoMatch?: { readonly action: "block" | "count"; readonly countries: readonly string[] };
}

export interface WebAclProps {
  /** `REGIONAL` (an ALB; must use the stack's regional provider) or `CLOUDFRONT` (must use a us-east-1 provider). */
  readonly scope: "REGIONAL" | "CLOUDFRONT";
  /** Physical name of the ACL, its IP sets (`-block-list`, `-watch-list`) and its metrics. */
  readonly name: string;
  readonly profile: WebAclProfile;
  /**
   * Read client addresses from X-Forwarded-For instead of the connection (an ACL behind
   * CloudFront sees CloudFront's addresses). @default true for REGIONAL, false for CLOUDFRONT
   */
  readonly clientIpFromForwardedFor?: boolean;
  /** Days to keep the WAF log group. */
  readonly logRetentionDays: number;
  /** KMS key of the log group (must be usable by CloudWatch Logs in the ACL's region). @default CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
  /** Region of a REGIONAL ACL (the `Region` dimension of its metrics). Required for REGIONAL. */
  readonly region?: string;
  /** SNS topic (in the ACL's region) the rate-rule alarm notifies. @default the alarm only shows in the console */
  readonly alarmTopicArn?: string;
  /**
   * The rate-rule alarm fires above this many requests blocked (or counted, for a count rule) in
   * one minute (`observability.thresholds.wafRateRuleRequests`). @default 100
   */
  readonly rateAlarmThreshold?: number;
  /** Provider of the ACL's region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

type Statement = Record<string, unknown>;

/**
 * A regex matching any decimal integer greater than `n` (used on Content-Length, whose value WAF
 * can only compare as text). Leading zeros are allowed.
 */
export function greaterThanRegex(n: number): string {
  const d = String(n);
  const alternatives = [`[1-9]\\d{${d.length},}`];
  for (let i = 0; i < d.length; i++) {
    const digit = Number(d[i]);
    if (digit === 9) continue;
    const rest = d.length - i - 1;
    alternatives.push(`${d.slice(0, i)}[${digit + 1}-9]${rest ? `\\d{${rest}}` : ""}`);
  }
  return `^0*(${alternatives.join("|")})$`;
}

/** CloudWatch metrics and sampled requests for a rule or the ACL. */
const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/** Validates WebAcl props up front, one rule per throw. */
function validateWebAclProps(props: WebAclProps): void {
  const p = props.profile;
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(props.name)) throw new Error(`WebAcl: name must be 1-100 letters, digits, - and _, got ${JSON.stringify(props.name)}`);
  const limitProblem = wafRateLimitProblem(p.rateLimit.limit);
  if (limitProblem) throw new Error(`WebAcl: profile.rateLimit.limit ${limitProblem}, got ${p.rateLimit.limit}`);
  const windowProblem = wafRateWindowProblem(p.rateLimit.windowSeconds);
  if (windowProblem) throw new Error(`WebAcl: profile.rateLimit.windowSeconds ${windowProblem}, got ${p.rateLimit.windowSeconds}`);
  if (!Number.isInteger(p.maxBodyBytes) || p.maxBodyBytes < 1) throw new Error(`WebAcl: profile.maxBodyBytes must be a whole number >= 1, got ${p.maxBodyBytes}`);
  const badCountry = p.geoMatch?.countries.find((c) => !COUNTRY_CODES.has(c));
  if (badCountry !== undefined) throw new Error(`WebAcl: profile.geoMatch.countries must be ISO 3166-1 alpha-2 codes, got ${JSON.stringify(badCountry)}`);
  if (props.rateAlarmThreshold !== undefined && !(props.rateAlarmThreshold > 0)) throw new Error(`WebAcl: rateAlarmThreshold must be a number above 0, got ${props.rateAlarmThreshold}`);
  if (props.scope === "REGIONAL" && !props.region) throw new Error("WebAcl: region is required for a REGIONAL ACL (its metrics' Region dimension)");
}

/**
 * The ACL's rules, by their fixed priorities: the block and watch lists (IP sets by ARN), the
 * optional geo match, the rate limit, the body size limit, then the AWS managed rule groups.
 * `forwarded`: client addresses come from X-Forwarded-For (the regional ACL behind CloudFront).
 */
function webAclRules(props: WebAclProps, forwarded: boolean, ipSets: { readonly blockList: string; readonly watchList: string }): Record<string, unknown>[] {
  const p = props.profile;
  const metric = (rule: string) => `${props.name}-${rule}`;
  // Behind CloudFront the viewer is the LAST address CloudFront appended; a request without the header does not match.
  const ipRef = (arn: string): Statement => ({
    ip_set_reference_statement: forwarded ? { arn, ip_set_forwarded_ip_config: { header_name: FORWARDED_FOR, fallback_behavior: "NO_MATCH", position: "LAST" } } : { arn },
  });
  const noTransform = [{ priority: 0, type: "NONE" }];

  const rules: Record<string, unknown>[] = [];
  const rule = (key: keyof typeof WAF_RULES, action: "block" | "count", statement: Statement) =>
    rules.push({ name: WAF_RULES[key].name, priority: WAF_RULES[key].priority, action: { [action]: {} }, statement, visibilityConfig: visibility(metric(WAF_RULES[key].name)) });
  const managed = (key: keyof typeof MANAGED_GROUPS, overrides: Statement[] = []) =>
    rules.push({
      name: WAF_RULES[key].name,
      priority: WAF_RULES[key].priority,
      overrideAction: { none: {} },
      statement: { managed_rule_group_statement: { vendor_name: "AWS", name: MANAGED_GROUPS[key], ...(overrides.length ? { rule_action_override: overrides } : {}) } },
      visibilityConfig: visibility(metric(WAF_RULES[key].name)),
    });

  rule("blockList", "block", ipRef(ipSets.blockList));
  rule("watchList", "count", ipRef(ipSets.watchList));
  if (p.geoMatch) {
    rule("geoMatch", p.geoMatch.action, {
      geo_match_statement: { country_codes: [...p.geoMatch.countries], ...(forwarded ? { forwarded_ip_config: { header_name: FORWARDED_FOR, fallback_behavior: "NO_MATCH" } } : {}) },
    });
  }
  rule("rateLimit", p.rateLimit.action, {
    rate_based_statement: {
      limit: p.rateLimit.limit,
      evaluation_window_sec: p.rateLimit.windowSeconds,
      aggregate_key_type: forwarded ? "FORWARDED_IP" : "IP",
      ...(forwarded ? { forwarded_ip_config: { header_name: FORWARDED_FOR, fallback_behavior: "MATCH" } } : {}),
    },
  });
  rule("bodySize", "block", {
    or_statement: {
      statement: [
        { size_constraint_statement: { comparison_operator: "GT", size: p.maxBodyBytes, field_to_match: { body: { oversize_handling: "CONTINUE" } }, text_transformation: noTransform } },
        { regex_match_statement: { regex_string: greaterThanRegex(p.maxBodyBytes), field_to_match: { single_header: { name: "content-length" } }, text_transformation: noTransform } },
      ],
    },
  });
  managed("ipReputation");
  // The body limit is ours (body-size-limit); the group's fixed 8 KB body rule only counts.
  managed("common", [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }]);
  managed("knownBadInputs");
  managed("sqli");
  return rules;
}

/**
 * One WAF profile, rendered for one scope: the black list (block) and watch list (count) IP sets,
 * optional geo match, a rate-based rule with an alarm on its matches, a body size rule, and the
 * AWS managed IP reputation, Common, Known bad inputs and SQL database rule groups. Every rule has
 * CloudWatch metrics and sampled requests; logs go to an `aws-waf-logs-` log group with the
 * Authorization and Cookie headers redacted.
 *
 * Body size: WAF inspects only the first 8 KB (ALB) / 16 KB (CloudFront, by default) of a body.
 * A `size_constraint_statement` on the body with a limit above that window can never see the
 * limit exceeded when `oversize_handling` is CONTINUE, and blocks every body larger than the
 * window (not the limit) when it is MATCH. So the rule matches (a) a body over the limit while it
 * fits the window (oversize_handling CONTINUE: larger bodies are not judged by this statement) or
 * (b) a Content-Length header over the limit, which WAF reads whatever the body size. The managed
 * Common rule set's own 8 KB body rule (`SizeRestrictions_BODY`) is set to count, so the limit
 * from config is the one that applies.
 */
export class WebAcl extends Construct {
  public readonly webAclArn: string;
  public readonly webAclId: string;
  public readonly webAclName: string;
  /** Metric name (CloudWatch `Rule` dimension) of the rate-based rule. */
  public readonly rateRuleMetricName: string;
  /** What the rate-based rule's alarm watches: its `BlockedRequests` (block rule) or `CountedRequests` (count rule). */
  public readonly rateRuleMetric: MetricDescription;
  /** Name of the `aws-waf-logs-` log group. */
  public readonly logGroupName: string;
  public readonly rateAlarmName: string;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    validateWebAclProps(props);
    const p = props.profile;

    const provider = props.provider;
    const forwarded = props.clientIpFromForwardedFor ?? props.scope === "REGIONAL";

    const ipSet = (key: string, addresses: readonly string[], what: string) =>
      new Wafv2IpSet(this, key, {
        provider,
        name: `${props.name}-${key}`,
        description: what,
        scope: props.scope,
        ipAddressVersion: "IPV4",
        addresses: [...addresses],
      });
    const blockList = ipSet("block-list", p.blockList, "Client addresses that are blocked (edge.waf.blockList)");
    const watchList = ipSet("watch-list", p.watchList, "Client addresses whose requests are counted (edge.waf.watchList)");
    const rules = webAclRules(props, forwarded, { blockList: blockList.arn, watchList: watchList.arn });

    const acl = new Wafv2WebAcl(this, "acl", {
      provider,
      name: props.name,
      description: `${props.scope === "CLOUDFRONT" ? "CloudFront" : "Load balancer"} web ACL (managed rules, rate limit, IP lists, body size)`,
      scope: props.scope,
      defaultAction: { allow: {} },
      rule: rules as never,
      visibilityConfig: visibility(props.name),
    });

    const logGroup = new CloudwatchLogGroup(this, "logs", {
      provider,
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      provider,
      resourceArn: acl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    });

    this.rateRuleMetricName = `${props.name}-${WAF_RULES.rateLimit.name}`;
    const metricSource = { webAclName: props.name, region: props.scope === "REGIONAL" ? props.region : undefined };
    this.rateRuleMetric = wafMetric(metricSource, this.rateRuleMetricName, p.rateLimit.action === "block" ? "BlockedRequests" : "CountedRequests");
    // "Let me know": more matches in a minute than the threshold means clients went over the limit.
    metricAlarm(
      this,
      "rate-alarm",
      { namePrefix: props.name, topicArn: props.alarmTopicArn, provider },
      wafRateRuleAlarm({
        ruleName: WAF_RULES.rateLimit.name,
        webAclName: props.name,
        metric: this.rateRuleMetric,
        limit: p.rateLimit.limit,
        windowSeconds: p.rateLimit.windowSeconds,
        threshold: props.rateAlarmThreshold ?? DEFAULT_THRESHOLDS.wafRateRuleRequests,
      }),
    );
    this.rateAlarmName = `${props.name}-${WAF_RULES.rateLimit.name}`;

    this.webAclArn = acl.arn;
    this.webAclId = acl.id;
    this.webAclName = props.name;
    this.logGroupName = logGroup.name;
  }
}
