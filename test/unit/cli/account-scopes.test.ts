import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Gw3cxStack } from "../../../infra/gw3cx-stack.js";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import { neededScopes, neededScopesByAccount } from "../../../shared/cli/setup/feature-needs.js";
import { loadSettings } from "../../../shared/config/load-settings.js";

const settings = (base: Record<string, unknown> = {}) =>
  loadSettings({ env: {}, base: { gcp: { projectId: "acme-gw3cx" }, ...base } });
const scopesOf = (byAccount: Record<string, { scope: string }[]>, id: string) =>
  (byAccount[id] ?? []).map((s) => s.scope);
const [DIRECTORY] = SCOPES.directoryUsers;
const [GROUPS] = SCOPES.directoryGroupMembers;
const [CALENDAR] = SCOPES.calendarEvents;
const [CONTACTS] = SCOPES.contacts;
const [GMAIL] = SCOPES.gmailSend;

const everything = settings({
  calendarPresence: true,
  syncPersonalContacts: true,
  syncType: "selectedGroups",
  selectedGroups: ["sales@example.com"],
  safeguard: { adminEmail: "it@example.com" },
  transcription: { mailVoicemails: true },
});

describe("doctor: the scopes each delegating account's function needs", () => {
  it("knows every account the stack lists for delegation, so none is checked against scopes it never asks for", () => {
    const stack = new Gw3cxStack(Testing.app(), "gw3cx", {
      region: "europe-west1",
      syncTime: "02:30:00",
      timeZone: "Europe/Berlin",
      functionSourceDir: join(tmpdir(), "gw3cx-no-such-build", "functions"),
      settingsEnv: { GW3CX_3CX_URL: "https://pbx.example.com", GW_SYNC_TIME: "02:30:00" },
      transcription: { delegation: true },
    });
    const tf = JSON.parse(Testing.synth(stack)) as {
      output: Record<string, { value: unknown }>;
      resource: { google_service_account: Record<string, { account_id: string }> };
    };
    const listed = ((tf.output.delegation_client_ids?.value ?? []) as { account: string }[]).map((entry) => {
      const resource = /^\$\{google_service_account\.([^.]+)\.email\}$/.exec(entry.account)?.[1] ?? "";
      return tf.resource.google_service_account[resource]?.account_id;
    });
    expect(listed).toHaveLength(7);
    expect(Object.keys(neededScopesByAccount(everything)).sort()).toEqual([...listed].sort());
  });

  it("gives each account only the scopes its function asks for, among those the features need", () => {
    const byAccount = neededScopesByAccount(everything);
    expect(scopesOf(byAccount, "gw3cx-contacts")).toEqual([CONTACTS]);
    expect(scopesOf(byAccount, "gw3cx-user-sync")).toEqual([DIRECTORY, GROUPS]);
    expect(scopesOf(byAccount, "gw3cx-daily-sync")).toEqual([DIRECTORY, GROUPS, CALENDAR, GMAIL]);
    expect(scopesOf(byAccount, "gw3cx-presence-worker")).toEqual([DIRECTORY, CALENDAR]);
    expect(scopesOf(byAccount, "gw3cx-transcription")).toEqual([DIRECTORY, GMAIL]);
    const all = neededScopes(everything).map((s) => s.scope);
    for (const scopes of Object.values(byAccount)) for (const s of scopes) expect(all).toContain(s.scope);
  });

  it("drops a scope whose feature is off, and mail where that function does not send it", () => {
    const heldRunMailOnly = neededScopesByAccount(settings({ safeguard: { adminEmail: "it@example.com" } }));
    expect(scopesOf(heldRunMailOnly, "gw3cx-daily-sync")).toEqual([DIRECTORY, GMAIL]);
    expect(scopesOf(heldRunMailOnly, "gw3cx-transcription")).toEqual([DIRECTORY]);
    expect(scopesOf(heldRunMailOnly, "gw3cx-contacts")).toEqual([]);
    const voicemailOnly = neededScopesByAccount(settings({ transcription: { mailVoicemails: true } }));
    expect(scopesOf(voicemailOnly, "gw3cx-daily-sync")).toEqual([DIRECTORY]);
    expect(scopesOf(voicemailOnly, "gw3cx-transcription")).toEqual([DIRECTORY, GMAIL]);
  });
});
