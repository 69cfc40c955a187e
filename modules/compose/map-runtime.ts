import { parseDuration } from "./extensions";
import type { LoggingSpec } from "./descriptor";
import type { Json, Report } from "./map-context";
import { parseMemoryMiB } from "./map-resources";

/** How the container runs: `logging`, `restart`, `stop_grace_period` and `tmpfs`. */

/** The awslogs options a service may set, and the LoggingSpec field each sets. */
const LOG_OPTIONS: Record<string, keyof LoggingSpec> = {
  mode: "mode",
  "max-buffer-size": "maxBufferSize",
  "awslogs-multiline-pattern": "multilinePattern",
  "awslogs-datetime-format": "datetimeFormat",
};

/** The `logging` section: the awslogs driver only, non-blocking unless the service says otherwise. */
export function mapLogging(logging: Json | undefined, path: (string | number)[], report: Report): LoggingSpec {
  const out: { -readonly [K in keyof LoggingSpec]?: LoggingSpec[K] } = { mode: "non-blocking" };
  if (!logging) return out as LoggingSpec;
  if (logging.driver !== undefined && logging.driver !== "awslogs") {
    report([...path, "driver"], logging.driver, 'must be "awslogs" or left out: the platform ships logs to CloudWatch Logs');
  }
  for (const [k, v] of Object.entries((logging.options ?? {}) as Json)) {
    const field = LOG_OPTIONS[k];
    if (!field) {
      report([...path, "options", k], v, `is not supported (the platform sets the log group, region and stream); supported: ${Object.keys(LOG_OPTIONS).join(", ")}`);
      continue;
    }
    if (field === "mode" && v !== "blocking" && v !== "non-blocking") report([...path, "options", k], v, 'must be "blocking" or "non-blocking"');
    else (out as Record<string, unknown>)[field] = String(v);
  }
  return out as LoggingSpec;
}

/** The platform always replaces stopped containers: only a `restart` policy saying so is accepted. */
export function checkRestart(restart: unknown, path: (string | number)[], report: Report): void {
  if (restart !== undefined && restart !== "always" && restart !== "unless-stopped") {
    report(path, restart, 'cannot be honoured: the platform always replaces stopped containers ("always" or "unless-stopped", or leave it out)');
  }
}

/** `stop_grace_period` in whole seconds (2 s to 120 s), or undefined. */
export function mapStopGracePeriod(value: unknown, path: (string | number)[], report: Report): number | undefined {
  if (value === undefined) return undefined;
  const s = parseDuration(String(value));
  if (s === undefined || !Number.isInteger(s) || s < 2 || s > 120) {
    report(path, value, "must be a duration of whole seconds from 2s to 120s (the platform's most)");
    return undefined;
  }
  return s;
}

/** In-memory scratch mounts: an absolute path, optionally with a size (64 MiB when not given). */
export function mapTmpfs(value: unknown, path: (string | number)[], report: Report): { path: string; sizeMiB: number }[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value.map(String) : [String(value)];
  const out: { path: string; sizeMiB: number }[] = [];
  list.forEach((entry, i) => {
    const m = /^(\/[A-Za-z0-9._\-/]*)(?::size=(\S+))?$/.exec(entry);
    const size = m?.[2] !== undefined ? parseMemoryMiB(m[2]) : 64;
    if (!m || size === undefined || !Number.isInteger(size) || size < 1) {
      report(Array.isArray(value) ? [...path, i] : path, entry, "must be an absolute path, optionally with :size=<n>m (default 64m)");
      return;
    }
    out.push({ path: m[1], sizeMiB: size });
  });
  return out;
}
