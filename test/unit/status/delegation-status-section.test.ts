import { describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { stateStoreDelegationHealth } from "../../../shared/adapters/state/state-store-delegation-health.js";
import { delegationStatusSection } from "../../../shared/usecases/status/delegation-status-section.js";

const NOW = new Date("2026-03-24T10:00:00Z");
const read = delegationStatusSection(stateStoreDelegationHealth);
const DAILY = "gw3cx-daily-sync@acme.iam.gserviceaccount.com";
const PEOPLE = "gw3cx-contacts@acme.iam.gserviceaccount.com";

describe("status: the deployed functions' delegation", () => {
  it("shows nothing before any function has recorded a token", async () => {
    expect(await read(new SqliteStateStore(":memory:"), NOW, "Europe/Berlin")).toBeUndefined();
  });

  it("lists each account and scope, refusals first, with the last success and refusal", async () => {
    const state = new SqliteStateStore(":memory:");
    const health = stateStoreDelegationHealth(state);
    await health.put({
      account: DAILY,
      scope: "https://www.googleapis.com/auth/calendar.events.readonly",
      lastSuccessAt: "2026-03-24T09:55:00.000Z",
      last: "success",
      writtenAt: "2026-03-24T09:55:00.000Z",
    });
    await health.put({
      account: PEOPLE,
      scope: "https://www.googleapis.com/auth/contacts.readonly",
      lastSuccessAt: "2026-03-22T10:00:00.000Z",
      lastRefusal: {
        at: "2026-03-24T09:00:00.000Z",
        reason: "unauthorized_client",
        step: "TOKEN_EXCHANGE",
        subject: "ada@example.com",
        message: "refused",
      },
      last: "refused",
      writtenAt: "2026-03-24T09:00:00.000Z",
    });
    const section = await read(state, NOW, "Europe/Berlin");
    expect(section?.summary).toBe(
      "2 accounts, 2 scopes in use; 1 refused at the last token (gw3cx doctor names the fix)",
    );
    expect(section?.rows).toEqual([
      [PEOPLE, "contacts.readonly", "refused", "2 d ago", "unauthorized_client for ada@example.com, 1 h ago"],
      [DAILY, "calendar.events.readonly", "working", "5 min ago", ""],
    ]);
  });
});
