import { afterEach, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../../shared/adapters/sqlite/sqlite-state-store.js";
import type { RemovalItem } from "../../../../shared/domain/remove/removal-item.js";
import { CalendarError } from "../../../../shared/ports/calendar.js";
import { type ChannelRef, DirectoryError, type DirectoryUser } from "../../../../shared/ports/directory.js";
import { ServiceAccountKeyError } from "../../../../shared/ports/service-account-keys.js";
import {
  ThreeCxError,
  type ThreeCxRemoteArchivingSettings,
  type ThreeCxVoicemailSettings,
} from "../../../../shared/ports/threecx.js";
import { type ChannelRecord, ChannelStore } from "../../../../shared/usecases/channels/channel-store.js";
import { ContactLinkStore } from "../../../../shared/usecases/contacts/contact-link-store.js";
import { type RemovalPorts, removeGw3cx } from "../../../../shared/usecases/remove/remove-gw3cx.js";
import { UserLinkStore } from "../../../../shared/usecases/user-sync/user-link-store.js";
import { capturedLogger } from "../../../support/captured-logger.js";

const NOW = Date.parse("2026-03-24T10:00:00Z");
const HOUR = 3_600_000;
const PROJECT = "acme";
const BUCKET = "acme-gw3cx-archive";
const ACCOUNT = `gw3cx-archiver@${PROJECT}.iam.gserviceaccount.com`;
const CONFIG = { bucket: BUCKET, projectId: PROJECT, configuresTranscription: true };

const subsystem = (on: boolean, folder: string) => ({
  Enabled: on,
  Archiving: on,
  Folder: folder,
  ScheduleDays: 7,
});

/** Google, 3CX and IAM as small fakes that record every call; the state is a real (in-memory) store. */
function world() {
  const state = new SqliteStateStore(":memory:");
  const calls: string[] = [];
  const gone = new Set<string>();
  const failing = new Map<string, Error>();
  const users = new Map<string, DirectoryUser>([
    ["g1", { id: "g1", primaryEmail: "ada@example.com", deleted: false } as DirectoryUser],
  ]);
  const pbx = {
    archiving: {
      Id: 1,
      Location: {
        FileSystemType: "GoogleBucket",
        GbPath: BUCKET,
        GbJson: { Concealed: true, Contents: null },
      },
      Recordings: subsystem(true, "recordings"),
      Voicemails: subsystem(true, "voicemails"),
      Chats: subsystem(false, "chats"),
      Faxes: subsystem(false, "faxes"),
      Backups: subsystem(true, "backups"),
    } as ThreeCxRemoteArchivingSettings,
    voicemail: { TranscribeEngine: "Google", TranscribeLanguage: "de-DE" } as ThreeCxVoicemailSettings,
    down: false,
  };
  const keys = new Set(["k1", "k2"]);
  const stop = (kind: string, channel: ChannelRef) => {
    calls.push(`stop ${kind} ${channel.channelId}`);
    const failure = failing.get(channel.channelId);
    if (failure) throw failure;
    if (gone.has(channel.channelId)) {
      throw kind === "directory"
        ? new DirectoryError("NOT_FOUND", "Channel not found")
        : new CalendarError("NOT_FOUND", "Channel not found");
    }
    gone.add(channel.channelId);
  };
  const pbxDown = (operation: string) =>
    new ThreeCxError("THREECX_UNREACHABLE", `${operation}: no connection to the PBX`, { operation });
  const { logger } = capturedLogger("remove-test", "debug");
  const ports: RemovalPorts = {
    state,
    clock: { now: () => new Date(NOW), sleep: async () => {} },
    logger,
    directory: {
      stopChannel: async (channel) => stop("directory", channel),
      getUser: async (id) => users.get(id),
    },
    calendar: { stopChannel: async (email, channel) => stop(`calendar as ${email}`, channel) },
    threecx: {
      getSettings: (async (name: string) => {
        if (pbx.down) throw pbxDown(`Get${name}`);
        return structuredClone(name === "RemoteArchivingSettings" ? pbx.archiving : pbx.voicemail);
      }) as RemovalPorts["threecx"]["getSettings"],
      updateSettings: (async (name: string, changes: Record<string, unknown>) => {
        if (pbx.down) throw pbxDown(`Update${name}`);
        calls.push(`update ${name} ${JSON.stringify(changes)}`);
        Object.assign(name === "RemoteArchivingSettings" ? pbx.archiving : pbx.voicemail, changes);
      }) as RemovalPorts["threecx"]["updateSettings"],
      deleteContacts: async (ids) => {
        if (pbx.down) throw pbxDown("DeleteContactsById");
        calls.push(`delete contacts ${ids.join(",")}`);
      },
    },
    keys: {
      listKeyIds: async (account) => {
        expect(account).toBe(ACCOUNT);
        return [...keys];
      },
      deleteKey: async (account, keyId) => {
        calls.push(`delete key ${keyId}`);
        const failure = failing.get(keyId);
        if (failure) throw failure;
        if (!keys.delete(keyId))
          throw new ServiceAccountKeyError("ACCOUNT_NOT_FOUND", `${account}/keys/${keyId}`);
      },
    },
  };
  const channels = new ChannelStore(state);
  const record = (channel: Partial<ChannelRecord> & { channelId: string }) =>
    channels.save({
      resourceId: `res-${channel.channelId}`,
      kind: "directory",
      event: "update",
      createdAt: new Date(NOW - HOUR),
      expiration: new Date(NOW + 24 * HOUR),
      ...channel,
    });
  const recorded = async () =>
    [...(await channels.ofKind("directory")), ...(await channels.ofKind("calendar"))]
      .map((c) => c.channelId)
      .sort();
  return { state, ports, calls, gone, failing, users, pbx, keys, record, recorded };
}

type World = ReturnType<typeof world>;
let current: World | undefined;
afterEach(async () => {
  await current?.state.close();
  current = undefined;
});

const byTarget = (items: RemovalItem[], prefix: string) => items.find((i) => i.target.startsWith(prefix));

async function installed(): Promise<World> {
  current = world();
  await current.record({ channelId: "dir-add", event: "add" });
  await current.record({ channelId: "dir-update", event: "update" });
  await current.record({ channelId: "cal-g1", kind: "calendar", googleUserId: "g1", event: undefined });
  return current;
}

describe("removeGw3cx", () => {
  it("plan reads and lists every item, and changes nothing", async () => {
    const w = await installed();
    const items = await removeGw3cx(w.ports, CONFIG, { dryRun: true });
    expect(items.map((i) => [i.area, i.status])).toEqual([
      ["directory-channel", "to-do"],
      ["directory-channel", "to-do"],
      ["calendar-channel", "to-do"],
      ["remote-archiving", "to-do"],
      ["transcription-engine", "to-do"],
      ["archiver-key", "to-do"],
      ["archiver-key", "to-do"],
    ]);
    expect(w.calls).toEqual([]);
    expect(await w.recorded()).toEqual(["cal-g1", "dir-add", "dir-update"]);
    expect(w.keys.size).toBe(2);
  });

  it("apply stops each channel (a calendar one as its owner), forgets it, switches archiving and the engine off, deletes every key", async () => {
    const w = await installed();
    const items = await removeGw3cx(w.ports, CONFIG, { dryRun: false });
    expect(items.every((i) => i.status === "done")).toBe(true);
    expect(w.calls).toContain("stop calendar as ada@example.com cal-g1");
    expect(w.calls).toContain("stop directory dir-add");
    expect(await w.recorded()).toEqual([]);
    // Each subsystem is sent whole with both switches off (ScheduleDays and Folder kept); the location is not touched.
    const archivingPatch = JSON.parse(
      (w.calls.find((c) => c.startsWith("update RemoteArchivingSettings")) ?? "").replace(
        "update RemoteArchivingSettings ",
        "",
      ),
    );
    expect(Object.keys(archivingPatch).sort()).toEqual([
      "Backups",
      "Chats",
      "Faxes",
      "Recordings",
      "Voicemails",
    ]);
    expect(archivingPatch.Recordings).toEqual({
      Enabled: false,
      Archiving: false,
      Folder: "recordings",
      ScheduleDays: 7,
    });
    expect(w.calls).toContain('update VoicemailSettings {"TranscribeEngine":"None"}');
    expect(w.keys.size).toBe(0);

    // A second apply finds nothing left to do and calls nothing that writes.
    w.calls.length = 0;
    const again = await removeGw3cx(w.ports, CONFIG, { dryRun: false });
    expect(again.map((i) => [i.area, i.status])).toEqual([
      ["directory-channel", "already-gone"],
      ["calendar-channel", "already-gone"],
      ["remote-archiving", "already-gone"],
      ["transcription-engine", "already-gone"],
      ["archiver-key", "already-gone"],
    ]);
    expect(w.calls).toEqual([]);
  });

  it("a channel Google no longer has, an expired one, or a deleted owner's counts as gone and is forgotten", async () => {
    current = world();
    const w = current;
    await w.record({ channelId: "dir-lost" });
    w.gone.add("dir-lost");
    await w.record({ channelId: "dir-expired", expiration: new Date(NOW - 1) });
    await w.record({ channelId: "cal-deleted-owner", kind: "calendar", googleUserId: "g-deleted" });
    const items = await removeGw3cx(w.ports, CONFIG, { dryRun: false });
    expect(byTarget(items, "dir-lost")).toMatchObject({
      status: "already-gone",
      reason: expect.stringContaining("Google no longer had it"),
    });
    expect(byTarget(items, "dir-expired")).toMatchObject({
      status: "already-gone",
      reason: expect.stringContaining("expired"),
    });
    expect(byTarget(items, "cal-deleted-owner")).toMatchObject({ status: "already-gone" });
    expect(w.calls.filter((c) => c.startsWith("stop"))).toEqual(["stop directory dir-lost"]);
    expect(await w.recorded()).toEqual([]);
  });

  it("one failure never stops the others: the PBX down and a key IAM refuses fail with their reasons, the rest is done", async () => {
    const w = await installed();
    w.pbx.down = true;
    w.failing.set("dir-update", new DirectoryError("UNAVAILABLE", "Directory channels.stop failed: 503"));
    w.failing.set("k1", new ServiceAccountKeyError("KEY_PERMISSION_DENIED", "caller may not delete keys"));
    const items = await removeGw3cx(w.ports, CONFIG, { dryRun: false });
    expect(byTarget(items, "dir-update")).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("DIRECTORY_UNAVAILABLE"),
    });
    expect(byTarget(items, "dir-add")?.status).toBe("done");
    expect(byTarget(items, "cal-g1")?.status).toBe("done");
    expect(items.find((i) => i.area === "remote-archiving")).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/^THREECX_UNREACHABLE: /),
    });
    expect(items.find((i) => i.area === "transcription-engine")?.status).toBe("failed");
    expect(byTarget(items, "k1")).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("KEY_PERMISSION_DENIED"),
    });
    expect(byTarget(items, "k2")?.status).toBe("done");
    // What failed stays on record, so the next apply tries it again; what was stopped is forgotten.
    expect(await w.recorded()).toEqual(["dir-update"]);

    w.pbx.down = false;
    w.failing.clear();
    const retried = await removeGw3cx(w.ports, CONFIG, { dryRun: false });
    expect(retried.filter((i) => i.status === "done").map((i) => i.target)).toEqual([
      "dir-update (users update)",
      "RemoteArchivingSettings",
      "VoicemailSettings.TranscribeEngine",
      `k1 of ${ACCOUNT}`,
    ]);
  });

  it("leaves archiving elsewhere and an engine gw3cx does not claim, and says so", async () => {
    current = world();
    const w = current;
    w.pbx.archiving.Location = { FileSystemType: "Sftp", SftpPath: "/srv/archive" };
    const items = await removeGw3cx(
      w.ports,
      { ...CONFIG, configuresTranscription: false },
      { dryRun: false },
    );
    expect(items.find((i) => i.area === "remote-archiving")).toMatchObject({
      status: "left",
      reason: expect.stringContaining("to Sftp, not to gw3cx's bucket"),
    });
    expect(items.find((i) => i.area === "transcription-engine")?.status).toBe("left");
    expect(w.calls.filter((c) => c.startsWith("update"))).toEqual([]);
  });

  it("without a deployment (no project) there is no archiver account to ask; an account already destroyed is gone", async () => {
    current = world();
    const w = current;
    const local = await removeGw3cx(w.ports, { configuresTranscription: false }, { dryRun: true });
    expect(local.find((i) => i.area === "archiver-key")).toMatchObject({
      status: "already-gone",
      target: "(no deployment)",
    });
    w.ports.keys = {
      listKeyIds: async () => {
        throw new ServiceAccountKeyError("ACCOUNT_NOT_FOUND", "no such account");
      },
      deleteKey: async () => {},
    };
    const destroyed = await removeGw3cx(w.ports, CONFIG, { dryRun: false });
    expect(destroyed.find((i) => i.area === "archiver-key")).toMatchObject({
      status: "already-gone",
      target: ACCOUNT,
    });
  });

  it("--contacts deletes exactly the phonebook entries gw3cx linked, per user, and forgets the links and the sync token", async () => {
    const w = await installed();
    const contacts = new ContactLinkStore(w.state);
    await new UserLinkStore(w.state).save({
      googleId: "g1",
      threecxId: 7,
      number: "1001",
      origin: "created",
      disabledByGw3cx: false,
    });
    await contacts.save("g1", { resourceName: "people/c1", contactId: 11, hash: "h" });
    await contacts.save("g1", { resourceName: "people/c2", contactId: 12, hash: "h" });
    await contacts.save("g2", { resourceName: "people/c3", contactId: 13, hash: "h" });
    await contacts.saveSyncState({
      googleId: "g1",
      syncToken: "t",
      labelResourceName: "contactGroups/x",
      syncedAt: "",
    });
    const area = (items: RemovalItem[]) => items.filter((i) => i.area === "personal-contacts");

    // Not asked for: not even read.
    expect(area(await removeGw3cx(w.ports, CONFIG, { dryRun: true }))).toEqual([]);
    const planned = await removeGw3cx(w.ports, CONFIG, { dryRun: true, contacts: true });
    expect(area(planned).map((i) => [i.target, i.status])).toEqual([
      ["2 of extension 1001", "to-do"],
      ["1 of user g2", "to-do"],
    ]);
    expect(w.calls).toEqual([]);

    // The PBX refuses: the links stay for the next run.
    w.pbx.down = true;
    const failed = await removeGw3cx(w.ports, CONFIG, { dryRun: false, contacts: true });
    expect(area(failed).map((i) => i.status)).toEqual(["failed", "failed"]);
    expect(await contacts.all()).toHaveLength(3);

    w.pbx.down = false;
    const applied = await removeGw3cx(w.ports, CONFIG, { dryRun: false, contacts: true });
    expect(area(applied).map((i) => i.status)).toEqual(["done", "done"]);
    expect(w.calls.filter((c) => c.startsWith("delete contacts"))).toEqual([
      "delete contacts 11,12",
      "delete contacts 13",
    ]);
    expect(await contacts.all()).toEqual([]);
    expect(await contacts.syncState("g1")).toBeUndefined();
    const again = await removeGw3cx(w.ports, CONFIG, { dryRun: false, contacts: true });
    expect(area(again)).toMatchObject([{ status: "already-gone", target: "(none on record)" }]);
  });
});
