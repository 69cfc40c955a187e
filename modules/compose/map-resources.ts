import type { Resources } from "./descriptor";
import type { Json, Report } from "./map-context";

/** The service's `deploy.resources`: CPU and memory limits and reservations, and the byte and CPU value parsers. */

const MEMORY = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i;

/** MiB in a Compose byte value (`512m`, `1g`, `1.5gb`, `1048576`), or undefined. */
export function parseMemoryMiB(v: unknown): number | undefined {
  const m = MEMORY.exec(String(v).trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? "b").toLowerCase();
  const bytes = unit === "g" ? n * 1024 ** 3 : unit === "m" ? n * 1024 ** 2 : unit === "k" ? n * 1024 : n;
  return bytes / 1024 ** 2;
}

/** CPU units (1024 = one CPU) in a Compose `cpus` value (`0.5`, `"1.5"`), or undefined. */
export function parseCpuUnits(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1024) : undefined;
}

/** Memory a service needs per CPU unit at least (2 GiB per vCPU, the smallest ratio Fargate and common node sizes allow). */
export const MIN_MIB_PER_CPU_UNIT = 2;
/** Defaults when the descriptor gives no resources. */
export const DEFAULT_RESOURCES = { cpu: 256, memoryMiB: 512 } as const;

/** Requests and limits: CPU units from reservations (else limits), memory from limits (else reservations), enough memory per CPU. */
export function mapResources(res: Json, path: (string | number)[], report: Report): Resources | undefined {
  const limits = (res.limits ?? {}) as Json;
  const reservations = (res.reservations ?? {}) as Json;
  let ok = true;
  for (const [group, o] of [["limits", limits], ["reservations", reservations]] as const) {
    for (const k of Object.keys(o)) {
      if (k !== "cpus" && k !== "memory" && !k.startsWith("x-")) {
        report([...path, group, k], o[k], "is not supported by the generator (only cpus and memory)");
        ok = false;
      }
    }
  }
  for (const k of Object.keys(res)) {
    if (k !== "limits" && k !== "reservations" && !k.startsWith("x-")) {
      report([...path, k], res[k], "is not supported by the generator");
      ok = false;
    }
  }
  const cpu = (group: string, v: unknown) => {
    if (v === undefined) return undefined;
    const u = parseCpuUnits(v);
    if (u === undefined || u < 128 || u > 16384) {
      report([...path, group, "cpus"], v, "must be a number of CPUs from 0.125 to 16");
      ok = false;
    }
    return u;
  };
  const mem = (group: string, v: unknown) => {
    if (v === undefined) return undefined;
    const m = parseMemoryMiB(v);
    if (m === undefined || m < 6 || !Number.isInteger(m)) {
      report([...path, group, "memory"], v, "must be a whole number of MiB of at least 6, written like 512m or 1g");
      ok = false;
      return undefined;
    }
    return m;
  };
  const cpuLimit = cpu("limits", limits.cpus);
  const cpuReservation = cpu("reservations", reservations.cpus);
  const memLimit = mem("limits", limits.memory);
  const memReservation = mem("reservations", reservations.memory);
  if (!ok) return undefined;
  if (cpuLimit !== undefined && cpuReservation !== undefined && cpuReservation > cpuLimit) {
    report([...path, "reservations", "cpus"], reservations.cpus, `must not exceed limits.cpus (${limits.cpus})`);
    return undefined;
  }
  if (memLimit !== undefined && memReservation !== undefined && memReservation > memLimit) {
    report([...path, "reservations", "memory"], reservations.memory, `must not exceed limits.memory (${limits.memory})`);
    return undefined;
  }
  const cpuUnits = cpuReservation ?? cpuLimit ?? DEFAULT_RESOURCES.cpu;
  const memoryMiB = memLimit ?? memReservation ?? DEFAULT_RESOURCES.memoryMiB;
  const needed = cpuUnits * MIN_MIB_PER_CPU_UNIT;
  if (memoryMiB < needed) {
    const field = memLimit !== undefined ? "limits" : memReservation !== undefined ? "reservations" : "limits";
    report([...path, field, "memory"], memLimit !== undefined ? limits.memory : reservations.memory, `is ${memoryMiB} MiB, below what ${cpuUnits / 1024} CPU needs: give at least ${needed} MiB (${MIN_MIB_PER_CPU_UNIT * 1024} MiB per CPU)`);
    return undefined;
  }
  return { cpu: cpuUnits, cpuLimit, memoryMiB, memoryReservationMiB: memLimit !== undefined ? memReservation : undefined };
}
