import { describe, expect, it } from "vitest";
import { INFRA_MANAGED_SETTINGS, settingsToFunctionEnv } from "../../../infra/function-env.js";
import { ENV_BINDINGS } from "../../../shared/config/env-bindings.js";
import { loadSettings } from "../../../shared/config/load-settings.js";

const env = {
  GW3CX_3CX_URL: "https://pbx.example.com",
  GW3CX_3CX_CLIENT_ID: "gw3cx",
  GW3CX_3CX_CLIENT_SECRET: "env:LOCAL_3CX_SECRET",
  GW3CX_GOOGLE_ADMIN_SUBJECT: "admin@example.com",
  GW3CX_GOOGLE_SERVICE_ACCOUNT: "local@example.iam.gserviceaccount.com",
  GW3CX_GOOGLE_CHANNEL_TOKEN: "env:LOCAL_TOKEN",
  GW3CX_GOOGLE_API_ROOT_URL: "http://127.0.0.1:9999",
  GW3CX_GCP_PROJECT: "acme-gw3cx",
  GW3CX_GCP_REGION: "europe-west1",
  GW3CX_SYNC_TYPE: "selected",
  GW3CX_SELECTED_USERS: "ada@example.com, bob@example.com",
  GW3CX_SYNC_PHOTO: "yes",
  GW3CX_SAFEGUARD_MAX_DISABLE_COUNT: "7",
  GW_SYNC_TIME: "03:15:00",
  GW3CX_TIME_ZONE: "Europe/Berlin",
};

describe("infra: settingsToFunctionEnv", () => {
  const out = settingsToFunctionEnv(loadSettings({ env }));

  it("passes the settings on under their environment variable names", () => {
    expect(out).toMatchObject({
      GW3CX_3CX_URL: "https://pbx.example.com",
      GW3CX_3CX_CLIENT_ID: "gw3cx",
      GW3CX_GOOGLE_ADMIN_SUBJECT: "admin@example.com",
      GW3CX_GCP_REGION: "europe-west1",
      GW3CX_SYNC_TYPE: "selected",
      GW3CX_SELECTED_USERS: "ada@example.com,bob@example.com",
      GW3CX_SYNC_PHOTO: "true",
      GW3CX_SAFEGUARD_MAX_DISABLE_COUNT: "7",
      GW_SYNC_TIME: "03:15:00",
      GW3CX_TIME_ZONE: "Europe/Berlin",
    });
  });

  it("leaves out what infra sets per function and the local-only overrides", () => {
    const managedEnv = ENV_BINDINGS.filter((b) => INFRA_MANAGED_SETTINGS.has(b.path)).map((b) => b.env);
    expect(managedEnv).toEqual(
      expect.arrayContaining([
        "GW3CX_3CX_CLIENT_SECRET",
        "GW3CX_GOOGLE_CHANNEL_TOKEN",
        "GW3CX_GOOGLE_SERVICE_ACCOUNT",
        "GW3CX_GOOGLE_API_ROOT_URL",
        "GW3CX_GCP_PROJECT",
      ]),
    );
    for (const name of managedEnv) expect(out).not.toHaveProperty(name);
  });

  it("round-trips: the functions load the same settings from it", () => {
    const again = loadSettings({ env: out });
    const original = loadSettings({ env });
    expect(again.syncType).toBe(original.syncType);
    expect(again.selectedUsers).toEqual(original.selectedUsers);
    expect(again.syncPhoto).toBe(true);
    expect(again.safeguard).toEqual(original.safeguard);
    expect(again.threecx.url).toBe(original.threecx.url);
  });
});
