/**
 * IPv4 CIDR arithmetic used by config validation and the network module.
 *
 * Subnet CIDRs are computed here, in TypeScript, and written into the Terraform JSON as literals:
 * a reviewer sees the real ranges in the pull request and the same input always gives the same
 * output.
 */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  /** Prefix length, 0 to 32. */
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when it is not a valid IPv4 CIDR block. */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { base, prefix };
}

/** True when the address has no bits set beyond the prefix (10.0.0.0/16, not 10.0.0.1/16). */
export function isNetworkAddress(c: Cidr): boolean {
  return (c.base & ~maskOf(c.prefix)) >>> 0 === 0;
}

export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

export function sizeOf(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + sizeOf(a);
  const bEnd = b.base + sizeOf(b);
  return a.base < bEnd && b.base < aEnd;
}

/**
 * Every pair of overlapping blocks as `[i, j]` indices with `j < i`, ordered by `i` then `j` (the
 * order a nested loop over earlier blocks gives), in O(n log n + pairs) rather than O(n^2): a
 * registry of hundreds of sandboxes is checked at every synth.
 */
export function overlappingPairs(cidrs: readonly Cidr[]): [number, number][] {
  const order = cidrs.map((_, i) => i).sort((a, b) => cidrs[a].base - cidrs[b].base || a - b);
  const pairs: [number, number][] = [];
  // Sweep by start address; `open` holds the blocks that started earlier and have not ended yet.
  let open: number[] = [];
  for (const i of order) {
    const start = cidrs[i].base;
    open = open.filter((k) => cidrs[k].base + sizeOf(cidrs[k]) > start);
    for (const k of open) pairs.push(k < i ? [i, k] : [k, i]);
    open.push(i);
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + sizeOf(inner) <= outer.base + sizeOf(outer);
}

/**
 * The `index`-th block of prefix length `prefix` inside `parent`, like Terraform's
 * `cidrsubnet(parent, prefix - parent.prefix, index)`.
 */
export function subnetAt(parent: Cidr, prefix: number, index: number): Cidr {
  if (prefix < parent.prefix || prefix > 32) {
    throw new RangeError(`prefix /${prefix} does not fit in ${formatCidr(parent)}`);
  }
  const count = 2 ** (prefix - parent.prefix);
  if (index < 0 || index >= count) {
    throw new RangeError(`${formatCidr(parent)} holds ${count} blocks of /${prefix}, index ${index} is out of range`);
  }
  return { base: parent.base + index * 2 ** (32 - prefix), prefix };
}

/** Number of blocks of length `prefix` that fit in `parent`. */
export function blocksIn(parent: Cidr, prefix: number): number {
  return prefix < parent.prefix ? 0 : 2 ** (prefix - parent.prefix);
}
