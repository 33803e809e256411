import {
  StorageBucket,
  type StorageBucketLifecycleRule,
} from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { Construct } from "constructs";
import type { ArchiveType } from "../../shared/config/schema.js";
import { LINKED_ATTACHMENTS_PREFIX } from "../../shared/usecases/mail/attachment-links.js";
import type { FunctionServiceAccount } from "./function-service-account.js";

export interface ArchiveStorageProps {
  projectId: string;
  region: string;
  /** storage.retentionDays: days an object is kept under each folder; a folder left out is kept. */
  retentionDays?: Partial<Record<ArchiveType, number>>;
  /** mail.linkExpiryHours: attachments behind mail links are deleted the day after their links lapse. */
  linkExpiryHours?: number;
}

/**
 * The bucket 3CX archives to (chats/, faxes/, recordings/, voicemails/, backups/), where transcripts
 * are written and where mail attachments over 25 MB wait behind their links: private by
 * construction (uniform access, public access prevented), one version per object (versioning
 * off: a deleted recording is gone), and a delete rule per folder from the retention settings.
 */
export class ArchiveStorage extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: ArchiveStorageProps) {
    super(scope, id);
    this.bucket = new StorageBucket(this, "bucket", {
      name: `${props.projectId}-gw3cx-archive`,
      location: props.region.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: false },
      lifecycleRule: lifecycleRules(props),
      forceDestroy: false,
      labels: { app: "gw3cx" },
    });
  }

  get name(): string {
    return this.bucket.name;
  }

  /**
   * Lets a function keep mail attachments here and sign links to them: create objects (never
   * replace or delete: its writes are ifAbsent) and read them, on this bucket alone. The links are
   * signed through IAM signBlob as the function's own account, which needs token creator on itself
   * (FunctionServiceAccount's signsJwtAsItself).
   */
  allowAttachmentLinks(account: FunctionServiceAccount, id: string): void {
    for (const [suffix, role] of [
      ["creates", "roles/storage.objectCreator"],
      ["reads", "roles/storage.objectViewer"],
    ] as const) {
      new StorageBucketIamMember(this, `${id}-${suffix}`, {
        bucket: this.bucket.name,
        role,
        member: account.member,
      });
    }
  }
}

function lifecycleRules(props: ArchiveStorageProps): StorageBucketLifecycleRule[] {
  const rules: StorageBucketLifecycleRule[] = Object.entries(props.retentionDays ?? {})
    .filter((entry): entry is [ArchiveType, number] => entry[1] !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([folder, days]) => ({
      action: { type: "Delete" },
      condition: { age: days, matchesPrefix: [`${folder}/`] },
    }));
  const linkDays = Math.ceil((props.linkExpiryHours ?? 168) / 24) + 1;
  rules.push({
    action: { type: "Delete" },
    condition: { age: linkDays, matchesPrefix: [LINKED_ATTACHMENTS_PREFIX] },
  });
  return rules;
}
