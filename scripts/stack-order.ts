import * as fs from "fs";
import * as path from "path";

/**
 * `node dist/scripts/stack-order.js [outdir] [--reverse]`: prints the synthesized stacks one per
 * line in dependency order (every stack after the stacks it reads), from cdktf.out/manifest.json.
 * `--reverse` gives destroy order. Used by the deploy workflow.
 */
export function stackOrder(dependencies: Readonly<Record<string, readonly string[]>>): string[] {
  const remaining = new Map(Object.entries(dependencies).map(([s, d]) => [s, new Set(d)]));
  const order: string[] = [];
  while (remaining.size) {
    const ready = [...remaining].filter(([, deps]) => [...deps].every((d) => !remaining.has(d))).map(([s]) => s).sort();
    if (!ready.length) throw new Error(`dependency cycle among ${[...remaining.keys()].join(", ")}`);
    for (const s of ready) {
      order.push(s);
      remaining.delete(s);
    }
  }
  return order;
}

export function manifestDependencies(outdir: string): Record<string, string[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies?: string[] }> };
  return Object.fromEntries(Object.entries(manifest.stacks).map(([s, e]) => [s, e.dependencies ?? []]));
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outdir = args.find((a) => !a.startsWith("--")) ?? "cdktf.out";
  try {
    const order = stackOrder(manifestDependencies(outdir));
    process.stdout.write(`${(args.includes("--reverse") ? order.reverse() : order).join("\n")}\n`);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
