import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { listOutbox, outboxDirOf } from "../../../shared/adapters/local/eml-outbox.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import { startDeadLetterHold } from "../../../shared/runtime/embedded-runtime.js";
import { sendDailyDigest } from "../../../shared/usecases/mail/daily-digest.js";
import { DeadLetterLog } from "../../../shared/usecases/status/dead-letter-log.js";
import { MemoryObjectStorage } from "../../support/memory-object-storage.js";
import { leaves, parseRfc822, textOf } from "../../support/parse-rfc822.js";
import { type EmbeddedWorld, startEmbeddedWorld } from "../user-sync/embedded-world.js";
import { person, smallTenant } from "../user-sync/small-tenant.js";

let world: EmbeddedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const NAMES = ["Zoë", "李小龍", "Åsa", "Renée", "Jürgen", "Ñandú", "Ólafur"];
const tenant = () =>
  smallTenant(
    NAMES.map((name, i) => person(`user${i}`, { givenName: name, familyName: "Müller-Lüdenscheidt" })),
  );
const settings = { safeguard: { adminEmail: "it@example.com" } };

/** The raw RFC 822 bytes of every message the Gmail simulator received. */
const sentMessages = (w: EmbeddedWorld) => w.sims.google.tenant.sentMail.map((m) => parseRfc822(m.raw));

describe("gw3cx's own mail through the Gmail simulator", () => {
  it("a held run mails the admin: UTF-8 headers and names, the held users as a CSV attachment, a copy in the outbox", async () => {
    world = await startEmbeddedWorld({ google: tenant(), settings });
    const w = world;
    await w.sync();
    w.sims.google.addNotificationFault({ kind: "drop", times: 100 });
    for (let i = 0; i < 6; i++) w.sims.google.tenant.suspendUser(`user${i}@example.com`);
    const held = await w.sync({ trigger: "daily" });
    expect(held.run.status).toBe("held");

    const [notice, ...others] = sentMessages(w);
    expect(others).toEqual([]);
    expect(w.sims.google.tenant.sentMail[0]?.sender).toBe("admin@example.com");
    expect(notice?.headers.get("from")).toBe('"gw3cx" <admin@example.com>');
    expect(notice?.headers.get("to")).toBe("it@example.com");
    expect(notice?.headers.get("subject")).toBe(
      `gw3cx: user sync ${held.run.runId} held (6 users would be disabled)`,
    );
    const [body, csv] = leaves(notice as NonNullable<typeof notice>);
    expect(body?.type).toBe("text/plain");
    expect(body && textOf(body)).toContain(`gw3cx sync --approve ${held.run.runId}`);
    expect(csv?.filename).toBe(`held-run-${held.run.runId}.csv`);
    const rows = (csv?.body.toString("utf8") ?? "")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(rows).toHaveLength(7);
    const heldEmails = new Set(held.run.heldDisables?.map((d) => d.email));
    expect(rows.slice(1).map((row) => row.split(",")[1]?.replaceAll('"', ""))).toEqual(
      expect.arrayContaining([...heldEmails]),
    );

    const outbox = await listOutbox(outboxDirOf(w.runtime.settings.embedded.stateDbPath));
    expect(outbox.map((entry) => entry.subject)).toEqual([notice?.headers.get("subject")]);
    const copy = parseRfc822(readFileSync(outbox[0]?.file as string));
    expect(leaves(copy)[1]?.body).toEqual(csv?.body);
  });

  it("UTF-8 survives in the subject and body as Gmail receives them", async () => {
    world = await startEmbeddedWorld({ google: tenant(), settings });
    const subject = `Grüße an ${NAMES.join(", ")} – ${"ü".repeat(60)}`;
    await world.runtime.userSync.mailer?.send({
      from: "admin@example.com",
      fromName: "Zoë Ops",
      to: ["it@example.com"],
      subject,
      text: `Hallo ${NAMES.join(" ")}`,
    });
    const [message] = sentMessages(world);
    expect(message?.headers.get("subject")).toBe(subject);
    expect(message?.headers.get("from")).toBe("Zoë Ops <admin@example.com>");
    expect(message && textOf(leaves(message)[0] as never)).toBe(`Hallo ${NAMES.join(" ")}`);
  });

  it("an attachment over 25 MB arrives as a working, time-limited link; the smaller one stays attached", async () => {
    const storage = new MemoryObjectStorage();
    world = await startEmbeddedWorld({ google: tenant(), settings, objectStorage: storage });
    const big = Buffer.alloc(30 * 1024 * 1024, 7);
    await world.runtime.userSync.mailer?.send({
      from: "admin@example.com",
      to: ["it@example.com"],
      subject: "recording",
      text: "Here it is.",
      attachments: [
        { filename: "Aufnahme März.wav", contentType: "audio/wav", content: big },
        { filename: "notes.txt", contentType: "text/plain", content: Buffer.from("small") },
      ],
    });
    const [message] = sentMessages(world);
    const parts = leaves(message as NonNullable<typeof message>);
    expect(parts.map((p) => p.filename)).toEqual([undefined, "notes.txt"]);
    const text = textOf(parts[0] as never);
    expect(text).toContain("Aufnahme März.wav (30.0 MB): https://storage.example/");
    const url = text.match(/https:\/\/storage\.example\/\S+/)?.[0] as string;
    expect(storage.follow(url)?.equals(big)).toBe(true);
    const expires = Number(new URL(url).searchParams.get("expires")) * 1000;
    expect(expires - Date.now()).toBeGreaterThan(71 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(72 * 3600_000);
  });

  it("by default the attachment goes to the local storage folder, and the link works over loopback until it expires", async () => {
    world = await startEmbeddedWorld({ google: tenant(), settings });
    const w = world;
    const big = Buffer.alloc(30 * 1024 * 1024, 3);
    big.write("RIFF", 0);
    await w.runtime.userSync.mailer?.send({
      from: "admin@example.com",
      to: ["it@example.com"],
      subject: "held run with a recording",
      text: "The recording is linked below.",
      attachments: [{ filename: "Anruf 1002.wav", contentType: "audio/wav", content: big }],
    });
    // The .eml the outbox kept carries the link, not the 30 MB.
    const [entry] = await listOutbox(outboxDirOf(w.runtime.settings.embedded.stateDbPath));
    const eml = parseRfc822(readFileSync(entry?.file as string));
    expect(leaves(eml).map((p) => p.filename)).toEqual([undefined]);
    const text = textOf(leaves(eml)[0] as never);
    const url = text.match(/http:\/\/127\.0\.0\.1:\d+\/storage\/\S+/)?.[0] as string;
    expect(url.startsWith(`${w.host.url}/storage/mail-attachments/`)).toBe(true);
    expect(text).toContain(`Anruf 1002.wav (30.0 MB): ${url}`);

    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toBe("audio/wav");
    expect(Buffer.from(await fetched.arrayBuffer()).equals(big)).toBe(true);

    const link = new URL(url);
    const signature = link.searchParams.get("signature") as string;
    const altered = new URL(url);
    altered.searchParams.set("signature", `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`);
    const later = new URL(url);
    later.searchParams.set("expires", String(Number(link.searchParams.get("expires")) + 3600));
    // Signed with this install's own key, but already past its expiry.
    const path = decodeURIComponent(link.pathname.slice("/storage/".length));
    const pastExpiry = Math.floor(Date.now() / 1000) - 1;
    const expired = new URL(url);
    expired.searchParams.set("expires", String(pastExpiry));
    expired.searchParams.set("signature", w.runtime.storageLinks?.key.sign(path, pastExpiry) as string);
    for (const refused of [altered, later, expired]) {
      const response = await fetch(refused);
      expect(response.status, refused.toString()).toBe(403);
      expect((await response.arrayBuffer()).byteLength).toBe(0);
    }
  });

  it("the daily digest mails the day's dead letters with their reasons, and nothing when there is nothing", async () => {
    world = await startEmbeddedWorld({ google: tenant(), settings });
    const w = world;
    const recorder = await startDeadLetterHold(w.runtime.userSync);
    const ports = { ...w.runtime.userSync, deadLetters: new DeadLetterLog(w.runtime.userSync.state) };
    try {
      const quiet = await sendDailyDigest(ports, {
        from: "admin@example.com",
        to: "it@example.com",
      });
      expect(quiet.mailed).toBe(false);
      await w.runtime.userSync.bus.publish(TOPICS.directoryChanges, { googleUserId: 42 });
      await expect
        .poll(async () => (await sendDailyDigest({ ...ports, mailer: undefined }, {})).deadLetters.length)
        .toBe(1);
      const digest = await sendDailyDigest(ports, {
        from: "admin@example.com",
        to: "it@example.com",
      });
      expect(digest.mailed).toBe(true);
      const [mail] = sentMessages(w);
      expect(mail?.headers.get("subject")).toBe("gw3cx daily digest: 0 runs need a look, 1 dead letters");
      expect(mail && textOf(mail)).toContain(TOPICS.directoryChanges);
      expect(mail && textOf(mail)).toContain(digest.deadLetters[0]?.reason as string);
    } finally {
      await Promise.all(recorder.map((s) => s.close()));
    }
  });
});
