import { z } from "zod";
import { publicKeyProblem } from "../../modules/bastion/public-key";
import { INSTANCE_TYPE } from "../../modules/bastion/image";

/**
 * `bastion`: the jump boxes of an environment, one in each AZ's public subnet (modules/bastion,
 * created in the `<env>-network` stack). Every field has a default, so environments may omit it.
 */

export const bastionSchema = z
  .object({
    /**
     * How people reach the bastions: `ssh` (port 22 from `ssh.allowList`), `ssm` (Session Manager
     * only: no inbound port at all), or `both`.
     * @default "both": the SSH jump box of the allow-list, with Session Manager as the way in from
     * anywhere else (and for SSH over Session Manager without opening 22).
     */
    access: z.enum(["ssh", "ssm", "both"]).default("both"),
    /**
     * Run bastions at all. Without them, Session Manager still reaches any instance with the SSM
     * agent and role (container hosts, EKS nodes, a NAT instance); cheap sandboxes do that.
     * @default true
     */
    enabled: z.boolean().default(true),
    /**
     * EC2 instance type. Graviton types (t4g, m7g, ...) get the arm64 Amazon Linux 2023 image.
     * @default "t4g.micro": the cheapest type with 1 GiB, which dnf updates need (nano's 0.5 GiB is not enough)
     */
    instanceType: z.string().regex(INSTANCE_TYPE, "must be an EC2 instance type such as t4g.micro or t3.micro").default("t4g.micro"),
    /** One-minute CloudWatch metrics (paid) instead of five-minute ones. @default false */
    detailedMonitoring: z.boolean().default(false),
    /**
     * OpenSSH public key (one `.pub` line: ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of
     * 2048+ bits) imported as the bastions' EC2 key pair. A private key is rejected (not echoed).
     * @default none: no key pair (log in with Session Manager, or EC2 Instance Connect)
     */
    publicKey: z
      .string()
      .superRefine((v, ctx) => {
        const problem = publicKeyProblem(v);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      })
      .optional(),
  })
  .strict()
  .default({});

export type BastionConfig = z.output<typeof bastionSchema>;

/** True when the bastions accept SSH on port 22 from the allow-list. */
export function bastionAllowsSsh(access: BastionConfig["access"]): boolean {
  return access !== "ssm";
}

/** Cross-field rules of the bastion config: ssh access needs a non-empty allow-list. */
export function refineBastion(env: { bastion: BastionConfig; ssh: { allowList: string[] } }, ctx: z.RefinementCtx): void {
  if (bastionAllowsSsh(env.bastion.access) && env.ssh.allowList.length === 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["ssh", "allowList"],
      message: `is empty but bastion.access is "${env.bastion.access}", which opens port 22 to the allow-list only, so nobody could connect: list your office or VPN ranges, or set bastion.access: "ssm" (Session Manager only, no inbound port)`,
    });
  }
}
