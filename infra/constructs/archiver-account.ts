import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import type { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { Construct } from "constructs";
import { ARCHIVER_ACCOUNT_ID, ARCHIVER_SECRET_ID } from "../../shared/domain/storage/archiver-key.js";

export interface ArchiverAccountProps {
  projectId: string;
  bucket: StorageBucket;
}

/**
 * What 3CX's remote archiving needs, and nothing more: a dedicated account with object rights on
 * the archive bucket alone, and the secret its key is kept in. The key itself is never made here:
 * `gw3cx storage apply` makes it as the operator, so it never enters Terraform state.
 *
 * objectAdmin rather than objectCreator + objectViewer: 3CX rotates its backups (deleting the
 * oldest) and may write a file again under the same name, and Cloud Storage treats an overwrite
 * as a delete; without delete rights both fail.
 */
export class ArchiverAccount extends Construct {
  readonly account: ServiceAccount;
  readonly secret: SecretManagerSecret;

  constructor(scope: Construct, id: string, props: ArchiverAccountProps) {
    super(scope, id);
    this.account = new ServiceAccount(this, "account", {
      project: props.projectId,
      accountId: ARCHIVER_ACCOUNT_ID,
      displayName: "gw3cx archiver (3CX remote storage to the archive bucket; its key lives in 3CX)",
    });
    new StorageBucketIamMember(this, "bucket-objects", {
      bucket: props.bucket.name,
      role: "roles/storage.objectAdmin",
      member: `serviceAccount:${this.account.email}`,
    });
    this.secret = new SecretManagerSecret(this, "key-secret", {
      secretId: ARCHIVER_SECRET_ID,
      replication: { auto: {} },
      labels: { app: "gw3cx" },
    });
  }
}
