import { describe, expect, it } from "vitest";
import {
  type ContactRun,
  emptyCounts,
  withUser,
} from "../../../shared/usecases/contacts/contact-run-store.js";
import type { UserContactsResult } from "../../../shared/usecases/contacts/user-contacts-result.js";
import { isAbandoned, withLiveness } from "../../../shared/usecases/user-sync/run-liveness.js";

const run = (usersExpected: number): ContactRun => ({
  runId: "r1",
  trigger: "daily",
  status: "running",
  startedAt: "2026-01-01T00:00:00.000Z",
  usersExpected,
  users: { done: 0, failed: 0, noLabel: 0 },
  contacts: emptyCounts(),
  failures: [],
  notes: [],
});

const result = (status: UserContactsResult["status"], created = 0): UserContactsResult => ({
  googleId: `g-${status}-${created}`,
  email: `${status}@example.com`,
  status,
  fullRead: true,
  counts: { ...emptyCounts(), created },
  ...(status === "failed" ? { failure: { code: "X", message: "boom" } } : {}),
  notes: status === "noLabel" ? [{ code: "NO_CONTACT_LABEL", message: "no label" }] : [],
  overflow: [],
  unfit: [],
  writeErrors: [],
});

const at = new Date("2026-01-01T00:05:00.000Z");

describe("withUser: a run adds up its users", () => {
  it.each([
    ["every user done", [result("done", 2), result("noLabel")], "applied"],
    ["one user failed", [result("done", 2), result("failed")], "failed"],
    ["still users to come", [result("done", 2)], "running"],
  ] as const)("%s -> %s", (_name, results, status) => {
    let current = run(2);
    for (const r of results) current = withUser(current, r, at);
    expect(current.status).toBe(status);
    expect(current.contacts.created).toBe(2);
    expect(current.finishedAt).toBe(status === "running" ? undefined : at.toISOString());
  });

  it("lists failures and notes with the user's email, and leaves the input as it was", () => {
    const start = run(2);
    const next = withUser(withUser(start, result("failed"), at), result("noLabel"), at);
    expect(next.failures).toEqual([{ email: "failed@example.com", code: "X", message: "boom" }]);
    expect(next.notes).toEqual([
      { email: "noLabel@example.com", code: "NO_CONTACT_LABEL", message: "no label" },
    ]);
    expect(start.users).toEqual({ done: 0, failed: 0, noLabel: 0 });
  });
});

describe("a contacts run's heartbeat", () => {
  const beating = (fields: Partial<ContactRun>): ContactRun => ({
    ...run(3),
    heartbeatAt: "2026-01-01T00:01:00.000Z",
    heartbeatLapseMs: 60_000,
    ...fields,
  });

  it("a user's result coming in renews it while the run goes on; the closing result leaves it as the last beat", () => {
    const first = withUser(beating({ usersExpected: 2 }), result("done", 1), at);
    expect(first).toMatchObject({ status: "running", heartbeatAt: at.toISOString() });
    const later = new Date("2026-01-01T00:09:00.000Z");
    const closed = withUser(first, result("noLabel"), later);
    expect(closed).toMatchObject({ status: "applied", finishedAt: later.toISOString() });
  });

  it("a running contacts run shows as abandoned once its heartbeat is older than its lapse; a finished one never", () => {
    const live = beating({});
    expect(withLiveness(live, new Date("2026-01-01T00:02:00.000Z")).status).toBe("running");
    expect(withLiveness(live, new Date("2026-01-01T00:02:00.001Z")).status).toBe("abandoned");
    expect(isAbandoned({ ...live, status: "applied" }, new Date("2027-01-01T00:00:00.000Z"))).toBe(false);
    // The stored record is not changed by reading it.
    expect(live.status).toBe("running");
  });
});
