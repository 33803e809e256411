import type { BusyLabel } from "./classify-event.js";
import type { Instant } from "./instant.js";
import { type WallClock, wallClockAt } from "./zoned-time.js";

/** What the message calls each kind of busy time. A private event is "Busy": never its title. */
const WORDING: Record<BusyLabel, string> = {
  meeting: "In a meeting",
  busy: "Busy",
  "focus-time": "Focus time",
  "out-of-office": "Out of office",
};

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (n: number) => String(n).padStart(2, "0");
const sameDay = (a: WallClock, b: WallClock) => a.year === b.year && a.month === b.month && a.day === b.day;

function clockText(w: WallClock): string {
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

function dateText(w: WallClock): string {
  const weekday = WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()];
  return `${weekday} ${w.day} ${MONTHS[w.month - 1]}`;
}

/**
 * The 3CX status message while gw3cx holds a profile, e.g. "In a meeting until 11:00", in the
 * tenant's zone on a 24-hour clock. The date is added when the block does not end on the day it
 * began, and always for out of office ("Out of office until Wed 25 Mar 09:00"). It depends only on
 * the block, never on the current time, so re-deciding later writes the same text.
 */
export function statusMessageText(label: BusyLabel, from: Instant, until: Instant, timeZone: string): string {
  const end = wallClockAt(until, timeZone);
  const withDate = label === "out-of-office" || !sameDay(wallClockAt(from, timeZone), end);
  return `${WORDING[label]} until ${withDate ? `${dateText(end)} ` : ""}${clockText(end)}`;
}

const OWN_TEXT = new RegExp(
  `^(${Object.values(WORDING).join("|")}) until (\\w{3} \\d{1,2} \\w{3} )?\\d{2}:\\d{2}$`,
);

/**
 * Text only gw3cx writes. Found as the "user's own" message when a block begins, it is a leftover
 * of a decision whose state was not saved (a crash between the 3CX write and the state write);
 * it must not be restored as if the user had written it.
 */
export function isGw3cxStatusMessage(text: string | null): boolean {
  return text !== null && OWN_TEXT.test(text);
}
