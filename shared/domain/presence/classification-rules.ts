import type { PresenceRules } from "./profiles.js";

/**
 * The rule table (DESIGN.md "Presence"): rows are tried top to bottom and the first that matches
 * decides. Each row has a stable id, shown by explain and in logs.
 */

/** What the rows look at, read once from the event copy. */
export interface EventFacts {
  cancelled: boolean;
  eventType: string;
  transparent: boolean;
  /** The calendar owner's own answer; "none" when the copy lists attendees but not them. */
  selfResponse: "accepted" | "declined" | "tentative" | "needsAction" | "none";
  organizedBySelf: boolean;
  hasAttendees: boolean;
}

/** Which setting names the profile, and what the status message calls it. */
export type BusySource = "eventProfile" | "focusTimeProfile" | "outOfOfficeProfile";

export type CountingRule =
  | "out-of-office"
  | "focus-time"
  | "default-organizer"
  | "default-no-attendees"
  | "default-accepted"
  | "default-tentative"
  | "default-needs-action";

export type IgnoringRule =
  | "cancelled"
  | "working-location"
  | "birthday"
  | "from-gmail"
  | "unknown-event-type"
  | "transparent"
  | "declined"
  | "tentative"
  | "needs-action"
  | "no-time"
  | "zero-length";

export type ClassificationRule = CountingRule | IgnoringRule;

type Row =
  | { rule: CountingRule; when: (f: EventFacts, r: PresenceRules) => boolean; counts: BusySource }
  | { rule: IgnoringRule; when: (f: EventFacts, r: PresenceRules) => boolean; counts: null };

const unanswered = (f: EventFacts) => f.selfResponse === "needsAction" || f.selfResponse === "none";

export const CLASSIFICATION_ROWS: readonly Row[] = [
  { rule: "cancelled", when: (f) => f.cancelled, counts: null },
  { rule: "working-location", when: (f) => f.eventType === "workingLocation", counts: null },
  { rule: "birthday", when: (f) => f.eventType === "birthday", counts: null },
  { rule: "from-gmail", when: (f) => f.eventType === "fromGmail", counts: null },
  { rule: "out-of-office", when: (f) => f.eventType === "outOfOffice", counts: "outOfOfficeProfile" },
  { rule: "focus-time", when: (f) => f.eventType === "focusTime", counts: "focusTimeProfile" },
  // A type Google adds later is not guessed at.
  { rule: "unknown-event-type", when: (f) => f.eventType !== "default", counts: null },
  { rule: "transparent", when: (f) => f.transparent, counts: null },
  // Before the organiser row: an organiser who declines their own meeting is not in it.
  { rule: "declined", when: (f) => f.selfResponse === "declined", counts: null },
  { rule: "default-organizer", when: (f) => f.organizedBySelf, counts: "eventProfile" },
  { rule: "default-no-attendees", when: (f) => !f.hasAttendees, counts: "eventProfile" },
  { rule: "default-accepted", when: (f) => f.selfResponse === "accepted", counts: "eventProfile" },
  {
    rule: "default-tentative",
    when: (f, r) => f.selfResponse === "tentative" && r.includeTentative,
    counts: "eventProfile",
  },
  { rule: "tentative", when: (f) => f.selfResponse === "tentative", counts: null },
  {
    rule: "default-needs-action",
    when: (f, r) => unanswered(f) && r.includeTentative,
    counts: "eventProfile",
  },
  { rule: "needs-action", when: () => true, counts: null },
];
