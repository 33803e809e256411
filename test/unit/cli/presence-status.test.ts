import { afterEach, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { renderStatus } from "../../../shared/cli/render/status-tables.js";
import { renderStatusPage } from "../../../shared/runtime/status-page/render-status-page.js";
import { PresenceStore, type UserPresence } from "../../../shared/usecases/presence/presence-store.js";
import { readLocalStatus } from "../../support/read-local-status.js";

let state: SqliteStateStore;
afterEach(async () => {
  await state?.close();
});

const T = Date.parse("2026-03-24T10:00:00Z");
const base = (googleUserId: string, email: string): UserPresence => ({
  googleUserId,
  email,
  calendarTimeZone: "UTC",
  intervals: [],
  override: null,
  holding: false,
  nextBoundaryMs: null,
  appliedAtMs: T,
  fullReadAtMs: T,
});

describe("status: active presence overrides", () => {
  it("lists users gw3cx holds a profile for (not those who took their block over), in status, --json and the page", async () => {
    state = new SqliteStateStore(":memory:");
    const store = new PresenceStore(state);
    const span = { start: T - 60_000, end: T + 30 * 60_000 };
    await store.save({
      ...base("g1", "ada@example.com"),
      holding: true,
      override: {
        phase: "holding",
        since: T - 60_000,
        span,
        kind: "dnd",
        heldProfile: "Out of office",
        savedProfile: "Available",
        message: null,
        messageYielded: false,
      },
      nextBoundaryMs: span.end,
    });
    await store.save({
      ...base("g2", "grace@example.com"),
      override: { phase: "yielded", reason: "manual-change", since: T, span, kind: "dnd" },
    });
    await store.save(base("g3", "alan@example.com"));

    const status = await readLocalStatus(state, new Date(T));
    expect(status.presence.overrides).toMatchObject([
      {
        user: "ada@example.com",
        googleUserId: "g1",
        profile: "Out of office",
        since: "2026-03-24T09:59:00.000Z",
        until: "2026-03-24T10:30:00.000Z",
        kind: "dnd",
      },
    ]);
    const text = renderStatus(status);
    expect(text).toContain("Presence overrides (calendars watched: 0) (1):");
    expect(text).toMatch(
      /ada@example\.com.*Out of office.*2026-03-24T09:59:00\.000Z.*2026-03-24T10:30:00\.000Z.*dnd/,
    );
    expect(text).not.toContain("grace@example.com");
    const page = renderStatusPage(status);
    expect(page).toContain("<td>ada@example.com</td><td>Out of office</td>");
  });
});
