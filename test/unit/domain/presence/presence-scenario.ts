import { expect } from "vitest";
import type { CalendarEventCopy } from "../../../../shared/domain/presence/calendar-event-copy.js";
import { decidePresence, type PresenceDecision } from "../../../../shared/domain/presence/decide-presence.js";
import type { PresenceOverride } from "../../../../shared/domain/presence/presence-override.js";
import { PresenceTimeline } from "../../../../shared/domain/presence/presence-timeline.js";
import { applyPresenceWrites, type PbxPresence } from "../../../../shared/domain/presence/presence-writes.js";
import { DEFAULT_PRESENCE_RULES } from "../../../../shared/domain/presence/profiles.js";
import { utc } from "./events.js";

/**
 * One user through time: their calendar, what 3CX shows, and the stored override. `at` decides as
 * the worker would (a notification or a timer), applies the writes to the 3CX stand-in, stores the
 * state, and checks that deciding again at once writes nothing (idempotence, on every step).
 */
export class PresenceScenario {
  state: PresenceOverride | null = null;
  settings = { statusMessage: true, timeZone: "UTC" };
  readonly history: PresenceDecision[] = [];

  constructor(
    public events: CalendarEventCopy[],
    public pbx: PbxPresence = { profile: "Available", messages: {} },
  ) {}

  decision(at: string): PresenceDecision {
    const now = utc(at);
    const target = PresenceTimeline.fromEvents(this.events, DEFAULT_PRESENCE_RULES, "UTC").profileAt(now);
    return decidePresence({ now, target, pbx: this.pbx, state: this.state, settings: this.settings });
  }

  at(time: string): PresenceDecision {
    const decision = this.decision(time);
    this.pbx = applyPresenceWrites(this.pbx, decision.writes);
    this.state = decision.state;
    this.history.push(decision);
    const again = this.decision(time);
    expect(again.writes, `deciding again at ${time} writes nothing`).toEqual([]);
    expect(again.state).toEqual(this.state);
    return decision;
  }

  /** The user picks a profile in a 3CX app. */
  userPicks(profile: string): void {
    this.pbx = { ...this.pbx, profile };
  }

  userWritesMessage(profile: string, message: string): void {
    this.pbx = { ...this.pbx, messages: { ...this.pbx.messages, [profile]: message } };
  }

  /** The organiser or the user changes the calendar; the copy changes with it. */
  change(id: string, edit: (event: CalendarEventCopy) => CalendarEventCopy): void {
    this.events = this.events.map((e) => (e.id === id ? edit(e) : e));
  }

  get totalWrites(): number {
    return this.history.reduce((n, d) => n + d.writes.length, 0);
  }
}
