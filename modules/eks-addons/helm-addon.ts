import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";

/** What every Helm add-on accepts (EKS Blueprints' add-on pattern). */
export interface HelmAddOnProps<V> {
  /** Release name (a DNS label, at most 53 characters). @default the add-on's */
  readonly name?: string;
  /** Namespace of the release; created when missing. @default the add-on's */
  readonly namespace?: string;
  /** Chart name in the repository. @default the add-on's */
  readonly chart?: string;
  /** HTTPS chart repository. @default the add-on's (the project's official repository) */
  readonly repository?: string;
  /** Exact chart version (x.y.z). @default the add-on's pinned version */
  readonly version?: string;
  /** Values merged over the add-on's computed values (deep merge; arrays replace). @default {} */
  readonly values?: DeepPartial<V>;
  /** Releases or resources this one waits for. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** The chart coordinates an add-on class pins. */
export interface ChartDefaults {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
  /**
   * The top-level keys the pinned chart version's values.yaml defines (read from the chart source
   * at that version). A values key outside this list is a typo or a key the chart renamed or
   * dropped, which Helm would ignore silently: the add-on refuses it.
   */
  readonly knownKeys: readonly string[];
}

export type DeepPartial<T> = T extends readonly (infer _U)[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

const RELEASE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, anything else (arrays included) replaces. */
export function mergeValues<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeValues(out[k], v) : v;
  return out as T;
}

/**
 * Shared work of every Helm add-on: merges the caller's props over the add-on's pinned chart
 * coordinates, checks them (release name, HTTPS repository, exact version), and installs one
 * `helm_release` whose values are the typed values object serialized as JSON (valid YAML), atomic
 * with cleanup on failure. A subclass only says what is different: its defaults and its values.
 */
export abstract class HelmAddOn<V extends object> extends Construct {
  public readonly releaseName: string;
  public readonly namespace: string;
  public readonly chart: string;
  public readonly repository: string;
  public readonly version: string;
  /** Top-level values keys the pinned chart version defines. */
  public readonly knownKeys: readonly string[];
  /** The values the release is installed with. */
  public readonly values: V;
  public readonly release: Release;

  protected constructor(scope: Construct, id: string, defaults: ChartDefaults, computed: V, props: HelmAddOnProps<V>) {
    super(scope, id);
    const cls = this.constructor.name;
    this.releaseName = props.name ?? defaults.name;
    this.namespace = props.namespace ?? defaults.namespace;
    this.chart = props.chart ?? defaults.chart;
    this.repository = props.repository ?? defaults.repository;
    this.version = props.version ?? defaults.version;
    if (this.releaseName.length > 53 || !RELEASE_NAME.test(this.releaseName)) {
      throw new Error(`${cls}: name must be a DNS label of at most 53 characters (a Helm limit), got ${this.releaseName}`);
    }
    if (this.namespace.length > 63 || !RELEASE_NAME.test(this.namespace)) throw new Error(`${cls}: namespace must be a DNS label, got ${this.namespace}`);
    if (!/^https:\/\//.test(this.repository)) throw new Error(`${cls}: repository must be an https:// chart repository, got ${this.repository}`);
    if (!EXACT_VERSION.test(this.version)) throw new Error(`${cls}: version must pin an exact chart version (x.y.z), got ${this.version}`);
    this.values = mergeValues(computed, props.values);
    this.knownKeys = defaults.knownKeys;
    const known = new Set(defaults.knownKeys);
    const unknown = Object.keys(this.values).filter((k) => !known.has(k));
    if (unknown.length) {
      throw new Error(`${cls}: values key${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} not defined by chart ${this.chart} ${this.version} (its top-level keys: ${defaults.knownKeys.join(", ")})`);
    }
    this.release = new Release(this, "release", {
      name: this.releaseName,
      namespace: this.namespace,
      createNamespace: true,
      chart: this.chart,
      repository: this.repository,
      version: this.version,
      values: [JSON.stringify(this.values)],
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
      timeout: 900,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
