import { execSync } from "child_process";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import { memoizeBinaryVersionChecks } from "../app/binary-version";

// cdktf runs the version command through child_process.execSync: answer it here, and count the calls.
jest.mock("child_process", () => ({ ...jest.requireActual<object>("child_process"), execSync: jest.fn(() => Buffer.from("Terraform v1.0.9\non linux_amd64\n")) }));
const exec = execSync as jest.Mock;

describe("Terraform version checks once per process (app/binary-version.ts)", () => {
  test("the same check on several stacks runs `terraform version` once and gives each the same answer; another constraint is checked on its own", () => {
    memoizeBinaryVersionChecks();
    const cloud = () => new ValidateTerraformVersion(">=1.1", "The cloud block needs Terraform >=1.1.");
    const first = cloud().validate();
    expect(first).toEqual(["terraform version 1.0.9 is lower than the required version >=1.1 for this construct. The cloud block needs Terraform >=1.1."]);
    expect(cloud().validate()).toEqual(first);
    expect(exec).toHaveBeenCalledTimes(1);
    expect(new ValidateTerraformVersion(">=1.5", "moved blocks").validate()).toHaveLength(1);
    expect(exec).toHaveBeenCalledTimes(2);
  });
});
