import { Construct } from "constructs";
import { Token } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { policyDocument } from "../iam/policy";

/** One IAM policy statement, written as AWS expects it (PascalCase keys). */
export type PolicyStatement = Record<string, unknown>;

export interface LogBucketProps {
  /** Bucket name (globally unique, 3-63 characters). */
  readonly bucketName: string;
  /** Days after which log objects expire. */
  readonly expirationDays: number;
  /**
   * Object ownership. Log deliveries that still write ACLs (CloudFront standard logging) need
   * `BucketOwnerPreferred`; everything else uses `BucketOwnerEnforced` (ACLs disabled).
   * @default "BucketOwnerEnforced"
   */
  readonly objectOwnership?: "BucketOwnerEnforced" | "BucketOwnerPreferred";
  /** Statements that let a log delivery service write (added to the TLS-only deny). @default none */
  readonly deliveryStatements?: (bucketArn: string) => PolicyStatement[];
  /** Protect the bucket from `terraform destroy` (`prevent_destroy`) and from deletion with objects in it. @default false */
  readonly protect?: boolean;
}

/**
 * An S3 bucket for logs: SSE-S3 encryption (the one every AWS log delivery supports, ALB access
 * logs included), all public access blocked, versioning, a policy that denies non-TLS requests
 * and allows only the given delivery principals, and expiry of old logs.
 */
export class LogBucket extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** The bucket's regional domain name (what CloudFront logging wants). */
  public readonly bucketDomainName: string;
  /** The policy resource: depend on it before pointing a log delivery at the bucket. */
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.bucketName) && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      throw new Error(`LogBucket: bucketName must be a valid S3 bucket name (3-63 lowercase characters), got ${JSON.stringify(props.bucketName)}`);
    }
    if (!Number.isInteger(props.expirationDays) || props.expirationDays < 1) {
      throw new Error(`LogBucket: expirationDays must be a whole number of days >= 1, got ${props.expirationDays}`);
    }
    const protect = props.protect ?? false;
    const bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: !protect,
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: props.objectOwnership ?? "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    const statements: PolicyStatement[] = [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket.arn, `${bucket.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      ...(props.deliveryStatements?.(bucket.arn) ?? []),
    ];
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      policy: policyDocument(statements),
    });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.bucketDomainName = bucket.bucketRegionalDomainName;
  }
}
