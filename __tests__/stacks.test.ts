import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { App } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Environment } from "../environments/schema";
import { EnvironmentStack } from "../stacks/environment-stack";
import { NetworkStack } from "../stacks/network-stack";
import type { NetworkRef } from "../stacks/contracts";
import { envInput, Json, tmpDir, validated } from "./helpers";

/** A stand-in for the later layers: reads the network's contract through cross-stack references. */
class ConsumerStack extends EnvironmentStack {
  constructor(scope: Construct, env: Environment, network: NetworkRef) {
    super(scope, env, "consumer");
    new SecurityGroup(this, "probe", {
      name: this.name("probe"),
      vpcId: network.vpcId,
      description: `in ${network.privateSubnetIds["us-east-1a"]} (${network.partition})`,
    });
  }
}

function synthWithConsumer(env: Environment): { network: Json; consumer: Json } {
  const outdir = tmpDir("xstack");
  const app = new App({ outdir, stackTraces: false });
  const network = new NetworkStack(app, env);
  new ConsumerStack(app, env, network);
  app.synth();
  const read = (s: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8")) as Json;
  return { network: read(`${env.name}-network`), consumer: read(`${env.name}-consumer`) };
}

describe("cross-stack wiring and backends", () => {
  test("local backend: relative state path, and the reader uses the same path", () => {
    const [env] = validated(envInput());
    const { network, consumer } = synthWithConsumer(env);
    expect(network.terraform.backend).toEqual({ local: { path: "../../../state/test-network.tfstate" } });
    const remote = consumer.data.terraform_remote_state["cross-stack-reference-input-test-network"];
    expect(remote).toMatchObject({ backend: "local", config: { path: "../../../state/test-network.tfstate" } });
    const sg = Object.values(consumer.resource.aws_security_group)[0] as Json;
    expect(sg.vpc_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-test-network\.outputs\.cross-stack-output-aws_vpcnetwork_vpc_[0-9A-F]+id\}$/);
    const outputName = /outputs\.([^}]+)\}/.exec(sg.vpc_id as string)![1];
    expect(network.output[outputName].value).toMatch(/^\$\{aws_vpc\.network_vpc_[0-9A-F]+\.id\}$/);
  });

  test("s3 backend: encrypted, S3-native locking, key per stack; readers use the same bucket and key", () => {
    const [env] = validated(envInput({ backend: { kind: "s3", bucket: "acme-tf-state", region: "us-west-2" } }));
    const { network, consumer } = synthWithConsumer(env);
    expect(network.terraform.backend.s3).toEqual({ bucket: "acme-tf-state", key: "harbor/test-network.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true });
    expect(consumer.data.terraform_remote_state["cross-stack-reference-input-test-network"]).toMatchObject({
      backend: "s3",
      config: { bucket: "acme-tf-state", key: "harbor/test-network.tfstate", region: "us-west-2" },
    });
  });

  test("cloud backend: one named workspace per stack, <project>-<stack>", () => {
    const [env] = validated(envInput({ backend: { kind: "cloud", organization: "acme" } }));
    const { network, consumer } = synthWithConsumer(env);
    expect(network.terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "harbor-test-network" } });
    expect(consumer.data.terraform_remote_state["cross-stack-reference-input-test-network"]).toMatchObject({
      backend: "remote",
      config: { organization: "acme", workspaces: { name: "harbor-test-network" } },
    });
  });

  test("the partition comes from the region in config: no aws_partition data source, readers get it as a literal, ARNs in a GovCloud region say aws-us-gov", () => {
    const [env] = validated(envInput());
    const { network, consumer } = synthWithConsumer(env);
    expect(network.data.aws_partition).toBeUndefined();
    const sg = Object.values(consumer.resource.aws_security_group)[0] as Json;
    expect(sg.description).toMatch(/ \(aws\)$/);
    const [gov] = validated(envInput({ region: "us-gov-west-1", azs: ["us-gov-west-1a", "us-gov-west-1b"] } as never));
    const govNetwork = synthWithConsumer(gov).network;
    const keyPolicies = Object.values(govNetwork.resource.aws_kms_key as Record<string, Json>).map((k) => JSON.parse(k.policy as string) as Json);
    expect(keyPolicies.length).toBeGreaterThan(0);
    for (const p of keyPolicies) expect(p.Statement[0].Principal.AWS).toMatch(/^arn:aws-us-gov:iam::\$\{data\.aws_caller_identity\.account\.account_id\}:root$/);
  });
});
