/** Which Amazon Linux 2023 image a bastion instance type runs (no dependencies: the config schema uses it too). */

/** Instance type shape, e.g. t4g.micro, m7i.large. */
export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** AWS Graviton (arm64) families: a1, or a generation digit followed by `g` (t4g, m7gd, c6gn, im4gn, g5g). */
export function isArm64InstanceType(instanceType: string): boolean {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+g[a-z]*$/.test(family);
}

/** CPU architecture of an instance type, which picks the Amazon Linux 2023 image. */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
  return isArm64InstanceType(instanceType) ? "arm64" : "x86_64";
}

/**
 * The SSM public parameter holding the latest Amazon Linux 2023 AMI id for an architecture
 * (published by AWS in every region; no AMI id is ever hard-coded).
 */
export function al2023AmiParameter(architecture: "arm64" | "x86_64"): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}
