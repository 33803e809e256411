import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThreeCxError } from "../../../shared/ports/threecx.js";
import { BASE_SEED, CLIENT_ID, type SimulatedPbx, startPbx } from "./harness.js";
import { formToken, rawXapi } from "./raw-xapi.js";

let pbx: SimulatedPbx;
let adaId: number;

beforeAll(async () => {
  pbx = await startPbx({
    ...BASE_SEED,
    contacts: [
      {
        ownerNumber: "101",
        contact: { FirstName: "Charles", PhoneNumber: "+441234", ContactType: "Google" },
      },
    ],
    settings: { GoogleSettings: { ClientId: "seeded.apps.googleusercontent.com" } },
  });
  adaId = (await pbx.client.getUserByNumber("101"))?.Id as number;
});

afterAll(async () => {
  expect(pbx.sim.stats.specRejections).toEqual([]);
  await pbx.sim.close();
});

describe("presence", () => {
  it("reads and sets CurrentProfileName among the user's forwarding profiles", async () => {
    expect(await pbx.client.listForwardingProfileNames(adaId)).toEqual([
      "Available",
      "Away",
      "Out of office",
      "Custom 1",
      "Custom 2",
    ]);
    expect(await pbx.client.getCurrentProfileName(adaId)).toBe("Available");
    for (const name of ["Out of office", "Custom 2", "Away", "Available"] as const) {
      await pbx.client.setCurrentProfileName(adaId, name);
      expect(await pbx.client.getCurrentProfileName(adaId)).toBe(name);
    }
  });

  it("reads and writes each profile's CustomMessage, leaving the other profiles as they were", async () => {
    expect(await pbx.client.getPresence(adaId)).toEqual({
      profile: "Available",
      messages: {
        Available: null,
        Away: null,
        "Out of office": null,
        "Custom 1": null,
        "Custom 2": null,
      },
    });
    await pbx.client.setForwardingProfileMessage(adaId, "Out of office", "In a meeting until 11:00");
    await pbx.client.setForwardingProfileMessage(adaId, "Away", "Back soon");
    await pbx.client.setCurrentProfileName(adaId, "Out of office");
    const read = await pbx.client.getPresence(adaId);
    expect(read.profile).toBe("Out of office");
    expect(read.messages).toMatchObject({
      "Out of office": "In a meeting until 11:00",
      Away: "Back soon",
      Available: null,
    });
    await pbx.client.setForwardingProfileMessage(adaId, "Out of office", null);
    expect((await pbx.client.getPresence(adaId)).messages["Out of office"]).toBeNull();
    expect((await pbx.client.getPresence(adaId)).messages.Away).toBe("Back soon");
    await pbx.client.setForwardingProfileMessage(adaId, "Away", null);
    await pbx.client.setCurrentProfileName(adaId, "Available");
  });

  it("sets messages and the profile in one PATCH, and sends nothing for an empty change", async () => {
    const before = pbx.sim.stats.requests.UpdateUser ?? 0;
    await pbx.client.setPresence(adaId, {
      messages: { "Out of office": "In a meeting until 11:00", Away: null },
      profile: "Out of office",
    });
    expect((pbx.sim.stats.requests.UpdateUser ?? 0) - before).toBe(1);
    const read = await pbx.client.getPresence(adaId);
    expect(read.profile).toBe("Out of office");
    expect(read.messages).toMatchObject({ "Out of office": "In a meeting until 11:00", Away: null });
    await pbx.client.setPresence(adaId, { messages: { "Out of office": null }, profile: "Available" });
    expect(await pbx.client.getPresence(adaId)).toMatchObject({
      profile: "Available",
      messages: { "Out of office": null },
    });
    await pbx.client.setPresence(adaId, {});
    expect((pbx.sim.stats.requests.UpdateUser ?? 0) - before).toBe(2);
    await expect(pbx.client.setPresence(adaId, { messages: { Lunch: "x" } })).rejects.toMatchObject({
      code: "THREECX_NOT_FOUND",
    });
  });

  it("refuses a message for a profile the user does not have, and a renamed profile", async () => {
    await expect(pbx.client.setForwardingProfileMessage(adaId, "Lunch", "x")).rejects.toMatchObject({
      code: "THREECX_NOT_FOUND",
    });
    const profiles = pbx.sim.state.profiles.get(adaId) ?? [];
    const first = profiles[0] as { Id: number };
    // Raw: the client never renames a profile. Its own token is revoked by this one and renewed.
    const bearer = await formToken(pbx.sim, CLIENT_ID, pbx.secret);
    const renamed = await rawXapi(pbx.sim, bearer, "PATCH", `/Users(${adaId})`, {
      ForwardingProfiles: [{ Id: first.Id, Name: "Renamed" }],
    });
    expect(renamed.status).toBe(400);
    const unknown = await rawXapi(pbx.sim, bearer, "PATCH", `/Users(${adaId})`, {
      ForwardingProfiles: [{ Id: 999_999, CustomMessage: "x" }],
    });
    expect(unknown.status).toBe(400);
    expect(profiles.map((p) => p.Name)).toContain("Available");
  });

  it("reports a user that does not exist as not found", async () => {
    await expect(pbx.client.getCurrentProfileName(987_654)).rejects.toMatchObject({
      code: "THREECX_NOT_FOUND",
    });
  });
});

describe("personal contacts", () => {
  it("lists, creates, updates and deletes the contacts of an extension", async () => {
    const before = await pbx.client.listPersonalContacts("101");
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ FirstName: "Charles", PhoneNumber: "+441234", ContactType: "Google" });

    const created = await pbx.client.createPersonalContact("101", {
      FirstName: "Mary",
      LastName: "Somerville",
      Mobile2: "+15550199",
      Business: "+15550200",
      ContactType: "Google",
    });
    expect(created).toMatchObject({ FirstName: "Mary", Mobile2: "+15550199", ContactType: "Google" });
    await pbx.client.updateContact(created.Id, { Title: "Scientist", Business: null, Home: "+15550201" });
    const updated = (await pbx.client.listPersonalContacts("101")).find((c) => c.Id === created.Id);
    expect(updated).toMatchObject({
      Title: "Scientist",
      Business: null,
      Home: "+15550201",
      LastName: "Somerville",
    });

    await pbx.client.deleteContacts([created.Id, before[0]?.Id as number]);
    expect(await pbx.client.listPersonalContacts("101")).toEqual([]);
    expect(await pbx.client.listPersonalContacts("102")).toEqual([]);
  });

  it("refuses a contact without a name or without a phone with the PBX's codes", async () => {
    await expect(pbx.client.createPersonalContact("101", { PhoneNumber: "+1555" })).rejects.toMatchObject({
      warning: "WARNINGS.CONTACTS_SPECIFY_NAME_SURNAME_COMPANY",
    });
    await expect(pbx.client.createPersonalContact("101", { FirstName: "No phone" })).rejects.toMatchObject({
      warning: "WARNINGS.CONTACTS_SPECIFY_PHONE_NUMBER",
    });
    const error = await pbx.client.listPersonalContacts("999").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreeCxError);
    expect(error).toMatchObject({ warning: "WARNINGS.XAPI.NON_EXISTENT_EXT_NUMBER", target: "number" });
  });
});

describe("settings", () => {
  it("reads and PATCHes GoogleSettings, merging nested objects", async () => {
    const google = await pbx.client.getSettings("GoogleSettings");
    expect(google.ClientId).toBe("seeded.apps.googleusercontent.com");
    await pbx.client.updateSettings("GoogleSettings", {
      ReCaptchaEnabled: true,
      UserSync: { IsEnabled: true, StartingExtensionNumber: "300" },
    });
    const after = await pbx.client.getSettings("GoogleSettings");
    expect(after).toMatchObject({
      ClientId: "seeded.apps.googleusercontent.com",
      ReCaptchaEnabled: true,
      UserSync: { IsEnabled: true, StartingExtensionNumber: "300", IsSyncPhoto: false },
    });
  });

  it("never reads a secret back: MailSettings shows only that a password is set", async () => {
    await pbx.client.updateSettings("MailSettings", {
      MailServerType: "Custom",
      MailAddress: "pbx@example.com",
      MailPassword: { Value: "app-password-not-echoed" },
    });
    const mail = await pbx.client.getSettings("MailSettings");
    expect(mail).toMatchObject({
      MailServerType: "Custom",
      MailPassword: { Concealed: true, Value: null },
    });
    expect(JSON.stringify(mail)).not.toContain("app-password-not-echoed");
  });

  it("configures remote archiving to a Google bucket and voicemail transcription", async () => {
    // A Google bucket needs a service-account key file (settings-rules.ts), read back concealed.
    const keyFile = JSON.stringify({
      type: "service_account",
      client_email: "gw3cx-archiver@acme.iam.gserviceaccount.com",
      private_key: generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
        type: "pkcs8",
        format: "pem",
      }),
    });
    await pbx.client.updateSettings("RemoteArchivingSettings", {
      Location: {
        FileSystemType: "GoogleBucket",
        GbPath: "gs://acme-gw3cx-archive",
        GbJson: { Contents: keyFile, Name: "key.json" },
      },
      Recordings: { Enabled: true, Folder: "recordings" },
    });
    expect(await pbx.client.getSettings("RemoteArchivingSettings")).toMatchObject({
      Location: {
        FileSystemType: "GoogleBucket",
        GbPath: "gs://acme-gw3cx-archive",
        GbJson: { Concealed: true, Contents: null },
      },
      Recordings: { Enabled: true, Folder: "recordings" },
    });
    await pbx.client.updateSettings("VoicemailSettings", {
      TranscribeEngine: "Google",
      TranscribeLanguage: "en-US",
    });
    expect(await pbx.client.getSettings("VoicemailSettings")).toMatchObject({
      TranscribeEngine: "Google",
      TranscribeLanguage: "en-US",
    });
  });
});
