import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { GcsObjectStorage } from "../../../shared/adapters/gcs/gcs-object-storage.js";
import { LocalFolderObjectStorage } from "../../../shared/adapters/local/local-folder-object-storage.js";
import { LocalLinkKey } from "../../../shared/adapters/local/local-link-key.js";
import { serveStorageLink } from "../../../shared/runtime/storage-link-route.js";
import { cloudStorageClient, freshBucket } from "../../support/cloud-storage-client.js";
import { MemoryObjectStorage } from "../../support/memory-object-storage.js";
import { standInHost } from "../../support/stand-ins.js";
import { describeObjectStorageContract } from "./object-storage.contract.js";

async function follow(url: string): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(url);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

let memory = new MemoryObjectStorage();
describeObjectStorageContract({
  name: "memory (test double)",
  open: async () => {
    memory = new MemoryObjectStorage();
    return memory;
  },
  follow: async (url) => {
    const body = memory.follow(url);
    return body ? { status: 200, body } : { status: 403, body: Buffer.alloc(0) };
  },
});

// One loopback link host serves the links of the folder the running test opened.
const key = LocalLinkKey.ephemeral();
let current: LocalFolderObjectStorage | undefined;
const linkHost = createServer((req, res) => {
  if (!current) return void res.writeHead(503).end();
  void serveStorageLink(req, res, { storage: current, key, now: () => new Date() });
});
const linkBase = new Promise<string>((resolve) =>
  linkHost.listen(0, "127.0.0.1", () =>
    resolve(`http://127.0.0.1:${(linkHost.address() as AddressInfo).port}`),
  ),
);
afterAll(() => new Promise<void>((resolve) => linkHost.close(() => resolve())));

describeObjectStorageContract({
  name: "local folder",
  open: async () => {
    const base = await linkBase;
    current = new LocalFolderObjectStorage({
      root: join(mkdtempSync(join(tmpdir(), "gw3cx-storage-")), "bucket"),
      links: { key, baseUrl: () => base },
    });
    return current;
  },
  follow,
});

const cloudStorage = standInHost("cloudStorageStandIn");
if (cloudStorage.host && cloudStorage.admin) {
  const { host, admin } = cloudStorage;
  const client = cloudStorageClient(host, admin);
  describeObjectStorageContract({
    name: "Cloud Storage (real client on the Cloud Storage stand-in)",
    open: async () => {
      const storage = await client;
      return new GcsObjectStorage({ bucket: await freshBucket(storage), client: storage });
    },
    follow,
  });
} else {
  describe.skip(`ObjectStorage contract: Cloud Storage (${cloudStorage.skipReason})`, () => {
    it("runs on the Cloud Storage stand-in", () => {});
  });
}
