import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { App } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Environment } from "../environments/schema";
import { EnvironmentStack } from "../stacks/environment-stack";
import { NetworkStack } from "../stacks/network-stack";
import { envInput, Json, tmpDir, validated } from "./helpers";

/** A stand-in for the later layers: reads the network through cross-stack references. */
class ConsumerStack extends EnvironmentStack {
  constructor(scope: Construct, env: Environment, network: NetworkStack) {
    super(scope, env, "consumer");
    new SecurityGroup(this, "probe", {
      name: this.name("probe"),
      vpcId: network.network.vpcId,
      description: `in ${network.network.privateSubnetIds["us-east-1a"]}`,
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
});
