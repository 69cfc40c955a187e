import { Construct } from "constructs";
import { Token } from "cdktf";
import { customerManagedKey } from "../kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** `email` or `https`, from the endpoint's shape; undefined when it is neither. */
export function subscriptionProtocol(endpoint: string): "email" | "https" | undefined {
  if (EMAIL.test(endpoint)) return "email";
  if (/^https:\/\//i.test(endpoint)) {
    try {
      const u = new URL(endpoint);
      return u.protocol === "https:" && u.hostname.includes(".") ? "https" : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface AlarmTopicProps {
  /** Prefix of physical names, `<project>-<env>`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
  /**
   * Email addresses and HTTPS URLs to subscribe; the protocol follows from the shape. Email
   * subscriptions stay pending until the recipient confirms. @default none
   */
  readonly subscriptions?: readonly string[];
  /** Days before a scheduled deletion of the topic's KMS key completes. @default 30 */
  readonly keyDeletionWindowDays?: number;
}

/**
 * The environment's alarm topic: an SNS topic encrypted with its own customer-managed KMS key
 * (the AWS-managed `alias/aws/sns` key cannot be used by CloudWatch alarms), a topic policy that
 * lets CloudWatch alarms of this account publish and refuses publishing without TLS, and the
 * email/HTTPS subscriptions from config.
 */
export class AlarmTopic extends Construct {
  public readonly topicArn: string;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const subs = props.subscriptions ?? [];
    const seen = new Map<string, string>();
    for (const endpoint of subs) {
      if (Token.isUnresolved(endpoint)) throw new Error(`AlarmTopic: subscriptions must be literal email addresses or HTTPS URLs (they become resource addresses), got a token`);
      if (!subscriptionProtocol(endpoint)) {
        throw new Error(`AlarmTopic: subscriptions must be email addresses or HTTPS URLs, got ${JSON.stringify(endpoint)}: use ops@example.com or https://hooks.example.com/...`);
      }
      const key = subscriptionKey(endpoint);
      if (seen.has(key)) throw new Error(`AlarmTopic: subscriptions lists ${JSON.stringify(endpoint)} twice (or as ${JSON.stringify(seen.get(key))}): list each endpoint once`);
      seen.set(key, endpoint);
    }
    const key = customerManagedKey(this, {
      description: `${props.namePrefix} alarm topic encryption`,
      alias: `${props.namePrefix}-alarms`,
      accountId: props.accountId,
      partition: props.partition,
      deletionWindowDays: props.keyDeletionWindowDays,
      statements: [
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        },
      ],
    });

    const topic = new SnsTopic(this, "topic", {
      name: `${props.namePrefix}-alarms`,
      displayName: `${props.namePrefix} alarms`,
      kmsMasterKeyId: key.arn,
    });
    new SnsTopicPolicy(this, "policy", {
      arn: topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountOwner",
            Effect: "Allow",
            Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
            Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
            Resource: topic.arn,
          },
          {
            Sid: "CloudWatchAlarms",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
          },
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
    for (const [k, endpoint] of seen) {
      new SnsTopicSubscription(this, k, {
        topicArn: topic.arn,
        protocol: subscriptionProtocol(endpoint)!,
        endpoint,
        // HTTPS endpoints confirm by visiting the SubscribeURL AWS posts to them.
        endpointAutoConfirms: false,
      });
    }
    this.topicArn = topic.arn;
    this.keyArn = key.arn;
  }
}

/** Stable construct id of a subscription: protocol plus the endpoint with punctuation as hyphens. */
export function subscriptionKey(endpoint: string): string {
  const protocol = subscriptionProtocol(endpoint) ?? "other";
  const body = endpoint
    .replace(/^https:\/\//i, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${protocol}-${body}`.slice(0, 80);
}
