import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { isGw3cxError } from "../../../shared/errors.js";
import type { ObjectStorage } from "../../../shared/ports/object-storage.js";

export interface ObjectStorageUnderTest {
  name: string;
  /** A fresh, empty storage for each test. */
  open: () => Promise<ObjectStorage>;
  /** Fetches a signed read link as a mail reader's browser would: status and body. */
  follow: (url: string) => Promise<{ status: number; body: Buffer }>;
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isGw3cxError(error) ? error.code : error;
}

/** The link with one character of its signature changed (whatever the parameter is called). */
function withAlteredSignature(url: string): string {
  const parsed = new URL(url);
  const name = [...parsed.searchParams.keys()].find((key) => /signature/i.test(key));
  const signature = name ? (parsed.searchParams.get(name) ?? "") : "";
  if (!name || signature.length < 2) throw new Error(`no signature in ${url}`);
  const at = Math.floor(signature.length / 2);
  const changed = signature[at] === "a" ? "b" : "a";
  parsed.searchParams.set(name, `${signature.slice(0, at)}${changed}${signature.slice(at + 1)}`);
  return parsed.toString();
}

/** The behaviour every ObjectStorage adapter must have; run against each adapter. */
export function describeObjectStorageContract(subject: ObjectStorageUnderTest): void {
  describe(`ObjectStorage contract: ${subject.name}`, () => {
    it("writes and reads back bytes, content type and metadata; stat says the size", async () => {
      const storage = await subject.open();
      const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
      const written = await storage.write("recordings/2026/call é 1.wav", bytes, {
        contentType: "audio/wav",
        metadata: { extension: "1002", caller: "+4930123" },
      });
      expect(written).toMatchObject({ path: "recordings/2026/call é 1.wav", size: bytes.length });
      expect(await storage.read("recordings/2026/call é 1.wav")).toEqual(bytes);
      const stat = await storage.stat("recordings/2026/call é 1.wav");
      expect(stat).toMatchObject({
        path: "recordings/2026/call é 1.wav",
        size: bytes.length,
        contentType: "audio/wav",
        metadata: { extension: "1002", caller: "+4930123" },
      });
      expect(stat?.updated).toBeInstanceOf(Date);
      expect(await storage.read("recordings/2026/call é 1.wav")).toEqual(bytes);
    });

    it("streams an object, and refuses a stream of a missing one before any byte", async () => {
      const storage = await subject.open();
      const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      bytes.write("head", 0);
      await storage.write("voicemails/long.wav", bytes);
      const streamed = await buffer(await storage.openReadStream("voicemails/long.wav"));
      // Buffer.equals: a deep toEqual over 3 MB compares byte by byte in JavaScript and takes a minute.
      expect(streamed.length).toBe(bytes.length);
      expect(streamed.equals(bytes)).toBe(true);
      expect(await codeOf(storage.openReadStream("voicemails/absent.wav"))).toBe("STORAGE_NOT_FOUND");
    });

    it("stat is undefined and read is STORAGE_NOT_FOUND for an absent object", async () => {
      const storage = await subject.open();
      expect(await storage.stat("recordings/none.wav")).toBeUndefined();
      expect(await codeOf(storage.read("recordings/none.wav"))).toBe("STORAGE_NOT_FOUND");
    });

    it("overwrites by default, with the new metadata replacing the old", async () => {
      const storage = await subject.open();
      await storage.write("transcripts/a.txt", "first", { contentType: "text/plain", metadata: { v: "1" } });
      await storage.write("transcripts/a.txt", "second, longer");
      expect((await storage.read("transcripts/a.txt")).toString()).toBe("second, longer");
      const stat = await storage.stat("transcripts/a.txt");
      expect(stat?.size).toBe("second, longer".length);
      expect(stat?.metadata).toEqual({});
    });

    it("ifAbsent: the second writer gets STORAGE_OBJECT_EXISTS and the first write stays", async () => {
      const storage = await subject.open();
      await storage.write("transcripts/b.json", "{}", { ifAbsent: true });
      expect(await codeOf(storage.write("transcripts/b.json", "other", { ifAbsent: true }))).toBe(
        "STORAGE_OBJECT_EXISTS",
      );
      expect((await storage.read("transcripts/b.json")).toString()).toBe("{}");
    });

    it("ifAbsent: of many concurrent writers exactly one wins", async () => {
      const storage = await subject.open();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => storage.write("race/one.txt", `writer ${i}`, { ifAbsent: true })),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const lost of results.filter((r) => r.status === "rejected")) {
        expect(isGw3cxError((lost as PromiseRejectedResult).reason, "STORAGE_OBJECT_EXISTS")).toBe(true);
      }
      const content = (await storage.read("race/one.txt")).toString();
      expect(content).toMatch(/^writer \d$/);
    });

    it("lists by plain prefix, sorted by path, across folders", async () => {
      const storage = await subject.open();
      for (const path of [
        "recordings/b.wav",
        "recordings/a/2.wav",
        "recordings/a/1.wav",
        "recordingsX.wav",
        "voicemails/v.wav",
      ]) {
        await storage.write(path, path);
      }
      expect((await storage.list("recordings/")).map((o) => o.path)).toEqual([
        "recordings/a/1.wav",
        "recordings/a/2.wav",
        "recordings/b.wav",
      ]);
      expect((await storage.list("recordings")).map((o) => o.path)).toEqual([
        "recordings/a/1.wav",
        "recordings/a/2.wav",
        "recordings/b.wav",
        "recordingsX.wav",
      ]);
      expect((await storage.list("recordings/a/")).map((o) => o.size)).toEqual([18, 18]);
      expect(await storage.list("faxes/")).toEqual([]);
    });

    it("refuses paths that are empty, absolute, or have an empty, . or .. segment, naming the path", async () => {
      const storage = await subject.open();
      for (const path of ["", "/etc/passwd", "a//b", "a/../b", "../outside", "a/./b", "trailing/"]) {
        const error = await storage.write(path, "x").then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isGw3cxError(error, "STORAGE_INVALID_PATH"), `path ${JSON.stringify(path)}`).toBe(true);
        expect((error as Error).message).toContain(JSON.stringify(path));
      }
    });

    it("makes a read link that serves the bytes, and refuses a tampered one", async () => {
      const storage = await subject.open();
      const bytes = Buffer.from("the attachment");
      await storage.write("mail-attachments/x/report.pdf", bytes, { contentType: "application/pdf" });
      const url = await storage.signedReadUrl("mail-attachments/x/report.pdf", 3600);
      const fetched = await subject.follow(url);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(bytes);
      const tampered = withAlteredSignature(url);
      expect(tampered).not.toBe(url);
      expect((await subject.follow(tampered)).status).toBeGreaterThanOrEqual(400);
      expect(await codeOf(storage.signedReadUrl("mail-attachments/none.pdf", 60))).toBe("STORAGE_NOT_FOUND");
    });
  });
}
