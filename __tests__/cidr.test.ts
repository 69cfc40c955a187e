import { Cidr, contains, formatCidr, isNetworkAddress, overlappingPairs, overlaps, parseCidr, subnetAt } from "../modules/network/cidr";
import { azSlot, planSubnets } from "../modules/network/layout";

describe("cidr arithmetic", () => {
  test("parses and formats", () => {
    expect(formatCidr(parseCidr("10.1.2.0/24")!)).toBe("10.1.2.0/24");
    expect(parseCidr("10.1.2.0/33")).toBeUndefined();
    expect(parseCidr("300.1.2.0/24")).toBeUndefined();
    expect(parseCidr("10.1.2/24")).toBeUndefined();
  });
  test("network address, overlap and containment", () => {
    expect(isNetworkAddress(parseCidr("10.0.0.0/16")!)).toBe(true);
    expect(isNetworkAddress(parseCidr("10.0.0.1/16")!)).toBe(false);
    expect(overlaps(parseCidr("10.0.0.0/16")!, parseCidr("10.0.128.0/17")!)).toBe(true);
    expect(overlaps(parseCidr("10.0.0.0/16")!, parseCidr("10.1.0.0/16")!)).toBe(false);
    expect(contains(parseCidr("10.0.0.0/16")!, parseCidr("10.0.3.0/24")!)).toBe(true);
  });
  test("subnetAt matches Terraform's cidrsubnet", () => {
    expect(formatCidr(subnetAt(parseCidr("10.0.0.0/16")!, 19, 2))).toBe("10.0.64.0/19");
    expect(() => subnetAt(parseCidr("10.0.0.0/16")!, 17, 2)).toThrow("index 2 is out of range");
  });
});

describe("subnet layout", () => {
  test("GIVEN a /16 and three AZs THEN private /19s from the bottom and public /22s from the top", () => {
    expect(planSubnets("10.0.0.0/16", ["us-east-1a", "us-east-1b", "us-east-1c"], 19, 22)).toEqual([
      { az: "us-east-1a", privateCidr: "10.0.0.0/19", publicCidr: "10.0.232.0/22" },
      { az: "us-east-1b", privateCidr: "10.0.32.0/19", publicCidr: "10.0.236.0/22" },
      { az: "us-east-1c", privateCidr: "10.0.64.0/19", publicCidr: "10.0.240.0/22" },
    ]);
  });
  test("an AZ's CIDRs depend on its letter only, not on which other AZs are listed", () => {
    const three = planSubnets("10.0.0.0/16", ["us-east-1a", "us-east-1b", "us-east-1c"], 19, 22);
    const two = planSubnets("10.0.0.0/16", ["us-east-1a", "us-east-1c"], 19, 22);
    expect(two[1]).toEqual(three[2]);
    expect(azSlot("eu-west-1f")).toBe(5);
  });
  test("subnets that do not fit are reported", () => {
    expect(() => planSubnets("10.0.0.0/24", ["us-east-1a", "us-east-1b", "us-east-1f"], 26, 28)).toThrow(/holds only 4 private/);
    expect(() => planSubnets("10.0.0.0/24", ["us-east-1a", "us-east-1b", "us-east-1f"], 27, 28)).toThrow(/overlaps/);
    expect(() => planSubnets("10.0.0.0/28", ["us-east-1a", "us-east-1b"], 31, 31)).toThrow(/allowed is \/28 to \/28/);
  });
});

describe("overlappingPairs", () => {
  const bruteForce = (cidrs: Cidr[]) => {
    const out: [number, number][] = [];
    for (let i = 0; i < cidrs.length; i++) for (let j = 0; j < i; j++) if (overlaps(cidrs[i], cidrs[j])) out.push([i, j]);
    return out;
  };

  test("gives the pairs, in the order, of a nested loop over earlier blocks", () => {
    const cidrs = ["10.0.0.0/16", "10.1.0.0/16", "10.0.128.0/17", "10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/24", "10.0.64.0/18"].map((c) => parseCidr(c)!);
    expect(overlappingPairs(cidrs)).toEqual(bruteForce(cidrs));
    expect(overlappingPairs(cidrs)).toEqual([[2, 0], [3, 0], [3, 1], [3, 2], [4, 1], [4, 3], [6, 0], [6, 3]]);
  });

  test("no pairs for disjoint blocks, in any order", () => {
    const cidrs = Array.from({ length: 300 }, (_, i) => parseCidr(`10.${128 + Math.floor(((i * 7) % 300) / 16)}.${(((i * 7) % 300) % 16) * 16}.0/20`)!);
    expect(overlappingPairs(cidrs)).toEqual([]);
    expect(bruteForce(cidrs)).toEqual([]);
  });
});
