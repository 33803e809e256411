import { describe, expect, it } from "vitest";
import { decidePresence } from "../../../../shared/domain/presence/decide-presence.js";
import { PresenceTimeline } from "../../../../shared/domain/presence/presence-timeline.js";
import { applyPresenceWrites, type PbxPresence } from "../../../../shared/domain/presence/presence-writes.js";
import { DEFAULT_PRESENCE_RULES } from "../../../../shared/domain/presence/profiles.js";
import { answered, DAY, meeting, statusEvent, utc } from "./events.js";
import { PresenceScenario } from "./presence-scenario.js";

const DND = "Out of office";
const userMessages = { Available: "At my desk", [DND]: "Back soon", Away: "Out and about" };
const startAt = (start: string) => ({ dateTime: `${DAY}T${start}:00Z` });

describe("decidePresence: entering and leaving", () => {
  it("a meeting sets DND with its message, and its end restores the profile and message the user had", () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")], {
      profile: "Available",
      messages: userMessages,
    });
    expect(s.at("09:59").writes).toEqual([]);
    expect(s.at("10:00").writes).toEqual([
      { type: "setMessage", profile: DND, message: "In a meeting until 11:00" },
      { type: "setProfile", profile: DND },
    ]);
    expect(s.state).toMatchObject({ phase: "holding", heldProfile: DND, savedProfile: "Available" });
    expect(s.at("10:30").writes).toEqual([]);
    expect(s.at("11:00").writes).toEqual([
      { type: "setMessage", profile: DND, message: "Back soon" },
      { type: "setProfile", profile: "Available" },
    ]);
    expect(s.pbx).toEqual({ profile: "Available", messages: userMessages });
    expect(s.state).toBeNull();
  });

  it.each(["Away", DND])("restores %s when that is what the user had", (before) => {
    const s = new PresenceScenario([statusEvent("f", "focusTime", "10:00", "11:00")], {
      profile: before,
      messages: {},
    });
    s.at("10:00");
    expect(s.pbx.profile).toBe(DND);
    s.at("11:00");
    expect(s.pbx.profile).toBe(before);
  });

  it("back-to-back meetings are one block: one write in, one out, nothing at the seam", () => {
    const s = new PresenceScenario([meeting("a", "10:00", "11:00"), meeting("b", "11:00", "12:00")]);
    s.settings.statusMessage = false;
    for (const t of ["10:00", "10:59", "11:00", "11:30"]) s.at(t);
    expect(s.totalWrites).toBe(1);
    s.at("12:00");
    expect(s.totalWrites).toBe(2);
    expect(s.pbx.profile).toBe("Available");
  });

  it("a profile 3CX reports that cannot be written back is restored as Available", () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")], { profile: null, messages: {} });
    s.at("10:00");
    s.at("11:00");
    expect(s.pbx.profile).toBe("Available");
  });

  it("an out-of-office day with a meeting in it: Away, DND, Away, then what the user had", () => {
    const s = new PresenceScenario(
      [statusEvent("o", "outOfOffice", "09:00", "17:00"), meeting("m", "10:00", "11:00")],
      { profile: "Available", messages: userMessages },
    );
    const seen = ["09:00", "10:00", "11:00", "17:00"].map((t) => {
      s.at(t);
      return [s.pbx.profile, s.pbx.messages.Away, s.pbx.messages[DND]];
    });
    expect(seen).toEqual([
      ["Away", "Out of office until Tue 24 Mar 17:00", "Back soon"],
      [DND, "Out and about", "In a meeting until 11:00"],
      ["Away", "Out of office until Tue 24 Mar 17:00", "Back soon"],
      ["Available", "Out and about", "Back soon"],
    ]);
  });

  it("a timer lost across two blocks: the first is left and the next entered in one decision", () => {
    const s = new PresenceScenario([meeting("a", "10:00", "11:00"), meeting("b", "11:30", "12:00")], {
      profile: "Available",
      messages: userMessages,
    });
    s.at("10:00");
    // No decision at 11:00; the reconcile tick comes at 11:31.
    const d = s.at("11:31");
    expect(d.steps).toEqual(["left-restored", "entered"]);
    expect(d.writes).toEqual([{ type: "setMessage", profile: DND, message: "In a meeting until 12:00" }]);
    expect(s.state).toMatchObject({ savedProfile: "Available", message: { saved: "Back soon" } });
    s.at("12:00");
    expect(s.pbx).toEqual({ profile: "Available", messages: userMessages });
  });
});

describe("decidePresence: the user's own choice wins", () => {
  it.each(["Available", "Away"])(
    "picking %s by hand mid-meeting is kept, at the end and by later notifications",
    (pick) => {
      const s = new PresenceScenario([meeting("m", "10:00", "12:00")], {
        profile: "Available",
        messages: userMessages,
      });
      s.at("10:00");
      s.userPicks(pick);
      const d = s.at("10:20");
      expect(d.steps).toEqual(["user-changed-profile"]);
      // gw3cx's message on the profile it no longer holds goes back to the user's.
      expect(d.writes).toEqual([{ type: "setMessage", profile: DND, message: "Back soon" }]);
      // The organiser extends the meeting: a notification inside the same block changes nothing.
      s.change("m", (e) => ({ ...e, end: startAt("12:30") }));
      expect(s.at("10:40").writes).toEqual([]);
      expect(s.at("12:30").writes).toEqual([]);
      expect(s.pbx.profile).toBe(pick);
      expect(s.state).toBeNull();
    },
  );

  it.each(["Custom 1", "Custom 2"])(
    "while 3CX shows %s at a meeting's start, the calendar changes nothing",
    (reserved) => {
      const s = new PresenceScenario([meeting("m", "10:00", "11:00"), meeting("n", "10:30", "11:30")], {
        profile: reserved,
        messages: userMessages,
      });
      expect(s.at("10:00")).toMatchObject({ writes: [], steps: ["reserved-profile"] });
      // Back from lunch during the meeting: still the user's block.
      s.userPicks("Available");
      expect(s.at("10:45")).toMatchObject({ writes: [], steps: ["user-owns-block"] });
      expect(s.at("11:30").writes).toEqual([]);
      expect(s.pbx).toEqual({ profile: "Available", messages: userMessages });
      // The next meeting is gw3cx's again.
      s.events.push(meeting("later", "14:00", "15:00"));
      expect(s.at("14:00").writes).toContainEqual({ type: "setProfile", profile: DND });
    },
  );

  it.each(["Custom 1", "Custom 2"])("choosing %s mid-meeting is kept at the end", (reserved) => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")]);
    s.at("10:00");
    s.userPicks(reserved);
    s.at("10:30");
    expect(s.at("11:00").writes).toEqual([]);
    expect(s.pbx.profile).toBe(reserved);
  });

  it("a profile picked by hand between two decisions, then the end: compare-and-set keeps it", () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")]);
    s.at("10:00");
    s.userPicks("Away");
    const end = s.at("11:00");
    expect(end.steps).toEqual(["left-user-profile-kept"]);
    // Only gw3cx's message on the profile the user left goes back.
    expect(end.writes).toEqual([{ type: "setMessage", profile: DND, message: null }]);
    expect(s.pbx.profile).toBe("Away");
  });

  it("a message the user edits during the block is theirs: not rewritten, not restored", () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")], {
      profile: "Available",
      messages: userMessages,
    });
    s.at("10:00");
    s.userWritesMessage(DND, "Call my mobile");
    s.change("m", (e) => ({ ...e, end: startAt("11:30") }));
    expect(s.at("10:30").writes).toEqual([]);
    expect(s.at("11:30").writes).toEqual([{ type: "setProfile", profile: "Available" }]);
    expect(s.pbx.messages[DND]).toBe("Call my mobile");
  });

  it("when the user is already in DND, gw3cx adds only its message and leaves DND at the end", () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")], {
      profile: DND,
      messages: userMessages,
    });
    expect(s.at("10:00").writes).toEqual([
      { type: "setMessage", profile: DND, message: "In a meeting until 11:00" },
    ]);
    s.at("11:00");
    expect(s.pbx).toEqual({ profile: DND, messages: userMessages });
  });
});

describe("decidePresence: a block that changes while active is followed at once", () => {
  const startScenario = () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")], {
      profile: "Available",
      messages: userMessages,
    });
    s.at("10:00");
    return s;
  };
  const restored = { profile: "Available", messages: userMessages };

  it.each([
    ["moved later", (e: object) => ({ ...e, start: startAt("14:00"), end: startAt("15:00") })],
    [
      "moved earlier, already over",
      (e: object) => ({ ...e, start: startAt("09:00"), end: startAt("10:15") }),
    ],
    ["shortened to before now", (e: object) => ({ ...e, end: startAt("10:20") })],
    ["cancelled (deleted)", (e: object) => ({ ...e, status: "cancelled" })],
    ["declined by the user", (e: object) => answered(e, "declined")],
    ["marked Free", (e: object) => ({ ...e, transparency: "transparent" })],
  ])("%s: the profile and message come back at the notification", (_name, edit) => {
    const s = startScenario();
    s.change("m", edit);
    expect(s.at("10:30").steps).toEqual(["left-restored"]);
    expect(s.pbx).toEqual(restored);
    expect(s.state).toBeNull();
  });

  it("a moved meeting sets DND again at its new time", () => {
    const s = startScenario();
    s.change("m", (e) => ({ ...e, start: startAt("14:00"), end: startAt("15:00") }));
    s.at("10:30");
    expect(s.at("14:00").writes).toEqual([
      { type: "setMessage", profile: DND, message: "In a meeting until 15:00" },
      { type: "setProfile", profile: DND },
    ]);
  });

  it.each([
    ["extended", "12:00", "In a meeting until 12:00"],
    ["shortened", "10:45", "In a meeting until 10:45"],
  ])("%s: only the message changes, and the end follows the new time", (_name, end, message) => {
    const s = startScenario();
    s.change("m", (e) => ({ ...e, end: startAt(end) }));
    expect(s.at("10:30").writes).toEqual([{ type: "setMessage", profile: DND, message }]);
    expect(s.pbx.profile).toBe(DND);
    s.at(end);
    expect(s.pbx).toEqual(restored);
  });

  it("a meeting that becomes focus time keeps DND and says so", () => {
    const s = startScenario();
    s.change("m", (e) => ({ ...e, eventType: "focusTime", attendees: undefined }));
    expect(s.at("10:30").writes).toEqual([
      { type: "setMessage", profile: DND, message: "Focus time until 11:00" },
    ]);
  });

  it("a late notification after the end, and a duplicate timer, write nothing", () => {
    const s = startScenario();
    s.at("11:00");
    const before = s.totalWrites;
    s.at("11:00");
    s.at("11:05");
    expect(s.totalWrites).toBe(before);
  });
});

describe("decidePresence: status message", () => {
  it.each([
    ["a meeting", "UTC", meeting("m", "10:00", "11:00"), "In a meeting until 11:00"],
    ["a meeting", "Europe/Berlin", meeting("m", "10:00", "11:00"), "In a meeting until 12:00"],
    ["a meeting", "Asia/Kolkata", meeting("m", "10:00", "11:00"), "In a meeting until 16:30"],
    [
      "a private meeting",
      "UTC",
      meeting("m", "10:00", "11:00", { visibility: "private" }),
      "Busy until 11:00",
    ],
    [
      "a confidential meeting",
      "UTC",
      meeting("m", "10:00", "11:00", { visibility: "confidential" }),
      "Busy until 11:00",
    ],
    ["focus time", "UTC", statusEvent("f", "focusTime", "10:00", "11:00"), "Focus time until 11:00"],
    [
      "out of office",
      "America/Los_Angeles",
      statusEvent("o", "outOfOffice", "10:00", "23:00"),
      "Out of office until Tue 24 Mar 16:00",
    ],
    // Ends after local midnight: the date says which day.
    ["a late meeting", "Asia/Kolkata", meeting("m", "18:00", "19:00"), "In a meeting until Wed 25 Mar 00:30"],
  ])("%s in %s", (_name, timeZone, event, message) => {
    const s = new PresenceScenario([event]);
    s.settings.timeZone = timeZone;
    const d = s.at((event.start?.dateTime ?? "").slice(11, 16));
    expect(d.writes[0]).toEqual({ type: "setMessage", profile: expect.any(String), message });
    expect(message).not.toContain(event.summary);
  });

  it("off: profiles only, and turning it on or off mid-block writes or restores the message", () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")], {
      profile: "Available",
      messages: userMessages,
    });
    s.settings.statusMessage = false;
    expect(s.at("10:00").writes).toEqual([{ type: "setProfile", profile: DND }]);
    s.settings.statusMessage = true;
    expect(s.at("10:10").writes).toEqual([
      { type: "setMessage", profile: DND, message: "In a meeting until 11:00" },
    ]);
    s.settings.statusMessage = false;
    expect(s.at("10:20").writes).toEqual([{ type: "setMessage", profile: DND, message: "Back soon" }]);
    expect(s.at("11:00").writes).toEqual([{ type: "setProfile", profile: "Available" }]);
    expect(s.pbx).toEqual({ profile: "Available", messages: userMessages });
  });
});

describe("decidePresence: convergence when writes fail", () => {
  it("a crash after some of the writes, before the state was stored, still ends with what the user had", () => {
    const events = [meeting("m", "10:00", "11:00")];
    const timeline = PresenceTimeline.fromEvents(events, DEFAULT_PRESENCE_RULES, "UTC");
    const settings = { statusMessage: true, timeZone: "UTC" };
    const decide = (at: string, pbx: typeof start, state: ReturnType<typeof decidePresence>["state"]) =>
      decidePresence({ now: utc(at), target: timeline.profileAt(utc(at)), pbx, state, settings });
    const start: PbxPresence = { profile: "Available", messages: userMessages };

    const first = decide("10:00", start, null);
    // Only the first write reached 3CX; the state was not stored.
    const partial = applyPresenceWrites(start, first.writes.slice(0, 1));
    const retry = decide("10:00", partial, null);
    const during = applyPresenceWrites(partial, retry.writes);
    expect(during.profile).toBe(DND);
    const end = decide("11:00", during, retry.state);
    const after = applyPresenceWrites(during, end.writes);
    expect(after.profile).toBe("Available");
    // The user's own message could not be known after the crash; gw3cx's text is not left behind.
    expect(after.messages[DND]).toBeNull();
  });

  it("a lost state write after all the writes: the end does not leave the user in DND", () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")], {
      profile: "Available",
      messages: userMessages,
    });
    s.at("10:00");
    s.state = null;
    s.at("10:05");
    s.at("11:00");
    expect(s.pbx.profile).toBe("Available");
    expect(s.pbx.messages[DND]).toBeNull();
  });

  it("a failed restore at the end is finished by the next decision", () => {
    const s = new PresenceScenario([meeting("m", "10:00", "11:00")], {
      profile: "Available",
      messages: userMessages,
    });
    s.at("10:00");
    const end = s.decision("11:00");
    // The profile write went through, the message write did not; the old state is kept.
    s.pbx = applyPresenceWrites(
      s.pbx,
      end.writes.filter((w) => w.type === "setProfile"),
    );
    s.at("11:01");
    expect(s.pbx).toEqual({ profile: "Available", messages: userMessages });
  });
});
