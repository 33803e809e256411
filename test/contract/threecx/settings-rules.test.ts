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
});
