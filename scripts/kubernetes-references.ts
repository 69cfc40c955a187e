import { Json } from "./kubernetes-objects";

/** Resolves `${...}` references to literal values where the synthesized JSON knows them. */
export class Resolver {
  constructor(private readonly stacks: ReadonlyMap<string, Json>) {}

  resolve(stack: string, value: unknown, depth = 0): unknown {
    if (typeof value !== "string" || depth > 8) return value;
    const remote = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([^.]+)\.outputs\.([^}]+)\}$/.exec(value);
    if (remote) {
      const out = this.stacks.get(remote[1])?.output?.[remote[2]]?.value;
      return out === undefined ? value : this.resolve(remote[1], out, depth + 1);
    }
    const local = /^\$\{(kubernetes_[a-z0-9_]+)\.([^.]+)\.metadata\[0\]\.name\}$/.exec(value);
    if (local) {
      const name = this.stacks.get(stack)?.resource?.[local[1]]?.[local[2]]?.metadata?.name;
      return name === undefined ? value : this.resolve(stack, name, depth + 1);
    }
    const data = /^\$\{data\.aws_eks_cluster\.([^.]+)\.name\}$/.exec(value);
    if (data) return this.resolve(stack, this.stacks.get(stack)?.data?.aws_eks_cluster?.[data[1]]?.name, depth + 1);
    return value;
  }

  /** The cluster a stack talks to: its kubernetes provider's cluster, by the stack that creates it. */
  cluster(stack: string): string | undefined {
    const name = this.stacks.get(stack)?.data?.aws_eks_cluster?.cluster?.name;
    if (name === undefined) return undefined;
    const m = /cross-stack-reference-input-([^.]+)\.outputs/.exec(String(name));
    return m ? m[1] : String(this.resolve(stack, name));
  }
}
