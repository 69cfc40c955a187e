import { Construct } from "constructs";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { customerManagedKey } from "../kms-key";

export interface ServiceRepositoriesProps {
  /** Prefix of repository names and the key alias, e.g. `harbor` (repositories are `<prefix>/<service>`). */
  readonly namePrefix: string;
  /** Service names; one repository each, keyed by name (adding one never renames another). */
  readonly services: readonly string[];
  /** Newest images each repository keeps. @default 30 */
  readonly keepImages?: number;
  /** Days before untagged images expire. @default 7 */
  readonly untaggedExpiryDays?: number;
  /** The deploying account (its root administers the key). */
  readonly accountId: string;
  /** The AWS partition of the registry's region. */
  readonly partition: string;
  /** Keep repositories (and their images) from being destroyed. @default false */
  readonly protect?: boolean;
}

/**
 * One ECR repository per service: immutable tags, scan on push, encrypted with one
 * customer-managed KMS key (rotated yearly), and a lifecycle policy expiring untagged images
 * after a few days and all but the newest N images.
 */
export class ServiceRepositories extends Construct {
  /** Repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<service>`) by service name. */
  public readonly repositoryUrls: ReadonlyMap<string, string>;
  /** Repository ARN by service name. */
  public readonly repositoryArns: ReadonlyMap<string, string>;
  public readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: ServiceRepositoriesProps) {
    super(scope, id);
    const keep = props.keepImages ?? 30;
    const untagged = props.untaggedExpiryDays ?? 7;
    if (!Number.isInteger(keep) || keep < 1 || keep > 1000) throw new Error(`ServiceRepositories: keepImages must be 1 to 1000, got ${keep}`);
    if (!Number.isInteger(untagged) || untagged < 1 || untagged > 365) throw new Error(`ServiceRepositories: untaggedExpiryDays must be 1 to 365, got ${untagged}`);
    const dupes = props.services.filter((s, i) => props.services.indexOf(s) !== i);
    if (dupes.length) throw new Error(`ServiceRepositories: services must be unique, got ${dupes.join(", ")} twice`);

    const key = customerManagedKey(this, {
      description: `${props.namePrefix} container images (ECR)`,
      alias: `${props.namePrefix}-ecr`,
      accountId: props.accountId,
      partition: props.partition,
    });
    this.kmsKeyArn = key.arn;

    const lifecycle = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${untagged} days`,
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untagged },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: `Keep the newest ${keep} images`,
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
          action: { type: "expire" },
        },
      ],
    });
    const urls = new Map<string, string>();
    const arns = new Map<string, string>();
    for (const service of [...props.services].sort()) {
      const repo = new EcrRepository(this, service, {
        name: `${props.namePrefix}/${service}`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.arn }],
        forceDelete: false,
        lifecycle: props.protect ? { preventDestroy: true } : undefined,
      });
      new EcrLifecyclePolicy(this, `${service}-lifecycle`, { repository: repo.name, policy: lifecycle });
      urls.set(service, repo.repositoryUrl);
      arns.set(service, repo.arn);
    }
    this.repositoryUrls = urls;
    this.repositoryArns = arns;
  }
}
