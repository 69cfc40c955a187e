import { Cidr, formatCidr, overlaps, parseCidr, subnetAt, contains, blocksIn } from "./cidr";

/**
 * Availability Zone letters the layout reserves address space for. AWS regions have at most six
 * AZs (a-f), so every AZ has a fixed slot and adding or removing one never moves another's subnets.
 */
export const AZ_LETTERS = ["a", "b", "c", "d", "e", "f"] as const;

/** The smallest subnet AWS allows. */
export const MIN_SUBNET_PREFIX = 28;

export interface SubnetPair {
  readonly az: string;
  /** CIDR of the public subnet in this AZ. */
  readonly publicCidr: string;
  /** CIDR of the private subnet in this AZ. */
  readonly privateCidr: string;
}

/** Slot of an AZ: the index of its letter (`us-east-1c` -> 2). */
export function azSlot(az: string): number {
  return AZ_LETTERS.indexOf(az.slice(-1) as (typeof AZ_LETTERS)[number]);
}

/** Default private subnet prefix: one eighth of the VPC per AZ (a /16 gives /19s). */
export function defaultPrivatePrefix(vpcPrefix: number): number {
  return Math.min(vpcPrefix + 3, MIN_SUBNET_PREFIX);
}

/** Default public subnet prefix: one sixty-fourth of the VPC per AZ (a /16 gives /22s). */
export function defaultPublicPrefix(vpcPrefix: number): number {
  return Math.min(vpcPrefix + 6, MIN_SUBNET_PREFIX);
}

/**
 * Deterministic subnet plan. Private subnets take the AZ's slot from the bottom of the VPC range;
 * public subnets take it from the top block of six public-sized blocks. Example for 10.0.0.0/16:
 * private a/b/c = 10.0.0.0/19, 10.0.32.0/19, 10.0.64.0/19; public a/b/c = 10.0.232.0/22,
 * 10.0.236.0/22, 10.0.240.0/22. The middle of the range stays free for later tiers.
 *
 * Throws a RangeError (with a message fit for a config error) when the subnets do not fit.
 */
export function planSubnets(vpcCidr: string, azs: readonly string[], privatePrefix: number, publicPrefix: number): SubnetPair[] {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new RangeError(`${vpcCidr} is not an IPv4 CIDR block`);
  const fits = (what: string, prefix: number) => {
    if (prefix < vpc.prefix || prefix > MIN_SUBNET_PREFIX) {
      throw new RangeError(`${what} subnets of /${prefix} cannot be cut from ${vpcCidr}: allowed is /${vpc.prefix} to /${MIN_SUBNET_PREFIX}`);
    }
  };
  fits("private", privatePrefix);
  fits("public", publicPrefix);
  const publicBlocks = blocksIn(vpc, publicPrefix);
  const all: { az: string; role: string; cidr: Cidr }[] = [];
  const pairs = azs.map((az) => {
    const slot = azSlot(az);
    if (slot < 0) throw new RangeError(`AZ ${az} does not end in a letter a-f`);
    if (slot >= blocksIn(vpc, privatePrefix)) {
      throw new RangeError(`${vpcCidr} holds only ${blocksIn(vpc, privatePrefix)} private /${privatePrefix} subnets; AZ ${az} needs slot ${slot}`);
    }
    const publicIndex = publicBlocks - AZ_LETTERS.length + slot;
    if (publicIndex < 0) {
      throw new RangeError(`${vpcCidr} holds only ${publicBlocks} public /${publicPrefix} subnets; six AZ slots are needed`);
    }
    const priv = subnetAt(vpc, privatePrefix, slot);
    const pub = subnetAt(vpc, publicPrefix, publicIndex);
    all.push({ az, role: "private", cidr: priv }, { az, role: "public", cidr: pub });
    return { az, privateCidr: formatCidr(priv), publicCidr: formatCidr(pub) };
  });
  for (let i = 0; i < all.length; i++) {
    if (!contains(vpc, all[i].cidr)) throw new RangeError(`${all[i].role} subnet of ${all[i].az} lies outside ${vpcCidr}`);
    for (let j = i + 1; j < all.length; j++) {
      if (overlaps(all[i].cidr, all[j].cidr)) {
        throw new RangeError(
          `${all[i].role} subnet ${formatCidr(all[i].cidr)} (${all[i].az}) overlaps ${all[j].role} subnet ${formatCidr(all[j].cidr)} (${all[j].az}) in ${vpcCidr}: use a larger VPC or smaller subnets`,
        );
      }
    }
  }
  return pairs;
}
