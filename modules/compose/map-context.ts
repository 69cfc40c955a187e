/** The shapes every step of the Compose-service mapping (map.ts) shares. */

/** A parsed YAML mapping. */
export type Json = Record<string, unknown>;

/** A problem path: Compose keys and list indexes. */
export type Path = (string | number)[];

/** Records one problem at `path` (joined with dots), about `value`. */
export type Report = (path: readonly (string | number)[], value: unknown, message: string) => void;

/** The service being mapped and where its problems go: what the per-field steps take. */
export interface ServiceContext {
  /** The service's mapping in the Compose file. */
  readonly svc: Json;
  /** The path of a field under this service (`services.<name>.<p...>`). */
  readonly at: (...p: (string | number)[]) => Path;
  readonly report: Report;
}
