import * as fs from "fs";
import * as path from "path";
import { AllocationRecord, EMPTY_RECORD, MemoryAllocationStore, RouteRequest, allocateListenerRules, formatRecord, parseRecord } from "../modules/edge/listener-rules";
import { allocationFile, readAllocationRecord, writeAllocationRecord } from "../modules/edge/allocation-file";
import { tmpDir } from "./helpers";

const route = (key: string): RouteRequest => ({ key, pathPatterns: [`/${key}/*`] });
const routes = (n: number, prefix = "svc") => Array.from({ length: n }, (_, i) => route(`${prefix}-${String(i).padStart(3, "0")}`));

describe("listener-rule allocation", () => {
  test("250 routes at quota 100 spill onto three HTTPS listeners: 443, 8443, 8444", () => {
    const a = allocateListenerRules(routes(250), { quota: 100 });
    expect(a.listeners.map((l) => [l.index, l.port, l.routes.length])).toEqual([
      [0, 443, 100],
      [1, 8443, 100],
      [2, 8444, 50],
    ]);
    const priorities = [...a.rules.values()].map((r) => r.priority);
    expect(new Set(priorities).size).toBe(250);
    expect(Math.min(...priorities)).toBe(1);
    expect(a.added).toHaveLength(250);
  });

  test("adding a route changes no existing route's listener, port or priority", () => {
    const first = allocateListenerRules(routes(250), { quota: 100 });
    // "aaa" sorts before every existing key: a hash- or order-based scheme would shift the others.
    const second = allocateListenerRules([route("aaa"), ...routes(250)], { quota: 100, record: first.record });
    for (const [key, addr] of first.rules) expect(second.rules.get(key)).toEqual(addr);
    expect(second.added).toEqual(["aaa"]);
    expect(second.rules.get("aaa")).toEqual({ listenerIndex: 2, port: 8444, priority: 251 });
    expect(second.listeners).toHaveLength(3);
  });

  test("removing a route keeps the others in place, frees its quota slot, and never reuses its priority", () => {
    const first = allocateListenerRules(routes(3), { quota: 2 });
    expect(first.rules.get("svc-001")).toEqual({ listenerIndex: 0, port: 443, priority: 2 });
    const rest = routes(3).filter((r) => r.key !== "svc-001");
    const second = allocateListenerRules([...rest, route("new")], { quota: 2, record: first.record });
    expect(second.rules.get("svc-000")).toEqual(first.rules.get("svc-000"));
    expect(second.rules.get("svc-002")).toEqual(first.rules.get("svc-002"));
    expect(second.rules.get("new")).toEqual({ listenerIndex: 0, port: 443, priority: 4 });
    // The removed route is remembered: re-adding it puts it back where it was.
    const third = allocateListenerRules([...rest, route("new"), route("svc-001")], { quota: 2, record: second.record });
    expect(third.rules.get("svc-001")).toEqual({ listenerIndex: 0, port: 443, priority: 2 });
  });

  test("same input, same result; nothing added leaves the record object unchanged", () => {
    const a = allocateListenerRules(routes(5), { quota: 2 });
    const b = allocateListenerRules([...routes(5)].reverse(), { quota: 2 });
    expect([...b.rules.entries()]).toEqual([...a.rules.entries()]);
    const again = allocateListenerRules(routes(5), { quota: 2, record: a.record });
    expect(again.record).toBe(a.record);
    expect(again.added).toEqual([]);
  });

  test("rules reserved on the primary listener count against its quota", () => {
    const a = allocateListenerRules(routes(3), { quota: 2, reservedOnPrimary: 1 });
    expect(a.listeners.map((l) => l.routes.length)).toEqual([1, 2]);
  });

  test("no routes: only the primary listener", () => {
    const a = allocateListenerRules([], { quota: 100 });
    expect(a.listeners).toEqual([{ index: 0, port: 443, routes: [] }]);
    expect(a.record).toBe(EMPTY_RECORD);
  });

  test.each([
    [[route("a"), route("a")], /route key "a" is requested twice/],
    [[{ key: "a", pathPatterns: [] }], /route a has no pathPatterns/],
    [[{ key: "", pathPatterns: ["/"] }], /route key must be 1-128/],
    [[{ key: "a", pathPatterns: ["/1", "/2", "/3"], hosts: ["x.example.com", "y.example.com"] }], /route a has 5 path patterns and hosts.*at most 4/],
  ])("bad routes are rejected (%#)", (input, message) => {
    expect(() => allocateListenerRules(input as RouteRequest[], { quota: 100 })).toThrow(message);
  });

  test("quota below 1 is rejected", () => {
    expect(() => allocateListenerRules([], { quota: 0 })).toThrow("listener rules: quota must be a whole number >= 1, got 0");
  });

  test("too many listeners is rejected with the fix", () => {
    expect(() => allocateListenerRules(routes(5), { quota: 1, maxListeners: 4 })).toThrow(/more than 4 HTTPS listeners.*raise the quota/);
  });

  test("the record file round-trips, is only ever extended, and malformed files are named", () => {
    const dir = tmpDir("alloc");
    const file = allocationFile("dev", dir);
    expect(file).toEqual({ path: path.join(dir, "environments", "edge-routes", "dev.json"), displayName: "environments/edge-routes/dev.json" });
    expect(readAllocationRecord(file)).toEqual(EMPTY_RECORD);
    const a = allocateListenerRules(routes(3), { quota: 2, record: readAllocationRecord(file) });
    writeAllocationRecord(file, a.record);
    const text = fs.readFileSync(file.path, "utf8");
    expect(text).toBe(formatRecord(a.record));
    expect(parseRecord(text, "x")).toEqual(a.record);
    expect(readAllocationRecord(file)).toEqual(a.record);
    const moved: AllocationRecord = { version: 1, routes: { ...a.record.routes, "svc-000": { listener: 1, priority: 99 } } };
    expect(() => writeAllocationRecord(file, moved)).toThrow("environments/edge-routes/dev.json: refusing to change the allocation of route svc-000 (records are append-only)");
    expect(fs.readFileSync(file.path, "utf8")).toBe(text);
    fs.writeFileSync(file.path, "{");
    expect(() => readAllocationRecord(file)).toThrow(/^environments\/edge-routes\/dev.json: not valid JSON/);
    expect(() => parseRecord('{"version":1,"routes":{"a":{"listener":0,"priority":1},"b":{"listener":0,"priority":1}}}', "f.json")).toThrow("f.json: routes.b: priority 1 is used twice");
  });

  test("the memory store refuses to rewrite", () => {
    const store = new MemoryAllocationStore();
    const a = allocateListenerRules(routes(2), { quota: 2 });
    store.save(a.record);
    expect(() => store.save(EMPTY_RECORD)).toThrow(/refusing to change/);
  });
});
