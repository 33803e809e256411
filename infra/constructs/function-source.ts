import { existsSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object/index.js";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";

export interface FunctionSourcesProps {
  projectId: string;
  region: string;
}

/**
 * The private bucket Cloud Build reads function sources from, and one zip object per function.
 *
 * A source is the folder `npm run build` writes (dist/functions/NAME/: index.mjs + package.json),
 * zipped by cdktf at synth, or a ready zip. A source that does not exist yet (synth before build,
 * unit tests) is referenced by its absolute path: the synth works and `terraform apply` fails on the
 * missing file until `npm run build` has run. The function deploys the exact object generation, so a
 * changed source redeploys it.
 */
export class FunctionSources extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: FunctionSourcesProps) {
    super(scope, id);
    this.bucket = new StorageBucket(this, "bucket", {
      name: `${props.projectId}-gw3cx-functions`,
      location: props.region.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: true,
      labels: { app: "gw3cx" },
    });
  }

  /** The object for one function's source (a folder to zip, or a .zip). */
  archive(name: string, sourcePath: string): StorageBucketObject {
    const path = resolve(sourcePath);
    const exists = existsSync(path);
    const isDir = exists && statSync(path).isDirectory();
    if (exists) {
      const asset = new TerraformAsset(this, `${name}-asset`, {
        path,
        type: isDir ? AssetType.ARCHIVE : AssetType.FILE,
      });
      return new StorageBucketObject(this, name, {
        bucket: this.bucket.name,
        name: `${name}/${asset.assetHash}.zip`,
        source: asset.path,
        contentType: "application/zip",
      });
    }
    const zip = path.endsWith(".zip") ? path : `${path}.zip`;
    return new StorageBucketObject(this, name, {
      bucket: this.bucket.name,
      name: `${name}/${basename(zip)}`,
      source: zip,
      contentType: "application/zip",
    });
  }
}
