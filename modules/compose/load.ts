import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { validate as validateComposeSchema } from "./generated/compose-spec-validator";
import { DescriptorProblem, ServiceDescriptor, ServiceDescriptorError } from "./descriptor";
import { CALL, XEnvironmentOverride, xCallsSchema, xEnvironmentsSchema } from "./extensions";
import { mapService } from "./map";
import { valueAt, zodProblems } from "../../lib/problems";

/**
 * Loads `services/<name>.yaml` Compose files: YAML, then the Compose Specification schema (ajv,
 * precompiled), then our `x-` extensions (zod) and the mapping to ServiceDescriptor, then rules
 * between services (unique routes), once per environment with its `x-environments` overrides.
 * Every problem is collected; nothing is half-loaded.
 */

/** A service name: a DNS label short enough for every physical name derived from it. */
export const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

type Json = Record<string, unknown>;

/** One parsed, schema-valid file. */
interface ParsedFile {
  readonly file: string;
  readonly name: string;
  readonly doc: Json;
  readonly overrides: Readonly<Record<string, XEnvironmentOverride>>;
}

/** Every service, per environment, overrides applied. */
export interface ServiceCatalog {
  /** Service names, sorted (one registry repository each). */
  readonly names: readonly string[];
  /** The services of one environment, sorted by name. */
  forEnvironment(envName: string): readonly ServiceDescriptor[];
}

export interface LoadOptions {
  /** Names of the environments whose services are wanted. */
  readonly environments: readonly string[];
  /** Names `x-environments` keys may use (a typo is an error). @default `environments` */
  readonly knownEnvironments?: readonly string[];
  /** How files are named in messages. @default `<basename of dir>/<file>`, e.g. `services/alpha.yaml` */
  readonly label?: (fileName: string) => string;
}

/**
 * Loads and validates every descriptor in `dir` for every environment. Throws one
 * ServiceDescriptorError listing every problem. A missing directory means no services.
 */
export function loadServiceCatalog(dir: string, options: LoadOptions): ServiceCatalog {
  const label = options.label ?? ((f: string) => `${path.basename(dir)}/${f}`);
  const problems: DescriptorProblem[] = [];
  const parsed: ParsedFile[] = [];
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  for (const f of files) {
    if (f.startsWith(".")) continue;
    const file = label(f);
    if (!f.endsWith(".yaml")) {
      problems.push({ file, path: "", value: f, message: "is not a .yaml descriptor: services/ holds only <service>.yaml Compose files (rename .yml files)" });
      continue;
    }
    const known = [...new Set([...(options.knownEnvironments ?? []), ...options.environments])];
    const result = parseFile(file, f.slice(0, -".yaml".length), fs.readFileSync(path.join(dir, f), "utf8"), known);
    problems.push(...result.problems);
    if (result.parsed) parsed.push(result.parsed);
  }
  // Problems of a file as written are reported once; an environment's override adds only new ones.
  const baseResults = new Map<ParsedFile, ReturnType<typeof mapService>>();
  for (const p of parsed) {
    const r = mapService(p.file, p.name, p.doc);
    baseResults.set(p, r);
    problems.push(...r.problems);
  }
  const byEnv = new Map<string, ServiceDescriptor[]>();
  for (const env of options.environments) {
    const services: ServiceDescriptor[] = [];
    for (const p of parsed) {
      const override = p.overrides[env];
      const doc = override ? applyOverride(p.doc, p.name, env, override) : p.doc;
      const note = override ? ` (with x-environments.${env} applied)` : "";
      if (override) {
        const schemaProblems = schemaCheck(p.file, doc, note);
        if (schemaProblems.length) {
          problems.push(...schemaProblems);
          continue;
        }
      }
      const base = baseResults.get(p)!;
      if (!override) {
        if (base.descriptor) services.push(base.descriptor);
        continue;
      }
      const r = mapService(p.file, p.name, doc, note);
      const known = new Set(base.problems.map((q) => `${q.path}\0${q.message}${note}`));
      problems.push(...r.problems.filter((q) => !known.has(`${q.path}\0${q.message}`)));
      if (r.descriptor) services.push(r.descriptor);
    }
    problems.push(...routeConflicts(services));
    const resolved = resolveCalls(services, parsed);
    problems.push(...resolved.problems);
    byEnv.set(env, resolved.services);
  }
  if (problems.length) throw new ServiceDescriptorError(dedupe(problems));
  return {
    names: parsed.map((p) => p.name),
    forEnvironment: (env) => {
      const s = byEnv.get(env);
      if (!s) throw new Error(`loadServiceCatalog: environment ${env} was not among those loaded (${options.environments.join(", ")})`);
      return s;
    },
  };
}

/** The services of one environment (`loadServiceCatalog` for a single environment). */
export function loadServices(dir: string, envName: string): readonly ServiceDescriptor[] {
  return loadServiceCatalog(dir, { environments: [envName] }).forEnvironment(envName);
}

function parseFile(file: string, name: string, text: string, environments: readonly string[]): { parsed?: ParsedFile; problems: DescriptorProblem[] } {
  const problems: DescriptorProblem[] = [];
  if (!SERVICE_NAME.test(name)) {
    return { problems: [{ file, path: "", value: name, message: "the file name is the service name: lowercase letters, digits and hyphens, starting with a letter, at most 32 characters" }] };
  }
  const yaml = parseDocument(text, { merge: true, prettyErrors: false });
  if (yaml.errors.length) {
    return { problems: yaml.errors.map((e) => ({ file, path: "", value: undefined, message: `is not valid YAML: ${e.message.split("\n")[0]}` })) };
  }
  const doc = yaml.toJS({ maxAliasCount: 1000 }) as unknown;
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    return { problems: [{ file, path: "", value: doc, message: "must be a Compose file (a mapping with services:)" }] };
  }
  problems.push(...schemaCheck(file, doc as Json, ""));
  if (problems.length) return { problems };
  const services = Object.keys(((doc as Json).services ?? {}) as Json);
  if (services.length !== 1 || services[0] !== name) {
    return { problems: [{ file, path: "services", value: services, message: `must define exactly one service, named like the file: ${name}` }] };
  }
  const svc = ((doc as Json).services as Json)[name] as Json;
  let overrides: Record<string, XEnvironmentOverride> = {};
  if (svc["x-environments"] !== undefined) {
    const r = xEnvironmentsSchema.safeParse(svc["x-environments"]);
    if (!r.success) {
      problems.push(
        ...zodProblems(file, svc["x-environments"], r.error, {
          prefix: ["services", name, "x-environments"],
          unknownFieldHint: "an override may set replicas, image, environment, deploy, x-scaling, x-route, x-health, x-expose",
        }),
      );
    } else {
      overrides = r.data;
      for (const env of Object.keys(overrides)) {
        if (environments.length && !environments.includes(env)) {
          problems.push({ file, path: `services.${name}.x-environments.${env}`, value: env, message: `is not an environment; known: ${environments.join(", ")}` });
        }
      }
    }
  }
  if (problems.length) return { problems };
  return { parsed: { file, name, doc: doc as Json, overrides }, problems };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Problems the Compose Specification schema finds, one per field. */
function schemaCheck(file: string, doc: Json, note: string): DescriptorProblem[] {
  const validate = validateComposeSchema as unknown as ((d: unknown) => boolean) & { errors?: AjvError[] | null };
  if (validate(doc)) return [];
  const errors = validate.errors ?? [];
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    const segments = e.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const p = e.keyword === "additionalProperties" ? [...segments, String(e.params.additionalProperty)] : segments;
    const key = p.join(".");
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const out: DescriptorProblem[] = [];
  for (const [p, errs] of byPath) {
    // A field under a path that already failed a oneOf is noise from the other branch.
    if ([...byPath.keys()].some((other) => other !== p && p.startsWith(`${other}.`) && byPath.get(other)!.some((e) => e.keyword === "oneOf"))) continue;
    const value = valueAt(doc, p === "" ? [] : p.split("."));
    const extra = errs.find((e) => e.keyword === "additionalProperties");
    let message: string;
    if (extra) message = "is not a field of the Compose Specification";
    else if (errs.some((e) => e.keyword === "oneOf" || e.keyword === "type")) {
      const types = [...new Set(errs.filter((e) => e.keyword === "type").map((e) => String(e.params.type)))];
      message = types.length ? `must be ${types.join(" or ")} (Compose Specification)` : "does not match any form the Compose Specification allows";
    } else message = `${errs.map((e) => e.message).join("; ")} (Compose Specification)`;
    out.push({ file, path: p, value, message: message + note });
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = deepMerge(base[k], v);
  return out;
}

function envAsDict(v: unknown): Json {
  if (!Array.isArray(v)) return (v ?? {}) as Json;
  return Object.fromEntries(v.map((s: string) => (s.includes("=") ? [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)] : [s, null])));
}

/** The document with one environment's override merged into its service. */
function applyOverride(doc: Json, name: string, env: string, o: XEnvironmentOverride): Json {
  const svc = { ...((doc.services as Json)[name] as Json) };
  if (o.image !== undefined) svc.image = o.image;
  if (o.environment !== undefined) svc.environment = { ...envAsDict(svc.environment), ...envAsDict(o.environment) };
  if (o.deploy !== undefined) svc.deploy = deepMerge(svc.deploy ?? {}, o.deploy);
  if (o.replicas !== undefined) svc.deploy = { ...((svc.deploy ?? {}) as Json), replicas: o.replicas };
  const rawOverride = (((doc.services as Json)[name] as Json)["x-environments"] as Json)[env] as Json;
  for (const key of ["x-scaling", "x-route", "x-health"] as const) {
    // Merge the raw (unparsed) values so the merged document is validated exactly as written.
    const patch = rawOverride[key];
    if (patch !== undefined) svc[key] = deepMerge(svc[key] ?? {}, patch);
  }
  if (o["x-expose"] !== undefined) svc["x-expose"] = o["x-expose"];
  return { ...doc, services: { [name]: svc } };
}

function routeConflicts(services: readonly ServiceDescriptor[]): DescriptorProblem[] {
  const seen = new Map<string, ServiceDescriptor>();
  const out: DescriptorProblem[] = [];
  for (const s of services) {
    if (!s.route) continue;
    const key = `${s.route.host ?? "*"} ${s.route.pathPrefix}`;
    const first = seen.get(key);
    if (first) {
      out.push({
        file: s.file,
        path: `services.${s.name}.x-route.path`,
        value: s.route.pathPrefix,
        message: `is already routed to ${first.name} (${first.file})${s.route.host ? ` on host ${s.route.host}` : ""}: every route must be unique`,
      });
    } else seen.set(key, s);
  }
  return out;
}

/**
 * `x-calls` against the environment's services: each callee must be another service of the
 * environment with a port, and a port given must be that port. Returns the services with their
 * calls resolved (callee and port), sorted by callee.
 */
function resolveCalls(services: readonly ServiceDescriptor[], parsed: readonly ParsedFile[]): { services: ServiceDescriptor[]; problems: DescriptorProblem[] } {
  const problems: DescriptorProblem[] = [];
  const byName = new Map(services.map((s) => [s.name, s]));
  const known = parsed.map((p) => p.name);
  const docOf = new Map(parsed.map((p) => [p.name, p.doc]));
  const out = services.map((s) => {
    const raw = (((docOf.get(s.name)?.services ?? {}) as Json)[s.name] as Json | undefined)?.["x-calls"];
    if (raw === undefined) return s;
    const r = xCallsSchema.safeParse(raw);
    if (!r.success) return s; // reported by mapService
    const calls: { service: string; port: number }[] = [];
    r.data.forEach((entry, i): void => {
      const m = CALL.exec(entry)!;
      const [name, port] = [m[1], m[3] === undefined ? undefined : Number(m[3])];
      const problem = (message: string): void => void problems.push({ file: s.file, path: `services.${s.name}.x-calls.${i}`, value: entry, message });
      if (name === s.name) return problem("is this service itself: a service calls itself without the platform (localhost)");
      const callee = byName.get(name);
      if (!callee) {
        if (!known.includes(name)) problem(`calls no service of the environment; services: ${known.filter((k) => k !== s.name).join(", ") || "none"}`);
        return; // a callee that failed validation is reported on its own
      }
      if (callee.port === undefined) return problem(`calls ${name}, which has no port (${callee.file}): give it one under ports, e.g. ["8080"]`);
      if (port !== undefined && port !== callee.port) return problem(`calls port ${port} of ${name}, which exposes only port ${callee.port} (${callee.file})`);
      calls.push({ service: name, port: callee.port });
    });
    return { ...s, calls: calls.sort((a, b) => (a.service < b.service ? -1 : 1)) };
  });
  return { services: out, problems };
}

function dedupe(problems: readonly DescriptorProblem[]): DescriptorProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.file}\0${p.path}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
