/*
 * The synthesis shortcuts of app/stack-resolve.ts change how fast cdktf synthesizes, never what:
 * the same projects synthesized by cdktf as it ships and with the shortcuts are byte-identical.
 * Reads the repository's environments/ (a default-configuration test, for the sandboxes and the
 * services) and the fixture project (shared clusters, guests, cross-stack references).
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { buildApp } from "../app/app";
import { loadProject } from "../app/project";
import { fixtureProject, fixtureProjectSynth, repoProjectSynth, tmpDir, treeHash } from "./helpers";

/** How many times one App.synth calls a resource's toTerraform, and the name it synthesizes to. */
function toTerraformCalls(): { calls: number; name: string } {
  const outdir = tmpDir("shortcut-calls");
  const app = new App({ outdir });
  const producer = new TerraformStack(app, "producer");
  new AwsProvider(producer, "aws", { region: "us-east-1" });
  const topic = new SnsTopic(producer, "topic", { name: "t" });
  const consumer = new TerraformStack(app, "consumer");
  new AwsProvider(consumer, "aws", { region: "us-east-1" });
  const reader = new SnsTopic(consumer, "reader", { name: topic.name });
  let calls = 0;
  const original = reader.toTerraform.bind(reader);
  reader.toTerraform = () => {
    calls++;
    return original();
  };
  app.synth();
  const consumerJson = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "consumer", "cdk.tf.json"), "utf8"));
  return { calls, name: consumerJson.resource.aws_sns_topic.reader.name };
}

describe("synthesis shortcuts", () => {
  // cdktf as it ships: these run before anything in this file installs the shortcuts.
  let plain: { project: string; fixture: string; calls: { calls: number; name: string } };
  beforeAll(() => {
    expect((TerraformStack.prototype as unknown as { __harborPrepared?: boolean }).__harborPrepared).toBeUndefined();
    const project = tmpDir("plain-project");
    buildApp(loadProject(), project, { synthShortcuts: false }).app.synth();
    const fixture = tmpDir("plain-fixture");
    buildApp(fixtureProject(), fixture, { synthShortcuts: false }).app.synth();
    plain = { project: treeHash(project), fixture: treeHash(fixture), calls: toTerraformCalls() };
  });

  test("without them cdktf builds each element's JSON twice (preparing pass, synthesis pass)", () => {
    expect(plain.calls.calls).toBe(2);
    expect(plain.calls.name).toBe("${data.terraform_remote_state.cross-stack-reference-input-producer.outputs.cross-stack-output-aws_sns_topictopicname}");
  });

  test("with them each element's JSON is built once per synth, and a cross-stack reference still resolves", () => {
    buildApp(fixtureProject(), tmpDir("install"));
    expect(toTerraformCalls()).toEqual({ calls: 1, name: plain.calls.name });
  });

  test("the default configuration (environments, sandboxes, services) is byte-identical either way", () => {
    expect(treeHash(repoProjectSynth().outdir)).toBe(plain.project);
  });

  test("the fixture project (shared clusters, guests, every platform) is byte-identical either way", () => {
    expect(treeHash(fixtureProjectSynth().outdir)).toBe(plain.fixture);
  });
});
