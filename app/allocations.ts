import type { PlatformApp } from "./app";
import { AllocationFile, allocationFile, writeAllocationRecord } from "../modules/edge/allocation-file";
import { AllocationRecord } from "../modules/edge/listener-rules";

/** A listener-rule record a synth extended: the environment's file and what to write there. */
export interface PendingAllocation {
  readonly env: string;
  readonly file: AllocationFile;
  readonly record: AllocationRecord;
  /** Route keys the synth allocated that the committed record lacks. */
  readonly added: readonly string[];
}

/** The records the built app's edges extended (environments whose routes are all recorded are left out). */
export function pendingAllocations(built: PlatformApp): PendingAllocation[] {
  const out: PendingAllocation[] = [];
  for (const [env, stacks] of built.environments) {
    const a = stacks.edge?.allocation;
    if (a && a.added.length) out.push({ env, file: allocationFile(env), record: a.record, added: a.added });
  }
  return out;
}

/** Persists the extended records (after a successful synth). */
export function writeAllocations(pending: readonly PendingAllocation[]): void {
  for (const p of pending) writeAllocationRecord(p.file, p.record);
}

/** `--check-allocations`: one line per record the synth would change. */
export function allocationCheckProblems(pending: readonly PendingAllocation[]): string[] {
  return pending.map(
    (p) => `${p.file.displayName}: not committed with its routes: this synth would add ${p.added.join(", ")}; run \`npm run synth\` and commit the file`,
  );
}
