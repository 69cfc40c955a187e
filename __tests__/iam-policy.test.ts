import { ASSUME_WITH_TAGS, policyDocument, serviceTrustPolicy } from "../modules/iam/policy";

describe("IAM policy documents (modules/iam/policy.ts)", () => {
  test("a trust policy names the service, assumes the role, and carries a condition only when given", () => {
    expect(JSON.parse(serviceTrustPolicy("ec2.amazonaws.com"))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const cond = { StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.current.account_id}" } };
    expect(JSON.parse(serviceTrustPolicy("monitoring.rds.amazonaws.com", { condition: cond })).Statement[0].Condition).toEqual(cond);
  });

  test("EKS trust: session tags too, and the statement id first (the key order IAM documents use)", () => {
    const text = serviceTrustPolicy("pods.eks.amazonaws.com", { sid: "EksPodIdentity", actions: ASSUME_WITH_TAGS });
    expect(text).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"EksPodIdentity","Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}',
    );
  });

  test("a document wraps its statements unchanged", () => {
    const statements = [{ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }];
    expect(JSON.parse(policyDocument(statements))).toEqual({ Version: "2012-10-17", Statement: statements });
  });
});
