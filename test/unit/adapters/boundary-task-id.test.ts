import { describe, expect, it } from "vitest";
import { boundaryTaskId, MAX_GENERATIONS } from "../../../shared/adapters/cloud-tasks/boundary-task-id.js";
import { createCloudTasksClient } from "../../../shared/adapters/cloud-tasks/cloud-tasks-client.js";
import { isGw3cxError } from "../../../shared/errors.js";

describe("Cloud Tasks boundary task ids", () => {
  const wakeUp = { googleUserId: "118234567890123456789", at: Date.UTC(2026, 10, 27, 10, 0) };

  it("are the same for the same user, instant and generation, so Cloud Tasks creates the task once", () => {
    expect(boundaryTaskId({ ...wakeUp })).toBe(boundaryTaskId(wakeUp));
    expect(boundaryTaskId(wakeUp, 2)).toBe(boundaryTaskId({ ...wakeUp }, 2));
  });

  it("differ by user, by instant and by generation", () => {
    const ids = new Set([
      boundaryTaskId(wakeUp),
      boundaryTaskId({ ...wakeUp, googleUserId: "118234567890123456780" }),
      boundaryTaskId({ ...wakeUp, at: wakeUp.at + 1 }),
      ...Array.from({ length: MAX_GENERATIONS }, (_, g) => boundaryTaskId(wakeUp, g)),
    ]);
    expect(ids.size).toBe(3 + MAX_GENERATIONS - 1);
  });

  it("do not let a user id and an instant run together into another pair's id", () => {
    expect(boundaryTaskId({ googleUserId: "12", at: 34 })).not.toBe(
      boundaryTaskId({ googleUserId: "1", at: 234 }),
    );
  });

  it("are valid Cloud Tasks ids that lead with a hash, end with the instant, and never show the user", () => {
    for (const googleUserId of ["118234567890123456789", "user with spaces/and:colons", "é".repeat(300)]) {
      const id = boundaryTaskId({ googleUserId, at: wakeUp.at }, 1);
      expect(id).toMatch(/^[A-Za-z0-9_-]{1,500}$/);
      expect(id).toMatch(new RegExp(`^[0-9a-f]{32}-${wakeUp.at}-g1$`));
      expect(id).not.toContain(googleUserId);
    }
  });

  it("refuse a wake-up without a user or with an instant that is not epoch milliseconds", () => {
    for (const bad of [
      { googleUserId: "", at: 0 },
      { googleUserId: "u", at: -1 },
      { googleUserId: "u", at: 1.5 },
      { googleUserId: "u", at: Number.POSITIVE_INFINITY },
    ]) {
      let error: unknown;
      try {
        boundaryTaskId(bad);
      } catch (e) {
        error = e;
      }
      expect(isGw3cxError(error, "BOUNDARY_INVALID_ARGUMENT"), JSON.stringify(bad)).toBe(true);
    }
  });
});

describe("createCloudTasksClient", () => {
  it("refuses an emulator host that is not host:port, naming the variable", () => {
    for (const bad of ["127.0.0.1", "localhost:", ":8080", "host:99999"])
      expect(() => createCloudTasksClient({}, { CLOUD_TASKS_EMULATOR_HOST: bad })).toThrow(
        /CLOUD_TASKS_EMULATOR_HOST must be host:port/,
      );
  });
});
