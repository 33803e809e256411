import { describe, expect, it } from "vitest";
import { parseEventsListResponse } from "../../../../shared/domain/presence/events-list-response.js";
import { meeting } from "./events.js";

describe("parseEventsListResponse", () => {
  it("keeps what presence reads from an events.list response", () => {
    const response = {
      kind: "calendar#events",
      timeZone: "Asia/Kolkata",
      items: [meeting("m", "10:00", "11:00")],
    };
    expect(parseEventsListResponse(response)).toEqual({
      timeZone: "Asia/Kolkata",
      items: [meeting("m", "10:00", "11:00")],
    });
  });

  it.each([
    [{ items: [] }, "timeZone"],
    [
      { items: [], timeZone: "Mars/Olympus" },
      'timeZone: expected an IANA time zone name, e.g. "Europe/Berlin" (got "Mars/Olympus")',
    ],
    [{ timeZone: "UTC" }, "items"],
    [{ timeZone: "UTC", items: [{ id: 7 }] }, "items.0.id"],
    [
      { timeZone: "UTC", items: [{ attendees: [{ self: "yes" }] }] },
      'items.0.attendees.0.self: Invalid input: expected boolean, received string (got "yes")',
    ],
    ["not json", "(response)"],
  ])("refuses %j naming %s", (input, message) => {
    expect(() => parseEventsListResponse(input)).toThrow(
      expect.objectContaining({ code: "PRESENCE_INVALID_EVENTS", message: expect.stringContaining(message) }),
    );
  });
});
