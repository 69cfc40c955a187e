import Module = require("module");

/**
 * cdktf loads `archiver` (and its dependency tree) at start-up for asset bundling, which this
 * project never uses: about 60 ms of every synth. This puts a stand-in into the module cache that
 * loads the real `archiver` on first use, so behaviour is unchanged and the cost is only paid by a
 * program that packages an asset. Must run before the first `require("cdktf")`.
 */
export function deferArchiver(): void {
  let cdktfDir: string;
  let archiverPath: string;
  try {
    cdktfDir = require.resolve("cdktf");
    archiverPath = require.resolve("archiver", { paths: [cdktfDir] });
  } catch {
    return; // layout changed: nothing to defer, cdktf loads archiver itself
  }
  if (require.cache[archiverPath]) return;
  let real: Record<string | symbol, unknown> | undefined;
  const load = () => {
    if (!real) {
      delete require.cache[archiverPath];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require(archiverPath) as Record<string | symbol, unknown>;
    }
    return real;
  };
  const stand = new Module(archiverPath);
  stand.filename = archiverPath;
  stand.loaded = true;
  const target = function archiver(this: unknown, ...args: unknown[]) {
    return (load() as unknown as (...a: unknown[]) => unknown)(...args);
  };
  stand.exports = new Proxy(target, { get: (_t, prop) => load()[prop] });
  require.cache[archiverPath] = stand;
}
