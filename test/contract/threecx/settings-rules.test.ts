import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThreeCxError } from "../../../shared/ports/threecx.js";
import { BASE_SEED, type SimulatedPbx, startPbx } from "./harness.js";

let pbx: SimulatedPbx;
let locked: SimulatedPbx;

beforeAll(async () => {
  pbx = await startPbx(BASE_SEED);
  locked = await startPbx({ ...BASE_SEED, settings: { MailSettings: { CanEditMailServerType: false } } });
});

afterAll(async () => {
  await pbx.sim.close();
  await locked.sim.close();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) =>
      error instanceof ThreeCxError
        ? { status: error.status, warning: error.warning, target: error.target }
        : error,
  );

describe("3CX simulator: settings rules beyond the spec", () => {
  it("refuses a mail server type whose credentials come from a console sign-in (not implemented)", async () => {
    expect(
      await refusal(pbx.client.updateSettings("MailSettings", { MailServerType: "GoogleWorkspace" })),
    ).toEqual({
      status: 501,
      warning: "WARNINGS.XAPI.NOT_SUPPORTED",
      target: "MailServerType",
    });
  });

  it("refuses changing the mail server type where the PBX locks it, and writing the lock itself", async () => {
    expect(
      await refusal(locked.client.updateSettings("MailSettings", { MailServerType: "Custom" })),
    ).toMatchObject({
      status: 400,
      warning: "WARNINGS.XAPI.FORBIDDEN_CHANGE",
      target: "MailServerType",
    });
    expect(
      await refusal(pbx.client.updateSettings("MailSettings", { CanEditMailServerType: false })),
    ).toMatchObject({ status: 400, target: "CanEditMailServerType" });
    expect((await locked.client.getSettings("MailSettings")).MailServerType).toBe("Tcx");
  });

  it("refuses Google sign-in without an OAuth client, and takes it with one", async () => {
    expect(
      await refusal(pbx.client.updateSettings("GoogleSettings", { IsExtensionSignInEnabled: true })),
    ).toMatchObject({ status: 400, warning: "WARNINGS.NO_SECRET_DEFINED" });
    await pbx.client.updateSettings("GoogleSettings", {
      ClientId: "c1.apps.googleusercontent.com",
      ClientSecret: { Value: "s3cret" },
      IsExtensionSignInEnabled: true,
    });
    expect(await pbx.client.getSettings("GoogleSettings")).toMatchObject({
      IsExtensionSignInEnabled: true,
      ClientSecret: { Concealed: true, Value: null },
    });
  });

  const keyFile = () =>
    JSON.stringify({
      type: "service_account",
      client_email: "gw3cx-archiver@acme.iam.gserviceaccount.com",
      private_key: generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
        type: "pkcs8",
        format: "pem",
      }),
    });

  it("refuses a Google bucket location without its bucket or key file, or with a file that is no key", async () => {
    const bucket = (Location: Record<string, unknown>) =>
      refusal(
        pbx.client.updateSettings("RemoteArchivingSettings", {
          Location: { FileSystemType: "GoogleBucket", ...Location },
        }),
      );
    expect(await bucket({ GbJson: { Contents: keyFile(), Name: "key.json" } })).toMatchObject({
      status: 400,
      warning: "WARNINGS.XAPI.REQUIRED",
      target: "Location.GbPath",
    });
    expect(await bucket({ GbPath: "acme-archive" })).toMatchObject({
      status: 400,
      warning: "WARNINGS.XAPI.REQUIRED",
      target: "Location.GbJson",
    });
    expect(
      await bucket({ GbPath: "acme-archive", GbJson: { Contents: '{"type":"authorized_user"}', Name: "k" } }),
    ).toMatchObject({ status: 400, warning: "WARNINGS.XAPI.FILE_FORMAT_IS_INCORRECT" });
    expect((await pbx.client.getSettings("RemoteArchivingSettings")).Location?.FileSystemType).toBe("Local");
  });

  it("takes a Google bucket with a key file and reads the key back concealed, kept when echoed concealed", async () => {
    const contents = keyFile();
    await pbx.client.updateSettings("RemoteArchivingSettings", {
      Location: {
        FileSystemType: "GoogleBucket",
        GbPath: "acme-archive",
        GbJson: { Contents: contents, Name: "k.json" },
      },
      Recordings: { Enabled: true, Folder: "recordings" },
    });
    const read = await pbx.client.getSettings("RemoteArchivingSettings");
    expect(read.Location).toMatchObject({
      FileSystemType: "GoogleBucket",
      GbPath: "acme-archive",
      GbJson: { Concealed: true, Contents: null, Name: "k.json" },
    });
    expect(JSON.stringify(read)).not.toContain("PRIVATE KEY");
    // What a console sends back after a read: the concealed file keeps the stored key.
    await pbx.client.updateSettings("RemoteArchivingSettings", read);
    const stored = pbx.sim.state.settings.RemoteArchivingSettings.Location as {
      GbJson: { Contents: string };
    };
    expect(stored.GbJson.Contents).toBe(contents);
  });

  it("refuses values outside the spec's enums for the storage type and the transcription engine", async () => {
    const storage = await refusal(
      pbx.client.updateSettings("RemoteArchivingSettings", {
        Location: { FileSystemType: "Dropbox" as never },
      }),
    );
    expect(storage).toMatchObject({ status: 400, target: expect.stringContaining("FileSystemType") });
    const engine = await refusal(
      pbx.client.updateSettings("VoicemailSettings", { TranscribeEngine: "Azure" as never }),
    );
    expect(engine).toMatchObject({ status: 400, target: expect.stringContaining("TranscribeEngine") });
  });

  it("refuses OpenAI transcription without its key, and takes Google with a language", async () => {
    expect(
      await refusal(pbx.client.updateSettings("VoicemailSettings", { TranscribeEngine: "OpenAI" })),
    ).toMatchObject({ status: 400, warning: "WARNINGS.XAPI.OPENAI_KEY_IS_MISSING" });
    await pbx.client.updateSettings("VoicemailSettings", {
      TranscribeEngine: "Google",
      TranscribeLanguage: "de-DE",
    });
    expect(await pbx.client.getSettings("VoicemailSettings")).toMatchObject({
      TranscribeEngine: "Google",
      TranscribeLanguage: "de-DE",
    });
  });
});
