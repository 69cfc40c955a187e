import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { EnvironmentInput } from "../environments/schema";
import { GlobalConfig, globalSchema } from "../environments/global-schema";
import { GlobalStack } from "../stacks/global-stack";
import { NetworkStack } from "../stacks/network-stack";
import { EdgeStack } from "../stacks/edge-stack";
import { EMPTY_RECORD, RouteRequest } from "../modules/edge/listener-rules";
import { greaterThanRegex } from "../modules/edge/waf";
import { DEFAULT_THRESHOLDS } from "../modules/observability/thresholds";
import { buildApp } from "../app/app";
import { Json, envInput, ofType, dataOfType, FIXTURE_GLOBAL_INPUT as globalInput, sources, tmpDir, validated } from "./helpers";
import { ConfigError, validateConfig } from "../environments/load";

const GLOBAL: GlobalConfig = globalSchema.parse(globalInput);

interface Synth {
  edge: EdgeStack;
  json: Json;
  network: Json;
  global: Json;
  /** Every synthesized stack's text. */
  texts: string[];
}

function synthEdge(input: Partial<EnvironmentInput> = {}, routes: RouteRequest[] = [], globalConfig: GlobalConfig = GLOBAL): Synth {
  const [env] = validated(envInput(input));
  const outdir = tmpDir("edge");
  const app = new App({ outdir, stackTraces: false });
  const global = new GlobalStack(app, globalConfig);
  const network = new NetworkStack(app, env);
  const edge = new EdgeStack(app, env, { network, global, routes, allocationRecord: EMPTY_RECORD });
  app.synth();
  const read = (s: string) => fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8");
  const texts = ["global", `${env.name}-network`, `${env.name}-edge`].map(read);
  return { edge, json: JSON.parse(texts[2]) as Json, network: JSON.parse(texts[1]) as Json, global: JSON.parse(texts[0]) as Json, texts };
}

const named = (stack: Json, type: string, part: string): Json => {
  const hits = Object.entries((stack.resource?.[type] ?? {}) as Record<string, Json>).filter(([k]) => k.includes(part));
  if (hits.length !== 1) throw new Error(`expected one ${type} named like ${part}, found ${hits.map(([k]) => k).join(", ") || "none"}`);
  return hits[0][1];
};
const ref = (stack: Json, type: string, part: string, attr: string) => {
  const name = Object.keys(stack.resource[type] as Json).find((k) => k.includes(part))!;
  return `\${${type}.${name}.${attr}}`;
};

describe("the edge stack (dev defaults)", () => {
  const s = synthEdge();
  const dist = ofType(s.json, "aws_cloudfront_distribution")[0];
  const acls = ofType(s.json, "aws_wafv2_web_acl");
  const regional = acls.find((a) => a.scope === "REGIONAL")!;
  const cloudfront = acls.find((a) => a.scope === "CLOUDFRONT")!;

  test("viewer path is HTTPS only: redirect to HTTPS, TLSv1.2_2021 with SNI, HTTPS-only TLS 1.2 origin, HTTP/2 and HTTP/3", () => {
    const behaviors = [dist.default_cache_behavior, ...dist.ordered_cache_behavior];
    expect(behaviors.length).toBe(3); // default + /static/* + /assets/*
    for (const b of behaviors) expect(b.viewer_protocol_policy).toBe("redirect-to-https");
    expect(dist.viewer_certificate).toEqual({ acm_certificate_arn: expect.stringMatching(/^\$\{aws_acm_certificate_validation\.cdn-cert_validation_.*\.certificate_arn\}$/), ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
    expect(dist.http_version).toBe("http2and3");
    expect(dist.aliases).toEqual(["app.test.harbor.example.com"]);
    expect(dist.origin).toHaveLength(1);
    expect(dist.origin[0]).toMatchObject({
      origin_id: "alb-443",
      domain_name: "origin.test.harbor.example.com",
      custom_origin_config: { https_port: 443, origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] },
    });
    const listeners = ofType(s.json, "aws_lb_listener");
    const http = listeners.find((l) => l.port === 80)!;
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
    const https = listeners.find((l) => l.port === 443)!;
    expect(https).toMatchObject({ protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    expect(https.default_action).toEqual([{ type: "fixed-response", fixed_response: { content_type: "text/plain", status_code: "404", message_body: "Not found" } }]);
  });

  test("CloudFront: managed policies (no caching by default, CachingOptimized on static paths), security headers, compression, logging, WAF", () => {
    expect(dist.default_cache_behavior).toMatchObject({
      cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      origin_request_policy_id: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
      response_headers_policy_id: "67f7725c-6f97-4210-82d7-5512b31e9d03",
      compress: true,
    });
    expect(dist.ordered_cache_behavior.map((b: Json) => [b.path_pattern, b.cache_policy_id])).toEqual([
      ["/static/*", "658327ea-f89d-4fab-a63d-7e88639e58f6"],
      ["/assets/*", "658327ea-f89d-4fab-a63d-7e88639e58f6"],
    ]);
    expect(dist.logging_config).toEqual({ bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.cdn_logs_bucket_.*\.bucket\}\.s3\.amazonaws\.com$/), prefix: "cloudfront/", include_cookies: false });
    expect(dist.restrictions).toEqual({ geo_restriction: { restriction_type: "none", locations: [] } });
    expect(dist.price_class).toBe("PriceClass_100");
    expect(dist.web_acl_id).toBe(ref(s.json, "aws_wafv2_web_acl", "waf-cloudfront", "arn"));
  });

  test("both web ACLs carry every rule of the profile, with unique priorities, actions and metrics", () => {
    const expected = [
      ["block-list", 0, { block: {} }],
      ["watch-list", 1, { count: {} }],
      ["rate-limit", 3, { block: {} }],
      ["body-size-limit", 4, { block: {} }],
      ["aws-ip-reputation", 10, undefined],
      ["aws-common", 20, undefined],
      ["aws-known-bad-inputs", 30, undefined],
      ["aws-sqli", 40, undefined],
    ];
    for (const acl of [regional, cloudfront]) {
      expect(acl.default_action).toEqual({ allow: {} });
      expect(acl.rule.map((r: Json) => [r.name, r.priority, r.action])).toEqual(expected);
      expect(new Set(acl.rule.map((r: Json) => r.priority)).size).toBe(acl.rule.length);
      for (const r of acl.rule) {
        expect(r.visibility_config).toEqual({ cloudwatch_metrics_enabled: true, metric_name: `${acl.name}-${r.name}`, sampled_requests_enabled: true });
        if (r.name.startsWith("aws-")) expect(r.override_action).toEqual({ none: {} });
      }
      const groups = acl.rule.filter((r: Json) => r.statement.managed_rule_group_statement).map((r: Json) => r.statement.managed_rule_group_statement);
      expect(groups.map((g: Json) => [g.vendor_name, g.name])).toEqual([
        ["AWS", "AWSManagedRulesAmazonIpReputationList"],
        ["AWS", "AWSManagedRulesCommonRuleSet"],
        ["AWS", "AWSManagedRulesKnownBadInputsRuleSet"],
        ["AWS", "AWSManagedRulesSQLiRuleSet"],
      ]);
      // The configured body limit applies, not the Common rule set's 8 KB one.
      expect(groups[1].rule_action_override).toEqual([{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }]);
    }
    expect(regional.name).toBe("harbor-test-alb");
    expect(cloudfront.name).toBe("harbor-test-cdn");
    expect(cloudfront.provider).toBe("aws.us_east_1");
    expect(regional.provider).toBeUndefined();
  });

  test("rule statements are Terraform snake_case: rate (600 per 60 s), body size with deliberate oversize handling, IP sets", () => {
    const rule = (acl: Json, name: string) => acl.rule.find((r: Json) => r.name === name).statement;
    // At the edge, CloudFront sees the viewer: aggregate on the connection's IP.
    expect(rule(cloudfront, "rate-limit")).toEqual({ rate_based_statement: { limit: 600, evaluation_window_sec: 60, aggregate_key_type: "IP" } });
    // Behind CloudFront, the ALB's ACL reads the client from X-Forwarded-For.
    expect(rule(regional, "rate-limit")).toEqual({
      rate_based_statement: { limit: 600, evaluation_window_sec: 60, aggregate_key_type: "FORWARDED_IP", forwarded_ip_config: { header_name: "X-Forwarded-For", fallback_behavior: "MATCH" } },
    });
    expect(rule(regional, "block-list")).toEqual({
      ip_set_reference_statement: { arn: ref(s.json, "aws_wafv2_ip_set", "waf-regional_block-list", "arn"), ip_set_forwarded_ip_config: { header_name: "X-Forwarded-For", fallback_behavior: "NO_MATCH", position: "LAST" } },
    });
    expect(rule(cloudfront, "watch-list")).toEqual({ ip_set_reference_statement: { arn: ref(s.json, "aws_wafv2_ip_set", "waf-cloudfront_watch-list", "arn") } });
    const body = rule(regional, "body-size-limit").or_statement.statement;
    expect(body[0]).toEqual({
      size_constraint_statement: { comparison_operator: "GT", size: 1048576, field_to_match: { body: { oversize_handling: "CONTINUE" } }, text_transformation: [{ priority: 0, type: "NONE" }] },
    });
    expect(body[1].regex_match_statement).toMatchObject({ field_to_match: { single_header: { name: "content-length" } }, regex_string: greaterThanRegex(1048576) });
    // No camelCase key anywhere in a statement.
    const keys = (v: unknown): string[] => (v && typeof v === "object" ? Object.entries(v as Json).flatMap(([k, x]) => [k, ...keys(x)]) : []);
    for (const acl of [regional, cloudfront]) for (const r of acl.rule) for (const k of keys(r.statement)) expect(k).toMatch(/^[a-z0-9_]+$/);
  });

  test("the Content-Length regex matches exactly the values above the limit", () => {
    const re = new RegExp(greaterThanRegex(1048576));
    for (const v of ["1048577", "1048580", "1049000", "1100000", "2000000", "9999999", "10000000", "01048577"]) expect(re.test(v)).toBe(true);
    for (const v of ["0", "1", "1048576", "1048575", "999999", "1040000", "01048576", ""]) expect(re.test(v)).toBe(false);
    const small = new RegExp(greaterThanRegex(99));
    expect([98, 99, 100, 150, 1000].map((n) => small.test(String(n)))).toEqual([false, false, true, true, true]);
  });

  test("ACL associations: regional ACL on the ALB, CloudFront ACL on the distribution; logs to aws-waf-logs- with Authorization and Cookie redacted", () => {
    expect(ofType(s.json, "aws_wafv2_web_acl_association")).toEqual([
      expect.objectContaining({ resource_arn: ref(s.json, "aws_lb", "alb", "arn"), web_acl_arn: ref(s.json, "aws_wafv2_web_acl", "waf-regional", "arn") }),
    ]);
    const groups = ofType(s.json, "aws_cloudwatch_log_group");
    expect(groups.map((g) => g.name).sort()).toEqual(["aws-waf-logs-harbor-test-alb", "aws-waf-logs-harbor-test-cdn"]);
    const logging = ofType(s.json, "aws_wafv2_web_acl_logging_configuration");
    expect(logging).toHaveLength(2);
    for (const l of logging) expect(l.redacted_fields).toEqual([{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }]);
  });

  test("rate-rule alarms: one per ACL, on the rule's blocked requests per minute above the default threshold, notifying the environment's alarm topic", () => {
    const alarms = ofType(s.json, "aws_cloudwatch_metric_alarm");
    const regionalAlarm = alarms.find((a) => a.alarm_name === "harbor-test-alb-rate-limit")!;
    expect(regionalAlarm).toMatchObject({
      namespace: "AWS/WAFV2",
      metric_name: "BlockedRequests",
      dimensions: { WebACL: "harbor-test-alb", Rule: s.edge.regionalAcl.rateRuleMetricName, Region: "us-east-1" },
      threshold: DEFAULT_THRESHOLDS.wafRateRuleRequests,
      comparison_operator: "GreaterThanThreshold",
      period: 60,
    });
    expect(alarms.filter((a) => a.dimensions?.Rule === s.edge.regionalAcl.rateRuleMetricName)).toHaveLength(1);
    expect(s.edge.regionalAcl.rateRuleMetricName).toBe("harbor-test-alb-rate-limit");
    expect(regionalAlarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-test-network\.outputs\./)]);
    const cfAlarm = alarms.find((a) => a.alarm_name === "harbor-test-cdn-rate-limit")!;
    expect(cfAlarm.provider).toBe("aws.us_east_1");
    expect(cfAlarm.dimensions).toEqual({ WebACL: "harbor-test-cdn", Rule: "harbor-test-cdn-rate-limit" });
  });

  test("certificates: the ALB's in the environment's region, CloudFront's in us-east-1, each validated through DNS records in the zone", () => {
    const certs = ofType(s.json, "aws_acm_certificate");
    const albCert = named(s.json, "aws_acm_certificate", "alb-cert");
    const cdnCert = named(s.json, "aws_acm_certificate", "cdn-cert");
    expect(certs).toHaveLength(2);
    expect(albCert).toMatchObject({ domain_name: "origin.test.harbor.example.com", validation_method: "DNS" });
    expect(albCert.provider).toBeUndefined();
    expect(cdnCert).toMatchObject({ domain_name: "app.test.harbor.example.com", validation_method: "DNS", provider: "aws.us_east_1" });
    expect(s.json.provider.aws).toEqual([expect.objectContaining({ region: "us-east-1" }), expect.objectContaining({ alias: "us_east_1", region: "us-east-1" })]);
    const validations = ofType(s.json, "aws_acm_certificate_validation");
    expect(validations.map((v) => v.provider ?? "default").sort()).toEqual(["aws.us_east_1", "default"]);
    const record = named(s.json, "aws_route53_record", "validation-app-test-harbor-example-com");
    expect(record.name).toContain('["app.test.harbor.example.com"].resource_record_name');
    expect(record.zone_id).toMatch(/cross-stack-reference-input-global\.outputs\./);
  });

  test("Route 53: alias A and AAAA records to CloudFront's zone Z2FDTNDATAQYW2, the origin alias to the ALB, a health check on the public endpoint", () => {
    const records = ofType(s.json, "aws_route53_record").filter((r) => r.alias);
    const viewer = records.filter((r) => r.name === "app.test.harbor.example.com");
    expect(viewer.map((r) => r.type).sort()).toEqual(["A", "AAAA"]);
    for (const r of viewer) expect(r.alias).toEqual({ name: ref(s.json, "aws_cloudfront_distribution", "cdn", "domain_name"), zone_id: "Z2FDTNDATAQYW2", evaluate_target_health: false });
    const origin = records.find((r) => r.name === "origin.test.harbor.example.com")!;
    expect(origin.alias).toEqual({ name: ref(s.json, "aws_lb", "alb", "dns_name"), zone_id: ref(s.json, "aws_lb", "alb", "zone_id"), evaluate_target_health: false });
    expect(ofType(s.json, "aws_route53_health_check")).toEqual([
      expect.objectContaining({ type: "HTTPS", fqdn: ref(s.json, "aws_cloudfront_distribution", "cdn", "domain_name"), port: 443, resource_path: "/_edge/health", enable_sni: true }),
    ]);
  });

  test("ALB: public subnets, the alb security group (CloudFront prefix list only, never the world), hardened, logged, not deletion-protected outside production", () => {
    const lb = ofType(s.json, "aws_lb")[0];
    expect(lb).toMatchObject({ name: "harbor-test-alb", internal: false, load_balancer_type: "application", drop_invalid_header_fields: true, desync_mitigation_mode: "defensive", enable_deletion_protection: false });
    expect(lb.subnets).toHaveLength(3);
    expect(lb.security_groups).toEqual([expect.stringMatching(/cross-stack-reference-input-test-network\.outputs\..*aws_security_groupsg_alb/)]);
    expect(lb.access_logs).toEqual({ bucket: ref(s.json, "aws_s3_bucket", "alb_logs", "bucket"), prefix: "alb", enabled: true });
    // The alb group's ingress (network stack) and anything the edge adds: prefix list only.
    const albIngress = ofType(s.network, "aws_vpc_security_group_ingress_rule").filter((r) => /sg_alb_/.test(String(r.security_group_id)));
    expect(albIngress.map((r) => r.from_port).sort()).toEqual([443, 80]);
    for (const r of [...albIngress, ...ofType(s.json, "aws_vpc_security_group_ingress_rule")]) {
      expect(r.cidr_ipv4).toBeUndefined();
      expect(r.cidr_ipv6).toBeUndefined();
      expect(r.prefix_list_id).toBeDefined();
    }
  });

  test("log buckets are locked down: SSE, public access blocked, TLS-only, expiring; only the ELB log delivery account may write ALB logs", () => {
    const buckets = ofType(s.json, "aws_s3_bucket");
    expect(buckets).toHaveLength(2);
    for (const pab of ofType(s.json, "aws_s3_bucket_public_access_block")) {
      expect(pab).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
    for (const enc of ofType(s.json, "aws_s3_bucket_server_side_encryption_configuration")) {
      expect(enc.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    }
    for (const lc of ofType(s.json, "aws_s3_bucket_lifecycle_configuration")) expect(lc.rule[0].expiration).toEqual([{ days: 90 }]);
    const policies = ofType(s.json, "aws_s3_bucket_policy").map((p) => JSON.parse(p.policy as string) as Json);
    for (const p of policies) expect(p.Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    const alb = policies.find((p) => p.Statement.length === 2)!;
    expect(alb.Statement[1]).toEqual({
      Sid: "ElbLogDelivery",
      Effect: "Allow",
      Principal: { AWS: `\${data.aws_elb_service_account.${Object.keys(s.json.data.aws_elb_service_account)[0]}.arn}` },
      Action: "s3:PutObject",
      Resource: expect.stringMatching(/\/alb\/AWSLogs\/\$\{data\.terraform_remote_state\.cross-stack-reference-input-test-network\.outputs\..*\}\/\*$/),
    });
    expect(policies.filter((p) => p.Statement.some((st: Json) => st.Effect === "Allow"))).toHaveLength(1);
    expect(ofType(s.json, "aws_s3_bucket_ownership_controls").map((o) => o.rule.object_ownership).sort()).toEqual(["BucketOwnerEnforced", "BucketOwnerPreferred"]);
  });

  test("origin verify: CloudFront sends the header, the ALB's rule requires it, the value is always a reference to the generated secret", () => {
    const version = ofType(s.json, "aws_secretsmanager_secret_version")[0];
    expect(version.secret_string).toBe(`\${data.aws_secretsmanager_random_password.${Object.keys(s.json.data.aws_secretsmanager_random_password)[0]}.random_password}`);
    expect(version.lifecycle).toEqual({ ignore_changes: ["secret_string"] });
    expect(dataOfType(s.json, "aws_secretsmanager_random_password")[0]).toMatchObject({ password_length: 48, exclude_punctuation: true });
    const value = ref(s.json, "aws_secretsmanager_secret_version", "origin-verify", "secret_string");
    expect(dist.origin[0].custom_header).toEqual([{ name: "X-Origin-Verify", value }]);
    const health = ofType(s.json, "aws_lb_listener_rule")[0];
    expect(health.priority).toBe(50000);
    expect(health.condition).toEqual([{ path_pattern: { values: ["/_edge/health"] } }, { http_header: { http_header_name: "X-Origin-Verify", values: [value] } }]);
    expect(s.edge.originVerify.headerName).toBe("X-Origin-Verify");
  });

  test("no secret literal in any synthesized stack: every secret string and origin header value is a reference", () => {
    const out = synthAllRepo();
    for (const [stack, text] of out) {
      const json = JSON.parse(text) as Json;
      for (const v of ofType(json, "aws_secretsmanager_secret_version")) expect([stack, v.secret_string]).toEqual([stack, expect.stringMatching(/^\$\{[^}]+\}$/)]);
      for (const d of ofType(json, "aws_cloudfront_distribution")) for (const o of d.origin) for (const h of o.custom_header) expect(h.value).toMatch(/^\$\{[^}]+\}$/);
      for (const r of ofType(json, "aws_lb_listener_rule")) {
        for (const c of r.condition as Json[]) if (c.http_header?.http_header_name === "X-Origin-Verify") expect(c.http_header.values).toEqual([expect.stringMatching(/^\$\{[^}]+\}$/)]);
      }
      // Outputs that carry the secret across stacks are sensitive.
      for (const [name, o] of Object.entries((json.output ?? {}) as Record<string, Json>)) if (/secret_string/.test(String(o.value))) expect([name, o.sensitive]).toEqual([name, true]);
    }
  });
});

function synthAllRepo(): Map<string, string> {
  const [env] = validated(envInput({ name: "prodlike", production: true, vpc: { cidr: "10.60.0.0/16" } }));
  const outdir = tmpDir("edge-all");
  buildApp({ global: GLOBAL, environments: [env] }, outdir).app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Json;
  return new Map(Object.entries(manifest.stacks as Record<string, Json>).map(([name, e]) => [name, fs.readFileSync(path.join(outdir, e.synthesizedStackPath as string), "utf8")]));
}

describe("the edge stack: options", () => {
  test("250 routes at quota 100: three HTTPS listeners (443, 8443, 8444), spill ports open to CloudFront only, one origin per port, spilled paths routed there", () => {
    const routes = Array.from({ length: 250 }, (_, i) => ({ key: `svc-${String(i).padStart(3, "0")}`, pathPatterns: [`/svc-${String(i).padStart(3, "0")}/*`] }));
    const s = synthEdge({ edge: { cdn: { maxCacheBehaviors: 200 } } }, routes);
    expect(s.edge.alb.httpsListeners.map((l) => l.port)).toEqual([443, 8443, 8444]);
    expect(ofType(s.json, "aws_lb_listener").map((l) => l.port).sort()).toEqual([443, 80, 8443, 8444]);
    for (const l of ofType(s.json, "aws_lb_listener").filter((x) => x.port !== 80)) expect(l).toMatchObject({ protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", default_action: [expect.objectContaining({ type: "fixed-response" })] });
    const ingress = ofType(s.json, "aws_vpc_security_group_ingress_rule");
    expect(ingress.map((r) => r.from_port).sort()).toEqual([8443, 8444]);
    for (const r of ingress) expect(r.prefix_list_id).toMatch(/cross-stack-reference-input-test-network/);
    const dist = ofType(s.json, "aws_cloudfront_distribution")[0];
    expect(dist.origin.map((o: Json) => [o.origin_id, o.custom_origin_config.https_port])).toEqual([["alb-443", 443], ["alb-8443", 8443], ["alb-8444", 8444]]);
    // The primary listener holds 99 routes (the edge health rule is the 100th).
    expect(s.edge.allocation.listeners.map((l) => l.routes.length)).toEqual([99, 100, 51]);
    expect(dist.ordered_cache_behavior).toHaveLength(2 + 151);
    const r = s.edge.route("svc-249");
    expect(r).toMatchObject({ listenerArn: s.edge.alb.httpsListeners[2].arn, port: 8444, priority: 250 });
    expect(s.edge.alb.httpsListeners[2].port).toBe(8444);
    expect(dist.ordered_cache_behavior.find((b: Json) => b.path_pattern === "/svc-249/*").target_origin_id).toBe("alb-8444");
    expect(s.edge.route("svc-000")).toMatchObject({ port: 443, priority: 1 });
  });

  test("route() throws a clear error for an unknown key; a route's conditions are its path, viewer host and origin-verify header", () => {
    const s = synthEdge({}, [{ key: "shop", pathPatterns: ["/shop/*"], hosts: ["app.test.harbor.example.com"] }]);
    expect(() => s.edge.route("nope")).toThrow('EdgeStack test-edge: no route "nope": pass it in the edge stack\'s routes (known: shop)');
    expect(s.edge.route("shop").conditions).toEqual([
      { pathPattern: { values: ["/shop/*"] } },
      { httpHeader: { httpHeaderName: "X-Forwarded-Host", values: ["app.test.harbor.example.com"] } },
      { httpHeader: { httpHeaderName: "X-Origin-Verify", values: [s.edge.originVerify.headerValue] } },
    ]);
  });

  test("production: apex host, deletion protection, protected log buckets", () => {
    const s = synthEdge({ name: "prod", production: true, edge: { apex: true } });
    expect(ofType(s.json, "aws_lb")[0].enable_deletion_protection).toBe(true);
    expect(ofType(s.json, "aws_cloudfront_distribution")[0].aliases).toEqual(["app.prod.harbor.example.com", "harbor.example.com"]);
    expect(named(s.json, "aws_acm_certificate", "cdn-cert").subject_alternative_names).toEqual(["harbor.example.com"]);
    for (const b of ofType(s.json, "aws_s3_bucket")) expect(b.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("WAF options: block and watch lists, geo match, count-only rate rule; CloudFront geo restriction and price class", () => {
    const s = synthEdge({
      edge: {
        waf: { rateLimit: { limit: 100, windowSeconds: 120, action: "count" }, blockList: ["192.0.2.0/24"], watchList: ["198.51.100.7/32"], geoMatch: { action: "block", countries: ["KP"] } },
        cdn: { priceClass: "PriceClass_All", geoRestriction: { type: "deny", countries: ["IR"] } },
      },
    });
    const sets = ofType(s.json, "aws_wafv2_ip_set");
    expect(sets.filter((x) => x.name.endsWith("-block-list")).map((x) => x.addresses)).toEqual([["192.0.2.0/24"], ["192.0.2.0/24"]]);
    expect(sets.filter((x) => x.name.endsWith("-watch-list")).map((x) => x.addresses)).toEqual([["198.51.100.7/32"], ["198.51.100.7/32"]]);
    for (const acl of ofType(s.json, "aws_wafv2_web_acl")) {
      const geo = acl.rule.find((r: Json) => r.name === "geo-match");
      expect(geo).toMatchObject({ priority: 2, action: { block: {} } });
      expect(geo.statement.geo_match_statement.country_codes).toEqual(["KP"]);
      expect(acl.rule.find((r: Json) => r.name === "rate-limit")).toMatchObject({ action: { count: {} }, statement: { rate_based_statement: { limit: 100, evaluation_window_sec: 120 } } });
    }
    // The rate-rule alarms follow the rule: count-only rules alarm on counted requests.
    expect(ofType(s.json, "aws_cloudwatch_metric_alarm").filter((a) => /rate-limit$/.test(a.alarm_name)).map((a) => a.metric_name)).toEqual(["CountedRequests", "CountedRequests"]);
    const dist = ofType(s.json, "aws_cloudfront_distribution")[0];
    expect(dist.restrictions.geo_restriction).toEqual({ restriction_type: "blacklist", locations: ["IR"] });
    expect(dist.price_class).toBe("PriceClass_All");
  });

  test("failover routing: primary = the distribution with the health check, secondary = the configured target", () => {
    const s = synthEdge({ edge: { routing: { kind: "failover", secondary: { dnsName: "maintenance.example.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false } } } });
    const viewer = ofType(s.json, "aws_route53_record").filter((r) => r.name === "app.test.harbor.example.com" && r.type === "A");
    const health = ref(s.json, "aws_route53_health_check", "health", "id");
    expect(viewer.map((r) => [r.set_identifier, r.failover_routing_policy, r.health_check_id, r.alias.zone_id, r.alias.name.startsWith("${aws_cloudfront") ? "cdn" : r.alias.name])).toEqual([
      ["primary", { type: "PRIMARY" }, health, "Z2FDTNDATAQYW2", "cdn"],
      ["secondary", { type: "SECONDARY" }, undefined, "Z2FDTNDATAQYW2", "maintenance.example.net"],
    ]);
  });

  test("weighted blue/green routing: weights from config on both A and AAAA", () => {
    const s = synthEdge({ edge: { routing: { kind: "weighted", blue: { weight: 90, target: "distribution" }, green: { weight: 10, target: { dnsName: "d2.cloudfront.net", zoneId: "Z2FDTNDATAQYW2" } } } } });
    const viewer = ofType(s.json, "aws_route53_record").filter((r) => r.name === "app.test.harbor.example.com");
    expect(viewer.map((r) => [r.type, r.set_identifier, r.weighted_routing_policy.weight]).sort()).toEqual([
      ["A", "blue", 90],
      ["A", "green", 10],
      ["AAAA", "blue", 90],
      ["AAAA", "green", 10],
    ]);
    expect(viewer.find((r) => r.set_identifier === "green")!.alias).toEqual({ name: "d2.cloudfront.net", zone_id: "Z2FDTNDATAQYW2", evaluate_target_health: true });
  });

  test("hosts outside the hosted zone, or no zone at all, are rejected by config validation with the fix, every one at once", () => {
    const rejected = (global: unknown, ...inputs: EnvironmentInput[]): string[] => {
      try {
        validateConfig({ file: "environments/global.ts", input: global }, sources(...inputs));
      } catch (e) {
        if (e instanceof ConfigError) return e.message.split("\n");
        throw e;
      }
      throw new Error("expected the configuration to be rejected");
    };
    const zone = "is not in the hosted zone harbor.example.com (dns.domain of environments/global.ts): use harbor.example.com or a name ending in .harbor.example.com";
    expect(rejected(globalInput, envInput({ edge: { hosts: ["app.test.harbor.example.com", "www.other.example.org"], originHost: "origin.example.org" } }))).toEqual([
      `environments/test.ts: edge.hosts.1: ${zone} (got "www.other.example.org")`,
      `environments/test.ts: edge.originHost: ${zone} (got "origin.example.org")`,
    ]);
    expect(rejected({ ...globalInput, dns: undefined }, envInput({ name: "aa" }), envInput({ name: "bb", vpc: { cidr: "10.70.0.0/16" } }))).toEqual(
      ["aa", "bb"].map((n) => `environments/${n}.ts: edge.enabled: needs the project's hosted zone, but environments/global.ts has no dns.domain: add dns: { domain: "..." } there, or set edge.enabled: false (got true)`),
    );
    // Names in the zone (the apex included) and an environment without an edge pass.
    expect(() => validateConfig({ file: "environments/global.ts", input: globalInput }, sources(envInput({ edge: { hosts: ["harbor.example.com"], originHost: "o.harbor.example.com" } })))).not.toThrow();
    expect(() => validateConfig({ file: "environments/global.ts", input: { ...globalInput, dns: undefined } }, sources(envInput({ edge: { enabled: false } })))).not.toThrow();
  });

  test("the global stack creates the zone (prevent_destroy), or looks it up when it exists", () => {
    const created = synthEdge();
    expect(ofType(created.global, "aws_route53_zone")).toEqual([expect.objectContaining({ name: "harbor.example.com", lifecycle: { prevent_destroy: true } })]);
    const existing = synthEdge({}, [], { ...GLOBAL, dns: { domain: "harbor.example.com", existingZone: true, queryLogRetentionDays: 365 } });
    expect(ofType(existing.global, "aws_route53_zone")).toEqual([]);
    expect(dataOfType(existing.global, "aws_route53_zone")).toEqual([expect.objectContaining({ name: "harbor.example.com", private_zone: false })]);
  });

  test("edge.enabled false: no edge stack", () => {
    const [on, off] = validated(envInput({ name: "with" }), envInput({ name: "without", vpc: { cidr: "10.70.0.0/16" }, edge: { enabled: false } }));
    const built = buildApp({ global: GLOBAL, environments: [on, off] }, tmpDir("edge-off"));
    expect(built.environments.get("with")!.edge).toBeInstanceOf(EdgeStack);
    expect(built.environments.get("without")!.edge).toBeUndefined();
    expect(built.app.node.children.map((c) => c.node.id)).not.toContain("without-edge");
  });
});
