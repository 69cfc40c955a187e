import * as fs from "fs";
import * as path from "path";
import { AllocationRecord, EMPTY_RECORD, assertExtends, formatRecord, parseRecord } from "./listener-rules";
import { projectRoot } from "../../lib/project-root";

/**
 * The listener-rule allocation records: one committed JSON file per environment
 * (`environments/edge-routes/<env>.json`). Synthesis only reads them; `main.ts` extends a record
 * after a successful synth that added routes (never changing an existing entry), and
 * `--check-allocations` fails instead when a synth would change one (the pull-request workflow runs
 * it, so a record that was not committed with the routes that extended it fails review).
 */

/** Directory (from the project root) of the committed listener-rule allocation records. */
export const ALLOCATION_DIR = "environments/edge-routes";

/** A record file: its absolute path and how messages name it (relative to the project). */
export interface AllocationFile {
  readonly path: string;
  readonly displayName: string;
}

/** The record file of an environment. */
export function allocationFile(envName: string, root: string = projectRoot()): AllocationFile {
  const displayName = `${ALLOCATION_DIR}/${envName}.json`;
  return { path: path.join(root, displayName), displayName };
}

/** The record in `file` (empty when the file does not exist yet). */
export function readAllocationRecord(file: AllocationFile): AllocationRecord {
  return fs.existsSync(file.path) ? parseRecord(fs.readFileSync(file.path, "utf8"), file.displayName) : EMPTY_RECORD;
}

/** Writes `record` to `file` atomically, refusing anything that changes an existing entry. */
export function writeAllocationRecord(file: AllocationFile, record: AllocationRecord): void {
  assertExtends(readAllocationRecord(file), record, file.displayName);
  fs.mkdirSync(path.dirname(file.path), { recursive: true });
  const tmp = `${file.path}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, formatRecord(record));
  fs.renameSync(tmp, file.path);
}
