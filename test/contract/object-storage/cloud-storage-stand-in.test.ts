import { createHash, randomBytes } from "node:crypto";
import { PubSub } from "@google-cloud/pubsub";
import type { Storage } from "@google-cloud/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { GcsObjectStorage } from "../../../shared/adapters/gcs/gcs-object-storage.js";
import { isGw3cxError } from "../../../shared/errors.js";
import { cloudStorageClient, freshBucket } from "../../support/cloud-storage-client.js";
import { eventually, standInHost } from "../../support/stand-ins.js";

const cloudStorage = standInHost("cloudStorageStandIn");
const pubsub = standInHost("pubsubStandIn");

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return (error as { code?: number } | undefined)?.code;
}

describe.skipIf(!cloudStorage.host)(
  `Cloud Storage stand-in, driven by @google-cloud/storage ${cloudStorage.skipReason}`,
  () => {
    let storage: Storage;
    beforeAll(async () => {
      storage = await cloudStorageClient(cloudStorage.host as string, cloudStorage.admin as string);
    });

    it("answers 404 for an unknown bucket and never creates one on write", async () => {
      const bucket = storage.bucket("gw3cx-no-such-bucket");
      expect((await bucket.exists())[0]).toBe(false);
      expect(await statusOf(bucket.file("a.txt").save("x", { resumable: false }))).toBe(404);
      expect((await bucket.exists())[0]).toBe(false);
    });

    it("uploads in chunks (resumable, 308 Resume Incomplete between them) and returns the same bytes and hashes", async () => {
      const bucket = storage.bucket(await freshBucket(storage));
      const data = randomBytes(256 * 1024 * 3 + 1234);
      const file = bucket.file("recordings/chunked.wav");
      await new Promise<void>((resolve, reject) => {
        const stream = file.createWriteStream({
          resumable: true,
          chunkSize: 256 * 1024,
          contentType: "audio/wav",
        });
        stream.on("error", reject).on("finish", resolve);
        stream.end(data);
      });
      const [metadata] = await file.getMetadata();
      expect(Number(metadata.size)).toBe(data.length);
      expect(metadata.md5Hash).toBe(createHash("md5").update(data).digest("base64"));
      expect(metadata.contentType).toBe("audio/wav");
      // download() checks the crc32c the stand-in sends against the bytes it receives.
      const [downloaded] = await file.download();
      expect(downloaded.equals(data)).toBe(true);
    });

    it("serves byte ranges", async () => {
      const bucket = storage.bucket(await freshBucket(storage));
      await bucket.file("r.bin").save(Buffer.from("0123456789"), { resumable: false });
      const [middle] = await bucket.file("r.bin").download({ start: 2, end: 5 });
      expect(middle.toString()).toBe("2345");
    });

    it("lists with a delimiter (prefixes) and in pages", async () => {
      const bucket = storage.bucket(await freshBucket(storage));
      for (const name of ["a/1", "a/2", "b/1", "c", "d", "e"])
        await bucket.file(name).save(name, { resumable: false });
      const [files, , response] = await bucket.getFiles({ delimiter: "/", autoPaginate: false });
      expect(files.map((f) => f.name)).toEqual(["c", "d", "e"]);
      expect((response as { prefixes?: string[] }).prefixes).toEqual(["a/", "b/"]);
      const names: string[] = [];
      type PageQuery = { maxResults: number; pageToken?: string; autoPaginate: false } | null;
      let query: PageQuery = { maxResults: 4, autoPaginate: false };
      let pages = 0;
      while (query) {
        const [page, next] = (await bucket.getFiles(query)) as unknown as [{ name: string }[], PageQuery];
        names.push(...page.map((f) => f.name));
        query = next;
        pages += 1;
      }
      expect(pages).toBe(2);
      expect(names).toEqual(["a/1", "a/2", "b/1", "c", "d", "e"]);
    });

    it("counts generations and refuses a failed precondition with 412 conditionNotMet", async () => {
      const bucket = storage.bucket(await freshBucket(storage));
      const file = bucket.file("g.txt");
      await file.save("one", { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
      const [first] = await file.getMetadata();
      expect(
        await statusOf(file.save("two", { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } })),
      ).toBe(412);
      await file.save("two", {
        resumable: false,
        preconditionOpts: { ifGenerationMatch: Number(first.generation) },
      });
      const [second] = await file.getMetadata();
      expect(BigInt(second.generation as string)).toBeGreaterThan(BigInt(first.generation as string));
      await file.delete();
      expect((await file.exists())[0]).toBe(false);
    });

    it("GcsObjectStorage maps a refused resumable ifAbsent write (over 8 MB) to STORAGE_OBJECT_EXISTS", async () => {
      const adapter = new GcsObjectStorage({ bucket: await freshBucket(storage), client: storage });
      const big = Buffer.alloc(9 * 1024 * 1024, 1);
      await adapter.write("recordings/big.wav", big, { ifAbsent: true });
      const error = await adapter
        .write("recordings/big.wav", big, { ifAbsent: true })
        .catch((e: unknown) => e);
      expect(isGw3cxError(error, "STORAGE_OBJECT_EXISTS")).toBe(true);
      expect((await adapter.stat("recordings/big.wav"))?.size).toBe(big.length);
    });

    it("refuses what it does not implement with 501 naming it", async () => {
      const bucket = storage.bucket(await freshBucket(storage));
      const response = await fetch(`http://${cloudStorage.host}/storage/v1/b/${bucket.name}/o?versions=true`);
      expect(response.status).toBe(501);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain("versions");
    });

    it("refuses an expired signed link with 400 ExpiredToken and a tampered one with 403", async () => {
      const bucket = storage.bucket(await freshBucket(storage));
      await bucket.file("link.txt").save("linked", { resumable: false });
      const [good] = await bucket
        .file("link.txt")
        .getSignedUrl({ version: "v4", action: "read", expires: Date.now() + 60_000 });
      expect(await (await fetch(good)).text()).toBe("linked");
      // Signed an hour ago for an hour and a second: expired a second after this line.
      const [expiring] = await bucket.file("link.txt").getSignedUrl({
        version: "v4",
        action: "read",
        accessibleAt: Date.now() - 3600_000,
        expires: Date.now() + 1_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const late = await fetch(expiring);
      expect(late.status).toBe(400);
      expect(await late.text()).toContain("<Code>ExpiredToken</Code>");
      const wrongPath = await fetch(good.replace("link.txt", "other.txt"));
      expect(wrongPath.status).toBe(403);
    });

    describe.skipIf(!pubsub.host)(`notifications into the Pub/Sub stand-in ${pubsub.skipReason}`, () => {
      it("publishes OBJECT_FINALIZE with the object resource and attributes, honouring prefix and event types", async () => {
        const client = new PubSub({
          projectId: "gw3cx-test",
          apiEndpoint: pubsub.host as string,
          emulatorMode: true,
        });
        const topicName = `storage-events-${randomBytes(4).toString("hex")}`;
        const [topic] = await client.createTopic(topicName);
        const [subscription] = await topic.createSubscription(`${topicName}-sub`);
        const received: { attributes: Record<string, string>; data: string }[] = [];
        subscription.on("message", (message) => {
          received.push({ attributes: message.attributes, data: message.data.toString() });
          message.ack();
        });
        const bucket = storage.bucket(await freshBucket(storage));
        const [config] = await bucket.createNotification(`projects/gw3cx-test/topics/${topicName}`, {
          payloadFormat: "JSON_API_V1",
          eventTypes: ["OBJECT_FINALIZE"],
          objectNamePrefix: "recordings/",
        });
        const [configs] = await bucket.getNotifications();
        expect(configs.map((c) => c.id)).toEqual([config.id]);
        await bucket.file("voicemails/ignored.wav").save("v", { resumable: false });
        await bucket.file("recordings/call.wav").save("call", { resumable: false, contentType: "audio/wav" });
        await bucket.file("recordings/call.wav").delete();
        const messages = await eventually(
          () => received,
          (list) => list.length >= 1,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        await subscription.close();
        expect(received).toHaveLength(1);
        const [message] = messages;
        expect(message?.attributes).toMatchObject({
          eventType: "OBJECT_FINALIZE",
          payloadFormat: "JSON_API_V1",
          bucketId: bucket.name,
          objectId: "recordings/call.wav",
          notificationConfig: `projects/_/buckets/${bucket.name}/notificationConfigs/${config.id}`,
        });
        expect(message?.attributes.objectGeneration).toMatch(/^\d+$/);
        expect(JSON.parse(message?.data ?? "{}")).toMatchObject({
          kind: "storage#object",
          name: "recordings/call.wav",
          bucket: bucket.name,
          size: "4",
          contentType: "audio/wav",
        });
        await config.delete();
        expect((await bucket.getNotifications())[0]).toEqual([]);
        await client.close();
      });
    });
  },
);
