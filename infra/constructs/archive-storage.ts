import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { Construct } from "constructs";

export interface ArchiveStorageProps {
  projectId: string;
  region: string;
}

/**
 * The bucket 3CX archives to (chats/, faxes/, recordings/, voicemails/, backups/) and where
 * transcripts are written: private by construction (uniform access, public access prevented).
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
      forceDestroy: false,
      labels: { app: "gw3cx" },
    });
  }
}
