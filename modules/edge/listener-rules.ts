/**
 * Listener-rule allocation: which HTTPS listener (index and port) and which priority each publicly
 * exposed route gets on the environment's ALB.
 *
 * Why a record and not a hash. Terraform addresses and ALB rule priorities are API: adding a route
 * must not renumber or move an existing one. No pure function of the current set of routes can
 * both respect a per-listener quota and never move a route: with a quota of 1, adding B after A
 * must leave A where it was, and adding A after B must leave B where it was, so f({A,B}) would have
 * to put both on their "first" listener, which the quota forbids. (Hashed priorities fail the same
 * way: two keys may hash to the same slot, and who wins depends on the set.) So assignments are
 * remembered in an append-only *allocation record* (committed JSON, one per environment): existing
 * entries are never changed, new routes get the next free priority and the first listener that
 * still has room. A removed route keeps its entry (its priority is never reused); it stops counting
 * against its listener's quota, and comes back to the same place if it is added again.
 */

export interface RouteRequest {
  /** Stable, unique name of the route (e.g. the service name). */
  readonly key: string;
  /** ALB path patterns, e.g. `/api/*`. */
  readonly pathPatterns: readonly string[];
  /** Host names the route answers for (matched on the viewer's host). @default any host */
  readonly hosts?: readonly string[];
}

/** Where a route lives. */
export interface RuleAddress {
  /** 0 is the primary HTTPS listener (443); 1.. are spill listeners. */
  readonly listenerIndex: number;
  readonly port: number;
  /** Listener rule priority (unique across the ALB, so also within each listener). */
  readonly priority: number;
}

/** A condition of a route's listener rule (`aws_lb_listener_rule` `condition` block). */
export interface RuleCondition {
  readonly pathPattern?: { readonly values: string[] };
  readonly httpHeader?: { readonly httpHeaderName: string; readonly values: string[] };
}

/**
 * A route's listener rule as the edge gives it to the stack that owns the target group (ECS
 * services, EKS pod target groups): where the rule goes, at what priority, and when it matches.
 * The one route shape from the allocation to the `aws_lb_listener_rule`.
 */
export interface ListenerRoute {
  readonly listenerArn: string;
  /** Port of that listener (443, or a spill port). */
  readonly port: number;
  readonly priority: number;
  /** Path patterns, the viewer hosts (X-Forwarded-Host) and the origin-verify header. */
  readonly conditions: readonly RuleCondition[];
}

/** The append-only record of every route ever allocated. */
export interface AllocationRecord {
  readonly version: 1;
  /** Route key -> listener index and priority. */
  readonly routes: Readonly<Record<string, { readonly listener: number; readonly priority: number }>>;
}

export const EMPTY_RECORD: AllocationRecord = { version: 1, routes: {} };

export interface AllocateOptions {
  /** Rules per listener (the ALB quota; AWS's default is 100). */
  readonly quota: number;
  /** Port of listener 0. @default 443 */
  readonly primaryPort?: number;
  /** Port of listener 1; listener i > 0 uses firstSpillPort + i - 1. @default 8443 */
  readonly firstSpillPort?: number;
  /** Rules on listener 0 that are not routes (e.g. the edge health rule). @default 0 */
  readonly reservedOnPrimary?: number;
  /** What earlier syntheses allocated. @default empty */
  readonly record?: AllocationRecord;
  /** Highest priority the ALB accepts for routes. @default 49999 (50000 is left for the edge's own rule) */
  readonly maxPriority?: number;
  /** Most listeners an ALB may have (AWS: 50, one of which is HTTP). @default 49 */
  readonly maxListeners?: number;
}

export interface Allocation {
  /** Address of every requested route, by key. */
  readonly rules: ReadonlyMap<string, RuleAddress>;
  /** HTTPS listeners in use (always at least the primary), by index. */
  readonly listeners: readonly { readonly index: number; readonly port: number; readonly routes: readonly string[] }[];
  /** The record extended with the new routes (equal to the input record when nothing was added). */
  readonly record: AllocationRecord;
  /** Keys allocated by this call (not in the input record). */
  readonly added: readonly string[];
}

/** Port of HTTPS listener `index`. */
export function listenerPort(index: number, primaryPort = 443, firstSpillPort = 8443): number {
  return index === 0 ? primaryPort : firstSpillPort + index - 1;
}

/** Validates the requests; one clear throw per rule. */
function validateRoutes(routes: readonly RouteRequest[]): void {
  const seen = new Set<string>();
  for (const r of routes) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/.test(r.key)) {
      throw new Error(`listener rules: route key must be 1-128 letters, digits and _ . : / -, got ${JSON.stringify(r.key)}`);
    }
    if (seen.has(r.key)) throw new Error(`listener rules: route key ${JSON.stringify(r.key)} is requested twice: keys must be unique`);
    seen.add(r.key);
    if (r.pathPatterns.length === 0) throw new Error(`listener rules: route ${r.key} has no pathPatterns: give at least one, e.g. "/${r.key}/*"`);
    // ALB: at most 5 condition values per rule; one is the origin-verify header.
    const values = r.pathPatterns.length + (r.hosts?.length ?? 0);
    if (values > 4) {
      throw new Error(`listener rules: route ${r.key} has ${values} path patterns and hosts; an ALB rule allows 5 condition values and one is the origin-verify header, so at most 4`);
    }
  }
}

/**
 * Allocates every route a listener and a priority, keeping every assignment in `record` and
 * extending it for new routes only. Deterministic: new routes are taken in key order.
 */
export function allocateListenerRules(routes: readonly RouteRequest[], opts: AllocateOptions): Allocation {
  const quota = opts.quota;
  if (!Number.isInteger(quota) || quota < 1) throw new Error(`listener rules: quota must be a whole number >= 1, got ${quota}`);
  const reserved = opts.reservedOnPrimary ?? 0;
  const maxPriority = opts.maxPriority ?? 49999;
  const maxListeners = opts.maxListeners ?? 49;
  const primaryPort = opts.primaryPort ?? 443;
  const firstSpillPort = opts.firstSpillPort ?? 8443;
  validateRoutes(routes);
  const record = opts.record ?? EMPTY_RECORD;
  const entries: Record<string, { listener: number; priority: number }> = { ...record.routes };

  const requested = new Set(routes.map((r) => r.key));
  const fill = new Map<number, number>();
  fill.set(0, reserved);
  for (const key of requested) {
    const e = entries[key];
    if (e) fill.set(e.listener, (fill.get(e.listener) ?? 0) + 1);
  }
  let nextPriority = Math.max(0, ...Object.values(entries).map((e) => e.priority)) + 1;
  const added: string[] = [];
  for (const key of [...requested].filter((k) => !entries[k]).sort()) {
    let listener = 0;
    while ((fill.get(listener) ?? 0) >= quota) listener++;
    if (listener >= maxListeners) {
      throw new Error(`listener rules: ${requested.size} routes need more than ${maxListeners} HTTPS listeners at a quota of ${quota} rules each: raise the quota (edge.listenerRuleQuota)`);
    }
    if (nextPriority > maxPriority) throw new Error(`listener rules: no priority left for route ${key} (the record has used 1..${maxPriority})`);
    entries[key] = { listener, priority: nextPriority++ };
    fill.set(listener, (fill.get(listener) ?? 0) + 1);
    added.push(key);
  }

  const rules = new Map<string, RuleAddress>();
  for (const key of [...requested].sort()) {
    const e = entries[key];
    rules.set(key, { listenerIndex: e.listener, port: listenerPort(e.listener, primaryPort, firstSpillPort), priority: e.priority });
  }
  // Listeners 0..highest index in use; an empty one in the middle stays (its port is its identity).
  const highest = Math.max(0, ...[...rules.values()].map((r) => r.listenerIndex));
  const listeners = Array.from({ length: highest + 1 }, (_, index) => ({
    index,
    port: listenerPort(index, primaryPort, firstSpillPort),
    routes: [...rules.entries()].filter(([, r]) => r.listenerIndex === index).map(([k]) => k),
  }));
  const sorted = Object.fromEntries(Object.keys(entries).sort().map((k) => [k, entries[k]]));
  return { rules, listeners, record: added.length ? { version: 1, routes: sorted } : record, added };
}

/** Parses a record file's text; throws naming the file on anything malformed. */
export function parseRecord(text: string, file: string): AllocationRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}); restore it from version control`);
  }
  const r = raw as { version?: unknown; routes?: unknown };
  if (!r || r.version !== 1 || typeof r.routes !== "object" || r.routes === null) {
    throw new Error(`${file}: must be { "version": 1, "routes": { ... } }; restore it from version control`);
  }
  const priorities = new Set<number>();
  for (const [key, e] of Object.entries(r.routes as Record<string, { listener?: unknown; priority?: unknown }>)) {
    if (!Number.isInteger(e?.listener) || (e.listener as number) < 0 || !Number.isInteger(e?.priority) || (e.priority as number) < 1) {
      throw new Error(`${file}: routes.${key} must be { "listener": <index >= 0>, "priority": <integer >= 1> }`);
    }
    if (priorities.has(e.priority as number)) throw new Error(`${file}: routes.${key}: priority ${e.priority} is used twice`);
    priorities.add(e.priority as number);
  }
  return raw as AllocationRecord;
}

/** Serializes a record deterministically (sorted keys, one route per line, trailing newline). */
export function formatRecord(record: AllocationRecord): string {
  const keys = Object.keys(record.routes).sort();
  const lines = keys.map((k) => `    ${JSON.stringify(k)}: { "listener": ${record.routes[k].listener}, "priority": ${record.routes[k].priority} }`);
  return `{\n  "version": 1,\n  "routes": {${lines.length ? `\n${lines.join(",\n")}\n  ` : ""}}\n}\n`;
}

/** Keeps a record in memory across syntheses (tests, previews), append-only like the files. */
export class MemoryAllocationStore {
  constructor(public record: AllocationRecord = EMPTY_RECORD) {}
  load(): AllocationRecord {
    return this.record;
  }
  save(record: AllocationRecord): void {
    assertExtends(this.record, record, "memory");
    this.record = record;
  }
}

/** Throws unless `next` keeps every entry of `prev` unchanged. */
export function assertExtends(prev: AllocationRecord, next: AllocationRecord, where: string): void {
  for (const [key, e] of Object.entries(prev.routes)) {
    const n = next.routes[key];
    if (!n || n.listener !== e.listener || n.priority !== e.priority) {
      throw new Error(`${where}: refusing to change the allocation of route ${key} (records are append-only)`);
    }
  }
}
