import { validateEnvironments } from "../environments/load";
import { DEFAULT_ADDON_VERSIONS, DEFAULT_EKS_VERSION, EksPlatformConfig, eksClusterSettings, eksNamespace } from "../environments/features/eks";
import { envInput, fixtureEnvironments, rejectionLines } from "./helpers";

const problems = rejectionLines;

const host = (overrides: Record<string, unknown> = {}) => envInput({ name: "host", vpc: { cidr: "10.70.0.0/16" }, platform: { kind: "eks", ...overrides } as never });
const guest = (of: string, name = "guest", cidr = "10.71.0.0/16") => envInput({ name, vpc: { cidr }, platform: { kind: "eks", cluster: { shared: of } } });

describe("EKS configuration", () => {
  test("GIVEN the fixture project's environments THEN host hosts a cluster and guest is its guest", () => {
    const envs = fixtureEnvironments();
    const host = envs.find((e) => e.name === "host")!;
    const guest = envs.find((e) => e.name === "guest")!;
    expect(host.platform.kind).toBe("eks");
    const settings = eksClusterSettings(host.platform as EksPlatformConfig)!;
    expect(settings.version).toBe(DEFAULT_EKS_VERSION);
    expect(settings.publicAccessCidrs).toEqual(["203.0.113.0/24"]);
    // A role name, resolved in the deploying account: the fixture names no account.
    expect(settings.admins).toEqual(["platform-admin"]);
    expect(guest.platform).toMatchObject({ kind: "eks", cluster: { shared: "host" } });
    expect(eksClusterSettings(guest.platform as EksPlatformConfig)).toBeUndefined();
    expect(eksNamespace({ name: "guest", platform: guest.platform as EksPlatformConfig })).toBe("guest");
    expect(envs.filter((e) => e.platform.kind === "ecs").map((e) => e.name)).toEqual(["small", "live"]);
  });

  test("defaults: a supported version, private endpoint, pinned add-ons per version, system + spot groups", () => {
    const [env] = validateEnvironments([{ file: "x", input: host() }]);
    const s = eksClusterSettings(env.platform as EksPlatformConfig)!;
    expect(s.publicAccessCidrs).toEqual([]);
    expect(s.addonVersions).toEqual(DEFAULT_ADDON_VERSIONS[DEFAULT_EKS_VERSION]);
    expect(s.nodeGroups.system.instanceTypes).toHaveLength(1);
    expect(s.nodeGroups.spot.instanceTypes.length).toBeGreaterThanOrEqual(2);
  });

  test("an add-on version can be overridden, the rest stay pinned for the chosen version", () => {
    const [env] = validateEnvironments([{ file: "x", input: host({ version: "1.32", addons: { coredns: "v1.11.4-eksbuild.2" } }) }]);
    const s = eksClusterSettings(env.platform as EksPlatformConfig)!;
    expect(s.addonVersions.coredns).toBe("v1.11.4-eksbuild.2");
    expect(s.addonVersions["kube-proxy"]).toBe(DEFAULT_ADDON_VERSIONS["1.32"]["kube-proxy"]);
  });

  test("a guest and its host validate together", () => {
    expect(() => validateEnvironments([{ file: "a", input: host() }, { file: "b", input: guest("host") }])).not.toThrow();
  });
});

describe("invalid EKS configuration is rejected naming the field", () => {
  const cases: [string, unknown[], RegExp][] = [
    ["an unsupported Kubernetes version", [host({ version: "1.24" })], /e0\.ts: platform\.version: must be a Kubernetes version EKS supports: 1\.32, 1\.33, 1\.34 \(got "1\.24"\)/],
    ["a namespace that is not a DNS label", [host({ namespace: "Team_A" })], /e0\.ts: platform\.namespace: must be a DNS label \(RFC 1123\): lowercase letters, digits and hyphens.* \(got "Team_A"\)/],
    ["a namespace longer than 63 characters", [host({ namespace: "a".repeat(64) })], /platform\.namespace: must be a DNS label \(RFC 1123\): at most 63 characters/],
    ["an admin that is neither a role name nor an ARN", [host({ admins: ["platform admin"] })], /e0\.ts: platform\.admins\.0: must be an IAM role name in the deploying account \(platform-admin\) or, for a principal elsewhere, a role or user ARN .*\(got "platform admin"\)/],
    ["an admin principal that is an assumed-role session", [host({ admins: ["arn:aws:sts::111122223333:assumed-role/admin/me"] })], /platform\.admins\.0: must be an IAM role name in the deploying account/],
    ["a public endpoint open to the internet", [host({ endpoint: { publicAccessCidrs: ["0.0.0.0/0"] } })], /platform\.endpoint\.publicAccessCidrs\.0: must not open the Kubernetes API to the whole internet.*\(got "0\.0\.0\.0\/0"\)/],
    ["a malformed public endpoint CIDR", [host({ endpoint: { publicAccessCidrs: ["203.0.113.7/24"] } })], /platform\.endpoint\.publicAccessCidrs\.0: has host bits set/],
    ["a spot group with one instance type", [host({ nodeGroups: { spot: { instanceTypes: ["m6i.large"], min: 0, max: 2, desired: 1 } } })], /platform\.nodeGroups\.spot\.instanceTypes: a spot group needs at least two instance types/],
    ["a node group whose desired size is out of range", [host({ nodeGroups: { system: { instanceTypes: ["m6i.large"], min: 2, max: 3, desired: 5 } } })], /platform\.nodeGroups\.system\.desired: must satisfy min <= desired <= max \(min 2, desired 5, max 3\)/],
    ["a bad instance type", [host({ nodeGroups: { system: { instanceTypes: ["large"], min: 1, max: 1, desired: 1 } } })], /platform\.nodeGroups\.system\.instanceTypes\.0: must be an EC2 instance type/],
    ["a bad add-on version", [host({ addons: { "vpc-cni": "latest" } })], /platform\.addons\.vpc-cni: must be an EKS add-on version such as v1\.20\.1-eksbuild\.1 \(got "latest"\)/],
    ["an unknown add-on", [host({ addons: { karpenter: "v1.0.0-eksbuild.1" } })], /platform\.addons\.karpenter: unknown field karpenter/],
    ["the retired ingress NodePort setting", [host({ ingress: { nodePort: 30080 } } as never)], /platform\.ingress: unknown field ingress/],
    ["a bad quota quantity", [host({ quota: { requestsMemory: "lots" } })], /platform\.quota\.requestsMemory: must be a Kubernetes quantity/],
    ["a shared cluster naming a missing environment", [guest("nowhere")], /e0\.ts: platform\.cluster\.shared: must name an EKS environment that hosts a cluster; there is no environment "nowhere" \(known: guest\) \(got "nowhere"\)/],
    ["a shared cluster naming a non-EKS environment", [envInput({ name: "ecs1" }), guest("ecs1")], /e1\.ts: platform\.cluster\.shared: must name an EKS environment that hosts a cluster; ecs1 \(environments\/e0\.ts\) uses platform\.kind "ecs" \(got "ecs1"\)/],
    ["a guest of a guest", [host(), guest("host"), guest("guest", "guest2", "10.72.0.0/16")], /e2\.ts: platform\.cluster\.shared: must name an environment with a cluster of its own; guest \(environments\/e1\.ts\) is itself a guest of host's cluster \(got "guest"\)/],
    ["a shared cluster naming itself", [guest("guest")], /platform\.cluster\.shared: names this environment itself/],
    ["a shared cluster in another region", [host(), { ...guest("host"), region: "us-west-2" }], /e1\.ts: platform\.cluster\.shared: must name an environment in the same region; host is in us-east-1/],
    ["a guest setting cluster-level fields", [host(), envInput({ name: "guest", vpc: { cidr: "10.71.0.0/16" }, platform: { kind: "eks", cluster: { shared: "host" }, version: "1.33" } as never })], /e1\.ts: platform\.version: does not apply to a guest of host's cluster: set it in the host environment/],
    ["two environments with one namespace in one cluster", [host(), envInput({ name: "guest", vpc: { cidr: "10.71.0.0/16" }, platform: { kind: "eks", cluster: { shared: "host" }, namespace: "host" } })], /e1\.ts: platform\.namespace: is already used by host in the same cluster/],
  ];
  test.each(cases)("%s", (_what, inputs, expected) => {
    const lines = problems(...inputs);
    expect(lines.filter((l) => expected.test(l))).toEqual([expect.stringMatching(expected)]);
  });
});
