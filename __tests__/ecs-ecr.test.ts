import { globalSchema } from "../environments/global-schema";
import { envInput, FIXTURE_GLOBAL_INPUT, ofType, resources, validated } from "./helpers";
import { synthWithServices } from "./fixtures/services/synth";

describe("ECR repositories in the global stack", () => {
  // GIVEN the fixture services (front, keyed, worker) WHEN the app is synthesized
  const out = synthWithServices(validated(envInput({ name: "small", vpc: { cidr: "10.10.0.0/16" }, edge: { enabled: false } } as never)));
  const g = out.stack("global");

  test("one repository per service, keyed by service name", () => {
    const r = resources(g);
    expect(ofType(g, "aws_ecr_repository").map((x) => x.name).sort()).toEqual(["harbor/front", "harbor/keyed", "harbor/worker"]);
    const addresses = [...r.keys()].filter((k) => k.startsWith("aws_ecr_repository.")).map((k) => k.replace(/_[0-9A-F]{8}$/, ""));
    expect(addresses.sort()).toEqual(["aws_ecr_repository.ecr_front", "aws_ecr_repository.ecr_keyed", "aws_ecr_repository.ecr_worker"]);
  });

  test("immutable tags, scan on push, KMS encryption with a rotated customer key, protected", () => {
    // The ECR key (the global stack's other key, in us-east-1, encrypts the DNS query logs).
    const key = ofType(g, "aws_kms_key").filter((k) => k["//"].metadata.path.startsWith("global/ecr/"));
    expect(key).toHaveLength(1);
    expect(key[0].enable_key_rotation).toBe(true);
    for (const repo of ofType(g, "aws_ecr_repository")) {
      expect(repo.image_tag_mutability).toBe("IMMUTABLE");
      expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(repo.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/) }]);
      expect(repo.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test("a lifecycle policy keeps the newest N images (N from ecr.keepImages)", () => {
    const policies = ofType(g, "aws_ecr_lifecycle_policy");
    expect(policies).toHaveLength(3);
    const rules = JSON.parse(policies[0].policy).rules;
    expect(rules[1]).toMatchObject({ selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 }, action: { type: "expire" } });
    expect(rules[0]).toMatchObject({ selection: { tagStatus: "untagged", countType: "sinceImagePushed", countNumber: 7 } });
  });

  test("ecr.keepImages is validated", () => {
    const r = globalSchema.safeParse({ ...FIXTURE_GLOBAL_INPUT, ecr: { keepImages: 0 } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ["ecr", "keepImages"], message: "must be 1 to 1000 (how many of the newest images each repository keeps)" });
    const u = globalSchema.safeParse({ ...FIXTURE_GLOBAL_INPUT, ecr: { untaggedExpiryDays: 400 } });
    expect(u.error!.issues[0]).toMatchObject({ path: ["ecr", "untaggedExpiryDays"], message: "must be 1 to 365 days" });
    const x = globalSchema.safeParse({ ...FIXTURE_GLOBAL_INPUT, ecr: { keep: 3 } });
    expect(x.error!.issues[0]).toMatchObject({ code: "unrecognized_keys", path: ["ecr"] });
  });
});
