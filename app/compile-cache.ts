import * as crypto from "crypto";
import * as fs from "fs";
import Module = require("module");
import * as path from "path";
import * as vm from "vm";

/**
 * A V8 code cache for the app: a synth loads about 470 JavaScript files (14 MB, most of it
 * @cdktf/provider-aws classes), and compiling them is a fifth of an `--env dev` synth. Node 22 has
 * this built in (`module.enableCompileCache`); Node 20, which this project supports, does not, so
 * this does the same with `vm.Script`'s `cachedData`. main.ts installs it before anything else
 * loads.
 *
 * Each file's entry is named by a hash of the Node version, the file's path and its content, so an
 * edited file (in dist/ or node_modules/) is never run from an old entry: it gets a new one. V8
 * checks each entry again (its version and flags) and rejects one that does not fit; a rejected or
 * unreadable entry only means the file is compiled as usual. Entries are written when the process
 * exits (after the run, so they hold the functions the run compiled), each atomically (parallel
 * synths share the cache), under node_modules/.cache/harbor-compile/ (gone with node_modules;
 * emptied when it passes MAX_ENTRIES). HARBOR_COMPILE_CACHE=0 turns it off.
 *
 * Only the module wrapper differs from Node's own loader: `require`, `require.resolve`,
 * `require.main` and `require.cache` are Node's, and dynamic `import()` uses the default loader.
 */
const MAX_ENTRIES = 5000;
export const DEFAULT_COMPILE_CACHE_DIR = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "harbor-compile");

interface LoaderModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}
interface LoaderInternals {
  prototype: LoaderModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: LoaderModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: LoaderModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}
const Loader = Module as unknown as LoaderInternals;

export interface CompileCacheStats {
  /** Files run from a cache entry. */
  readonly hits: number;
  /** Files compiled (no entry, or V8 rejected it); their entries are written at exit. */
  readonly misses: number;
}

let stats: { hits: number; misses: number } | undefined;

/** Installs the cache for every CommonJS module loaded after this call (once per process). */
export function installCompileCache(dir = DEFAULT_COMPILE_CACHE_DIR): CompileCacheStats {
  if (stats) return stats;
  stats = { hits: 0, misses: 0 };
  if (process.env.HARBOR_COMPILE_CACHE === "0") return stats;
  const counters = stats;
  const pending: [vm.Script, string][] = [];
  const original = Loader.prototype._compile;
  Loader.prototype._compile = function compileWithCache(this: LoaderModule, content: string, filename: string) {
    // A hashbang cannot follow the wrapper; such files (CLI entry points) load as usual.
    if (content.startsWith("#!")) return original.call(this, content, filename);
    const file = path.join(dir, crypto.createHash("sha1").update(`${process.version}\0${filename}\0`).update(content).digest("hex"));
    const cachedData = readOrUndefined(file);
    const script = new vm.Script(Loader.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData && !script.cachedDataRejected) counters.hits++;
    else {
      counters.misses++;
      pending.push([script, file]);
    }
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, makeRequire(this), this, filename, path.dirname(filename));
  };
  process.once("exit", () => writeEntries(dir, pending));
  return stats;
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeEntries(dir: string, pending: readonly [vm.Script, string][]): void {
  if (!pending.length) return;
  try {
    let count = 0;
    try {
      count = fs.readdirSync(dir).length;
    } catch {
      count = 0;
    }
    if (count + pending.length > MAX_ENTRIES) fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const [script, file] of pending) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, file);
    }
  } catch {
    // A cache that cannot be written costs the next run its compile time, nothing else.
  }
}

/** The `require` a module's code receives, as Node builds it. */
function makeRequire(mod: LoaderModule): NodeJS.Require {
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => Loader._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => Loader._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  req.main = process.mainModule;
  req.extensions = Loader._extensions as NodeJS.Require["extensions"];
  req.cache = Loader._cache as NodeJS.Require["cache"];
  return req;
}
