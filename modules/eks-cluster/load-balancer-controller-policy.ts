import type { PolicyStatement } from "./pod-identity-role";

/**
 * The IAM policy the AWS Load Balancer Controller documents for itself
 * (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json at commit 225f445,
 * 2026-08-17), statement for statement, with the partition filled in and a Sid per statement.
 * Kept as documented rather than trimmed to TargetGroupBinding use, so that upgrading the
 * controller is a diff against the upstream file. Note `RegisterTargets`: the target groups are
 * Terraform's (no controller tag), which this statement allows on any target group.
 */
export function loadBalancerControllerPolicy(partition: string): PolicyStatement[] {
  return [
  {
    "Sid": "CreateElbServiceLinkedRole",
    "Effect": "Allow",
    "Action": [
      "iam:CreateServiceLinkedRole"
    ],
    "Resource": "*",
    "Condition": {
      "StringEquals": {
        "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"
      }
    }
  },
  {
    "Sid": "Describe",
    "Effect": "Allow",
    "Action": [
      "ec2:DescribeAccountAttributes",
      "ec2:DescribeAddresses",
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeVpcs",
      "ec2:DescribeVpcPeeringConnections",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeInstances",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeTags",
      "ec2:GetCoipPoolUsage",
      "ec2:DescribeCoipPools",
      "ec2:GetSecurityGroupsForVpc",
      "ec2:DescribeIpamPools",
      "ec2:DescribeRouteTables",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeListenerCertificates",
      "elasticloadbalancing:DescribeSSLPolicies",
      "elasticloadbalancing:DescribeRules",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetGroupAttributes",
      "elasticloadbalancing:DescribeTargetHealth",
      "elasticloadbalancing:DescribeTags",
      "elasticloadbalancing:DescribeTrustStores",
      "elasticloadbalancing:DescribeListenerAttributes",
      "elasticloadbalancing:DescribeCapacityReservation"
    ],
    "Resource": "*"
  },
  {
    "Sid": "CertificatesWafShield",
    "Effect": "Allow",
    "Action": [
      "cognito-idp:DescribeUserPoolClient",
      "acm:ListCertificates",
      "acm:DescribeCertificate",
      "iam:ListServerCertificates",
      "iam:GetServerCertificate",
      "waf-regional:GetWebACL",
      "waf-regional:GetWebACLForResource",
      "waf-regional:AssociateWebACL",
      "waf-regional:DisassociateWebACL",
      "wafv2:GetWebACL",
      "wafv2:GetWebACLForResource",
      "wafv2:AssociateWebACL",
      "wafv2:DisassociateWebACL",
      "shield:GetSubscriptionState",
      "shield:DescribeProtection",
      "shield:CreateProtection",
      "shield:DeleteProtection"
    ],
    "Resource": "*"
  },
  {
    "Sid": "SecurityGroupIngress",
    "Effect": "Allow",
    "Action": [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress"
    ],
    "Resource": "*"
  },
  {
    "Sid": "CreateSecurityGroup",
    "Effect": "Allow",
    "Action": [
      "ec2:CreateSecurityGroup"
    ],
    "Resource": "*"
  },
  {
    "Sid": "TagNewSecurityGroup",
    "Effect": "Allow",
    "Action": [
      "ec2:CreateTags"
    ],
    "Resource": `arn:${partition}:ec2:*:*:security-group/*`,
    "Condition": {
      "StringEquals": {
        "ec2:CreateAction": "CreateSecurityGroup"
      },
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "false"
      }
    }
  },
  {
    "Sid": "TagOwnSecurityGroups",
    "Effect": "Allow",
    "Action": [
      "ec2:CreateTags",
      "ec2:DeleteTags"
    ],
    "Resource": `arn:${partition}:ec2:*:*:security-group/*`,
    "Condition": {
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "true",
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"
      }
    }
  },
  {
    "Sid": "ManageOwnSecurityGroups",
    "Effect": "Allow",
    "Action": [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:DeleteSecurityGroup"
    ],
    "Resource": "*",
    "Condition": {
      "Null": {
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"
      }
    }
  },
  {
    "Sid": "CreateTaggedLoadBalancers",
    "Effect": "Allow",
    "Action": [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup"
    ],
    "Resource": "*",
    "Condition": {
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "false"
      }
    }
  },
  {
    "Sid": "ListenersAndRules",
    "Effect": "Allow",
    "Action": [
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:DeleteRule"
    ],
    "Resource": "*"
  },
  {
    "Sid": "TagOwnLoadBalancers",
    "Effect": "Allow",
    "Action": [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags"
    ],
    "Resource": [
      `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
      `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
      `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/app/*/*`
    ],
    "Condition": {
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "true",
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"
      }
    }
  },
  {
    "Sid": "TagListenersAndRules",
    "Effect": "Allow",
    "Action": [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags"
    ],
    "Resource": [
      `arn:${partition}:elasticloadbalancing:*:*:listener/net/*/*/*`,
      `arn:${partition}:elasticloadbalancing:*:*:listener/app/*/*/*`,
      `arn:${partition}:elasticloadbalancing:*:*:listener-rule/net/*/*/*`,
      `arn:${partition}:elasticloadbalancing:*:*:listener-rule/app/*/*/*`
    ]
  },
  {
    "Sid": "ModifyOwnLoadBalancers",
    "Effect": "Allow",
    "Action": [
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:ModifyCapacityReservation",
      "elasticloadbalancing:ModifyIpPools"
    ],
    "Resource": "*",
    "Condition": {
      "Null": {
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"
      }
    }
  },
  {
    "Sid": "TagOnCreate",
    "Effect": "Allow",
    "Action": [
      "elasticloadbalancing:AddTags"
    ],
    "Resource": [
      `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
      `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
      `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/app/*/*`
    ],
    "Condition": {
      "StringEquals": {
        "elasticloadbalancing:CreateAction": [
          "CreateTargetGroup",
          "CreateLoadBalancer"
        ]
      },
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "false"
      }
    }
  },
  {
    "Sid": "RegisterTargets",
    "Effect": "Allow",
    "Action": [
      "elasticloadbalancing:RegisterTargets",
      "elasticloadbalancing:DeregisterTargets"
    ],
    "Resource": `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`
  },
  {
    "Sid": "ListenerSettings",
    "Effect": "Allow",
    "Action": [
      "elasticloadbalancing:SetWebAcl",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:AddListenerCertificates",
      "elasticloadbalancing:RemoveListenerCertificates",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:SetRulePriorities"
    ],
    "Resource": "*"
  }
];
}
