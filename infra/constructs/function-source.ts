import { existsSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object/index.js";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";

export interface FunctionSourcesProps {
  projectId: string;
  region: string;
  /** A missing or incomplete artifact fails the synth instead of being referenced by path. */
  requireBuilt: boolean;
}

/** What `npm run build` writes into each artifact folder; the cloud build needs all of it. */
const ARTIFACT_FILES = ["index.mjs", "package.json", "package-lock.json"];

/**
 * The private bucket Cloud Build reads function sources from, and one zip object per function.
 *
 * A source is the folder `npm run build` writes (dist/functions/NAME/: index.mjs, package.json,
 * package-lock.json), zipped by cdktf at synth, or a ready zip. `npx cdktf synth` builds first and
 * requires every artifact; without `requireBuilt` (unit tests of the stack's shape) a missing source is
 * referenced by its absolute path. The function deploys the exact object generation, so a changed
 * source redeploys it.
 */
export class FunctionSources extends Construct {
  readonly bucket: StorageBucket;

  private readonly requireBuilt: boolean;

  constructor(scope: Construct, id: string, props: FunctionSourcesProps) {
    super(scope, id);
    this.requireBuilt = props.requireBuilt;
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
    if (this.requireBuilt) {
      const missing = isDir ? ARTIFACT_FILES.filter((f) => !existsSync(join(path, f))) : [];
      if (!exists || missing.length > 0)
        throw new Error(
          `function artifact ${path} is ${exists ? `missing ${missing.join(", ")}` : "not built"}: run \`npm run build\` (npx cdktf synth runs it first)`,
        );
    }
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
