/**
 * The AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`). Known from config, so ARNs built
 * with it (managed policies, hosted zones) are plain strings Terraform can validate at plan time;
 * a `aws_partition` data source would be unknown until apply.
 */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
