import { z } from "zod";
import { Gw3cxError } from "../../errors.js";
import type { CalendarEventCopy } from "./calendar-event-copy.js";
import { isValidTimeZone } from "./zoned-time.js";

/**
 * An events.list response saved to a file (`gw3cx explain --events FILE`): the fields presence
 * reads are checked for type, everything else Google sends is passed over.
 */
const text = z.string().nullish();
const eventTime = z.object({ date: text, dateTime: text, timeZone: text }).nullish();
const eventSchema = z.object({
  id: text,
  status: text,
  eventType: text,
  summary: text,
  visibility: text,
  transparency: text,
  start: eventTime,
  end: eventTime,
  attendees: z
    .array(z.object({ self: z.boolean().nullish(), organizer: z.boolean().nullish(), responseStatus: text }))
    .nullish(),
  organizer: z.object({ self: z.boolean().nullish() }).nullish(),
  organizerIsSelf: z.boolean().nullish(),
  recurringEventId: text,
});
const responseSchema = z.object({
  items: z.array(eventSchema),
  timeZone: z
    .string()
    .refine(isValidTimeZone, { error: 'expected an IANA time zone name, e.g. "Europe/Berlin"' }),
});

export interface EventsListResponse {
  items: CalendarEventCopy[];
  /** The calendar's zone, in which all-day dates are read. */
  timeZone: string;
}

export class InvalidEventsListError extends Gw3cxError<"PRESENCE_INVALID_EVENTS"> {}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[key];
  return value;
}

/** Reads an events.list response; a bad one is refused with each wrong field, its value and why. */
export function parseEventsListResponse(input: unknown): EventsListResponse {
  const parsed = responseSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "(response)";
    return `${field}: ${issue.message} (got ${JSON.stringify(valueAt(input, issue.path)) ?? "nothing"})`;
  });
  throw new InvalidEventsListError(
    "PRESENCE_INVALID_EVENTS",
    `not an events.list response: ${problems.join("; ")}`,
    {
      details: { problems },
    },
  );
}
