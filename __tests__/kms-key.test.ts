import { Testing, TerraformStack } from "cdktf";
import { customerManagedKey } from "../modules/kms-key";
import { Json, ofType } from "./helpers";

const base = { description: "d", alias: "harbor-dev-x", accountId: "123456789012", partition: "aws" };

function synth(build: (stack: TerraformStack) => void): Json {
  const stack = new TerraformStack(Testing.app(), "t");
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Json;
}

describe("customer-managed keys", () => {
  test("GIVEN service statements THEN a rotating key whose policy lets the root administer it, then those statements, and an alias", () => {
    const s = synth((st) => customerManagedKey(st, { ...base, statements: [{ Sid: "Svc", Effect: "Allow", Principal: { Service: "x.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" }] }));
    const [key] = ofType(s, "aws_kms_key");
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, description: "d" });
    expect(key.lifecycle).toBeUndefined();
    expect(JSON.parse(key.policy).Statement.map((x: Json) => x.Sid)).toEqual(["AccountAdministration", "Svc"]);
    expect(JSON.parse(key.policy).Statement[0].Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(ofType(s, "aws_kms_alias")[0].name).toBe("alias/harbor-dev-x");
    expect(Object.keys(s.resource.aws_kms_key)).toEqual(["key"]);
  });

  test("protect and custom ids", () => {
    const s = synth((st) => customerManagedKey(st, { ...base, protect: true, ids: { key: "secrets-key", alias: "secrets-key-alias" } }));
    expect(s.resource.aws_kms_key["secrets-key"].lifecycle).toEqual({ prevent_destroy: true });
    expect(Object.keys(s.resource.aws_kms_alias)).toEqual(["secrets-key-alias"]);
  });

  test("a deletion window outside 7-30 days is rejected", () => {
    expect(() => synth((st) => customerManagedKey(st, { ...base, deletionWindowDays: 3 }))).toThrow("customerManagedKey harbor-dev-x: deletionWindowDays must be 7 to 30, got 3");
  });

  test("an alias with spaces is rejected", () => {
    expect(() => synth((st) => customerManagedKey(st, { ...base, alias: "bad alias" }))).toThrow('customerManagedKey: alias must be letters, digits, / _ and -, got "bad alias"');
  });
});
