import { z } from "zod";
import { isNetworkAddress, parseCidr } from "../modules/network/cidr";

/**
 * A config field holding a CIDR that may reach something from outside (SSH to the bastions, the
 * EKS API): `openProblem` is the rule's own predicate (e.g. no `/0`), checked first; then the
 * value must be an IPv4 block written as its network address.
 */
export function allowedCidr(openProblem: (cidr: string) => string | undefined) {
  return z.string().superRefine((v, ctx) => {
    const open = openProblem(v);
    if (open) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: open });
      return;
    }
    const c = parseCidr(v);
    if (!c) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be an IPv4 CIDR block like 203.0.113.0/24" });
    else if (!isNetworkAddress(c)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "has host bits set: use the network address of the block" });
  });
}
