import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  LocalFolderObjectStorage,
  SIDECAR_SUFFIX,
} from "../../../shared/adapters/local/local-folder-object-storage.js";
import { LocalLinkKey } from "../../../shared/adapters/local/local-link-key.js";
import { isGw3cxError } from "../../../shared/errors.js";

const mode = (path: string) => statSync(path).mode & 0o777;
const freshRoot = () => join(mkdtempSync(join(tmpdir(), "gw3cx-folder-")), "storage");

describe("LocalFolderObjectStorage", () => {
  it("keeps folders 0700 and files 0600, whatever the umask", async () => {
    const root = freshRoot();
    const previous = process.umask(0o000);
    try {
      await new LocalFolderObjectStorage({ root }).write("recordings/2026/a.wav", "x", {
        metadata: { k: "v" },
      });
    } finally {
      process.umask(previous);
    }
    expect(mode(root)).toBe(0o700);
    expect(mode(join(root, "recordings"))).toBe(0o700);
    expect(mode(join(root, "recordings/2026"))).toBe(0o700);
    expect(mode(join(root, "recordings/2026/a.wav"))).toBe(0o600);
    expect(mode(join(root, `recordings/2026/a.wav${SIDECAR_SUFFIX}`))).toBe(0o600);
  });

  it("keeps metadata in a sidecar the list never shows, and leaves no temporary file behind", async () => {
    const root = freshRoot();
    const storage = new LocalFolderObjectStorage({ root });
    await storage.write("voicemails/v.wav", "x", { contentType: "audio/wav", metadata: { user: "1002" } });
    await storage.write("voicemails/v.wav", "again", { contentType: "audio/wav" });
    await storage.write("voicemails/v.wav", "no", { ifAbsent: true }).catch(() => undefined);
    expect(readdirSync(join(root, "voicemails")).sort()).toEqual(["v.wav", `v.wav${SIDECAR_SUFFIX}`]);
    expect(JSON.parse(readFileSync(join(root, `voicemails/v.wav${SIDECAR_SUFFIX}`), "utf8"))).toEqual({
      contentType: "audio/wav",
      metadata: {},
    });
    expect((await storage.list("")).map((o) => o.path)).toEqual(["voicemails/v.wav"]);
    expect(readdirSync(join(root, ".gw3cx-tmp"))).toEqual([]);
  });

  it("treats a file dropped into the folder by hand as an object without metadata", async () => {
    const root = freshRoot();
    const storage = new LocalFolderObjectStorage({ root });
    await storage.write("recordings/keep.txt", "k");
    writeFileSync(join(root, "recordings/dropped.wav"), "RIFF....");
    expect(await storage.stat("recordings/dropped.wav")).toMatchObject({ size: 8, metadata: {} });
    expect((await storage.list("recordings/")).map((o) => o.path)).toEqual([
      "recordings/dropped.wav",
      "recordings/keep.txt",
    ]);
  });

  it("refuses the folder's own reserved names, naming the path", async () => {
    const storage = new LocalFolderObjectStorage({ root: freshRoot() });
    for (const path of [".gw3cx-tmp/x", `a/b.wav${SIDECAR_SUFFIX}`]) {
      const error = await storage.write(path, "x").catch((e: unknown) => e);
      expect(isGw3cxError(error, "STORAGE_INVALID_PATH")).toBe(true);
      expect((error as Error).message).toContain(path);
    }
  });

  it("makes links only once the link host's address is known", async () => {
    let base: string | undefined;
    const storage = new LocalFolderObjectStorage({
      root: freshRoot(),
      links: { key: LocalLinkKey.ephemeral(), baseUrl: () => base },
    });
    await storage.write("mail-attachments/a.bin", "x");
    const refused = await storage.signedReadUrl("mail-attachments/a.bin", 60).catch((e: unknown) => e);
    expect(isGw3cxError(refused, "STORAGE_UNAVAILABLE")).toBe(true);
    base = "http://127.0.0.1:4000";
    expect(await storage.signedReadUrl("mail-attachments/a.bin", 60)).toMatch(
      /^http:\/\/127\.0\.0\.1:4000\/storage\/mail-attachments\/a\.bin\?expires=\d+&signature=[\w-]+$/,
    );
  });
});

describe("LocalLinkKey", () => {
  it("is made once per install, 0600, and verifies its own links until they expire", () => {
    const file = join(mkdtempSync(join(tmpdir(), "gw3cx-key-")), ".gw3cx", "storage-link.key");
    const key = LocalLinkKey.loadOrCreate(file);
    expect(mode(file)).toBe(0o600);
    const again = LocalLinkKey.loadOrCreate(file);
    const now = new Date("2026-11-27T12:00:00Z");
    const expires = now.getTime() / 1000 + 60;
    const signature = key.sign("a/b.pdf", expires);
    expect(again.verify("a/b.pdf", expires, signature, now)).toBe(true);
    expect(again.verify("a/c.pdf", expires, signature, now)).toBe(false);
    expect(again.verify("a/b.pdf", expires + 1, signature, now)).toBe(false);
    expect(again.verify("a/b.pdf", expires, signature, new Date(expires * 1000))).toBe(false);
    expect(LocalLinkKey.ephemeral().verify("a/b.pdf", expires, signature, now)).toBe(false);
  });
});
