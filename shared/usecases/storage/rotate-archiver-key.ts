import { ARCHIVER_SECRET_ID, archiverAccountEmail } from "../../domain/storage/archiver-key.js";
import { Gw3cxError } from "../../errors.js";
import type { ThreeCx } from "../../ports/threecx.js";
import { archivingPatch } from "./configure-storage.js";
import {
  type ArchiverKeyPorts,
  type InstalledArchiverKey,
  installArchiverKey,
} from "./install-archiver-key.js";

export class StorageNotOursError extends Gw3cxError<"STORAGE_NOT_OURS"> {}

export interface RotateKeyPorts extends ArchiverKeyPorts {
  threecx: Pick<ThreeCx, "getSettings" | "updateSettings">;
}

/**
 * `gw3cx storage rotate-key`: a new key for 3CX, the older ones retired. Only where 3CX archives to
 * gw3cx's bucket: a key written over another location's settings would break them.
 */
export async function rotateArchiverKey(
  ports: RotateKeyPorts,
  config: { projectId: string; bucket: string },
): Promise<InstalledArchiverKey> {
  const current = await ports.threecx.getSettings("RemoteArchivingSettings");
  const location = current.Location ?? {};
  const path = (location.GbPath ?? "").replace(/^gs:\/\//i, "").replace(/\/+$/, "");
  if (location.FileSystemType !== "GoogleBucket" || path !== config.bucket) {
    throw new StorageNotOursError(
      "STORAGE_NOT_OURS",
      `3CX's remote storage is ${location.FileSystemType ?? "not set"}${location.GbPath ? ` (${location.GbPath})` : ""}, not the bucket ${config.bucket}: run \`gw3cx storage apply\` first`,
    );
  }
  const write = { resource: "RemoteArchivingSettings", field: "Location.GbJson" } as const;
  return installArchiverKey(
    ports,
    { accountEmail: archiverAccountEmail(config.projectId), secretId: ARCHIVER_SECRET_ID },
    (keyFile) =>
      ports.threecx.updateSettings(
        "RemoteArchivingSettings",
        archivingPatch(
          current,
          [{ ...write, area: "archiving", current: null, desired: null, write: true, reason: "AS_WANTED" }],
          keyFile,
        ),
      ),
  );
}
