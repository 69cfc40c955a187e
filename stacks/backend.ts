import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import { Environment } from "../environments/schema";

/**
 * Directory of local state files, relative to a stack's working directory
 * (`cdktf.out/stacks/<stack>`): `<project root>/state/<stack>.tfstate`. Being relative, the
 * synthesized JSON is identical on every machine, and the state survives a re-synth (which
 * replaces cdktf.out).
 */
export const LOCAL_STATE_DIR = "../../../state";

/** Points a stack's state at the environment's backend. Remote-state readers get the same settings. */
export function configureBackend(stack: TerraformStack, backend: Environment["backend"], project: string, stackName: string): void {
  switch (backend.kind) {
    case "local":
      new LocalBackend(stack, { path: `${LOCAL_STATE_DIR}/${stackName}.tfstate` });
      return;
    case "s3":
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix ?? project}/${stackName}.tfstate`,
        region: backend.region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21 has no typed option for it.
      stack.addOverride("terraform.backend.s3.use_lockfile", true);
      return;
    case "cloud":
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(`${project}-${stackName}`),
      });
      return;
  }
}
