import { execSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import { executableIdentity, memoizeBinaryVersionChecks, recordedAnswer, VersionCheck } from "../app/binary-version";
import { tmpDir } from "./helpers";

// cdktf runs the version command through child_process.execSync: answer it here, and count the calls.
jest.mock("child_process", () => ({ ...jest.requireActual<object>("child_process"), execSync: jest.fn(() => Buffer.from("Terraform v1.0.9\non linux_amd64\n")) }));
const exec = execSync as jest.Mock;

/** A directory holding an executable named `terraform` (never run: it only has to be found). */
function fakeTerraform(): { dir: string; binary: string } {
  const dir = tmpDir("bin");
  const binary = path.join(dir, "terraform");
  fs.writeFileSync(binary, "#!/bin/sh\necho Terraform v1.11.4\n", { mode: 0o755 });
  return { dir, binary };
}

describe("Terraform version checks once per process (app/binary-version.ts)", () => {
  test("the same check on several stacks runs `terraform version` once and gives each the same answer; another constraint is checked on its own", () => {
    memoizeBinaryVersionChecks(tmpDir("versions"));
    const cloud = () => new ValidateTerraformVersion(">=1.1", "The cloud block needs Terraform >=1.1.");
    const first = cloud().validate();
    expect(first).toEqual(["terraform version 1.0.9 is lower than the required version >=1.1 for this construct. The cloud block needs Terraform >=1.1."]);
    expect(cloud().validate()).toEqual(first);
    expect(exec).toHaveBeenCalledTimes(1);
    expect(new ValidateTerraformVersion(">=1.5", "moved blocks").validate()).toHaveLength(1);
    expect(exec).toHaveBeenCalledTimes(2);
  });
});

const path0 = process.env.PATH;
afterEach(() => {
  process.env.PATH = path0;
});

describe("a passed check is recorded across processes, keyed by the binary", () => {
  const check: VersionCheck = { binary: "terraform", versionConstraint: ">=1.1", versionCommand: "terraform version", hint: "cloud" };

  test("the next process reads the record instead of running the command; another constraint runs it", () => {
    const { dir } = fakeTerraform();
    process.env.PATH = `${dir}${path.delimiter}${path0}`;
    const cache = tmpDir("versions");
    const compute = jest.fn(() => []);
    expect(recordedAnswer(check, cache, compute)).toEqual([]);
    expect(recordedAnswer(check, cache, compute)).toEqual([]);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(fs.readdirSync(cache)).toHaveLength(1);
    recordedAnswer({ ...check, versionConstraint: ">=1.5" }, cache, compute);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  test("a binary replaced in place, or another binary first on PATH, runs the check again", () => {
    const { dir, binary } = fakeTerraform();
    process.env.PATH = `${dir}${path.delimiter}${path0}`;
    const cache = tmpDir("versions");
    const compute = jest.fn(() => []);
    recordedAnswer(check, cache, compute);
    // an upgrade: new content, new size and time
    fs.writeFileSync(binary, "#!/bin/sh\necho Terraform v1.12.0 # upgraded\n");
    fs.utimesSync(binary, new Date(), new Date(Date.now() + 5000));
    recordedAnswer(check, cache, compute);
    expect(compute).toHaveBeenCalledTimes(2);
    const other = fakeTerraform();
    process.env.PATH = `${other.dir}${path.delimiter}${dir}${path.delimiter}${path0}`;
    recordedAnswer(check, cache, compute);
    expect(compute).toHaveBeenCalledTimes(3);
    expect(executableIdentity("terraform version")).toContain(other.binary);
  });

  test("a failed check is never recorded, and nothing is recorded when the binary is not on PATH", () => {
    const { dir } = fakeTerraform();
    process.env.PATH = `${dir}${path.delimiter}${path0}`;
    const cache = tmpDir("versions");
    const failing = jest.fn(() => ["terraform version 1.0.9 is lower than the required version >=1.1 for this construct. cloud"]);
    expect(recordedAnswer(check, cache, failing)).toHaveLength(1);
    expect(recordedAnswer(check, cache, failing)).toHaveLength(1);
    expect(failing).toHaveBeenCalledTimes(2);
    expect(fs.readdirSync(cache)).toEqual([]);
    process.env.PATH = tmpDir("empty-path");
    expect(executableIdentity("terraform version")).toBeUndefined();
    const compute = jest.fn(() => []);
    recordedAnswer(check, cache, compute);
    recordedAnswer(check, cache, compute);
    expect(compute).toHaveBeenCalledTimes(2);
    expect(executableIdentity("terraform version; rm -rf /")).toBeUndefined();
  });
});

describe("HARBOR_BINARY_VERSION_CACHE=0", () => {
  test("turns the record off: a passed check runs the command in every process and writes nothing", () => {
    const cache = tmpDir("versions");
    const run = () =>
      jest.isolateModules(() => {
        // a fresh process: fresh modules, fresh in-process answers
        /* eslint-disable @typescript-eslint/no-require-imports */
        const { memoizeBinaryVersionChecks: install } = require("../app/binary-version") as typeof import("../app/binary-version");
        const { ValidateTerraformVersion: Check } = require("cdktf/lib/validations/validate-terraform-version") as typeof import("cdktf/lib/validations/validate-terraform-version");
        /* eslint-enable @typescript-eslint/no-require-imports */
        install(cache);
        expect(new Check(">=1.0", "any").validate()).toEqual([]);
      });
    process.env.PATH = `${fakeTerraform().dir}${path.delimiter}${path0}`;
    process.env.HARBOR_BINARY_VERSION_CACHE = "0";
    try {
      exec.mockClear();
      run();
      run();
      expect(exec).toHaveBeenCalledTimes(2);
      expect(fs.readdirSync(cache)).toEqual([]);
    } finally {
      delete process.env.HARBOR_BINARY_VERSION_CACHE;
    }
    // and on again: the second fresh process reads what the first recorded
    exec.mockClear();
    run();
    run();
    expect(exec).toHaveBeenCalledTimes(1);
    expect(fs.readdirSync(cache)).toHaveLength(1);
  });
});
