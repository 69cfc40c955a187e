import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DeployTarget, ServiceDescriptor, secretReadStatements } from "../compose";
import { policyDocument, serviceTrustPolicy } from "../iam/policy";

/** What the two roles of one ECS service are built from (resolved by EcsAppService). */
export interface ServiceRolesProps {
  /** The service's physical name, `<project>-<env>-<service>`. */
  readonly name: string;
  readonly service: ServiceDescriptor;
  /** The account, partition and region the service's secrets and log groups are in. */
  readonly deployTarget: DeployTarget;
  /** ARN of the service's own log group. */
  readonly logGroupArn: string;
  /** ARN of the service's ECR repository, when the image comes from one. */
  readonly repositoryArn?: string;
  /** ECS Exec: the cluster's exec log group. @default none */
  readonly exec?: { readonly logGroupName: string };
  readonly logsKeyArn: string;
}

/** The execution role (ECS starting the task) and the task role (the application). */
export interface ServiceRoles {
  readonly execution: IamRole;
  readonly task: IamRole;
}

/**
 * The roles of one ECS service, created in `scope` (the EcsAppService, so their addresses are
 * the service's): the execution role may pull the service's own image, write its logs and read
 * exactly the secrets the descriptor names; the task role may do nothing, or ECS Exec when enabled.
 */
export function serviceRoles(scope: Construct, props: ServiceRolesProps): ServiceRoles {
  const s = props.service;
  const { accountId, partition, region } = props.deployTarget;
  const assume = serviceTrustPolicy("ecs-tasks.amazonaws.com", { condition: { ArnLike: { "aws:SourceArn": `arn:${partition}:ecs:${region}:${accountId}:*` } } });
  // Execution role: what ECS needs to start the task (pull the image, write logs, read the secrets).
  const execution = new IamRole(scope, "execution-role", { name: `${props.name}-execution`.slice(0, 64), description: `ECS task execution: ${s.name}`, assumeRolePolicy: assume });
  new IamRolePolicy(scope, "execution-policy", { name: "task-execution", role: execution.name, policy: policyDocument(executionStatements(props)) });

  // Task role: what the application itself may do. Nothing by default, ECS Exec when enabled.
  const task = new IamRole(scope, "task-role", { name: `${props.name}-task`.slice(0, 64), description: `ECS task: ${s.name}`, assumeRolePolicy: assume });
  if (props.exec) {
    const execLogArn = `arn:${partition}:logs:${region}:${accountId}:log-group:${props.exec.logGroupName}`;
    new IamRolePolicy(scope, "exec-policy", {
      name: "ecs-exec",
      role: task.name,
      policy: policyDocument([
          // Session Manager channels support no resource-level permissions.
          { Sid: "Sessions", Effect: "Allow", Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: "*" },
          { Sid: "DescribeLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
          { Sid: "SessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: `${execLogArn}:*` },
          { Sid: "SessionEncryption", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: props.logsKeyArn },
        ]),
    });
  }
  return { execution, task };
}

/** The execution role's statements: the service's log group, its own ECR repository, its secrets. */
function executionStatements(props: ServiceRolesProps): object[] {
  const statements: object[] = [
    { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${props.logGroupArn}:*` },
  ];
  if (props.repositoryArn) {
    // GetAuthorizationToken has no resource-level permissions.
    statements.push({ Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
    statements.push({ Sid: "PullOwnImage", Effect: "Allow", Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: props.repositoryArn });
  }
  // Secrets named in the descriptor resolve in this account, partition and region; exactly those ARNs.
  statements.push(...secretReadStatements(props.service.secrets, props.deployTarget));
  return statements;
}
