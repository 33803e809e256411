import type { CalendarEventCopy } from "./calendar-event-copy.js";
import { type BusyInterval, type BusyLabel, busyIntervals } from "./classify-event.js";
import type { Instant, TimeRange } from "./instant.js";
import { contains } from "./instant.js";
import {
  type BlockKind,
  kindOfProfile,
  type PresenceProfile,
  type PresenceRules,
  profileRank,
} from "./profiles.js";

/**
 * A stretch of time with one profile: the strongest profile among the busy intervals covering
 * it. Neighbouring blocks always differ in profile (or are separated by free time), so every block
 * edge is a real change and merged meetings have no boundary inside them.
 */
export interface PresenceBlock extends TimeRange {
  profile: PresenceProfile;
  kind: BlockKind;
  /** What the status message calls this block. */
  label: BusyLabel;
  /**
   * Until when the user stays at least this busy: the end of the run of blocks at this profile's
   * rank or stronger. An Away day with a DND meeting inside is "Out of office until 17:00" both
   * before and after the meeting.
   */
  until: Instant;
  /** The merged busy time this block belongs to: back-to-back and overlapping intervals, any profile. */
  span: TimeRange;
  /** The counted intervals in this block's profile that overlap it. */
  intervals: readonly BusyInterval[];
}

export interface PresenceAt {
  profile: PresenceProfile;
  kind: BlockKind;
  /** The rule of the interval that puts the user in this profile at that instant. */
  rule: BusyInterval["rule"];
  block: PresenceBlock;
}

/** Strongest label first: the message never says "Focus time" while a meeting is part of it. */
const LABEL_PRECEDENCE: readonly BusyLabel[] = ["out-of-office", "meeting", "busy", "focus-time"];

function strongest(covering: readonly BusyInterval[]): PresenceProfile | undefined {
  let best: PresenceProfile | undefined;
  for (const i of covering) if (!best || profileRank(i.profile) > profileRank(best)) best = i.profile;
  return best;
}

interface Piece extends TimeRange {
  profile: PresenceProfile;
}

/** Elementary pieces between consecutive interval edges, each with its winning profile. */
function piecesOf(intervals: readonly BusyInterval[]): Piece[] {
  const edges = [...new Set(intervals.flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const start = edges[k] as Instant;
    const end = edges[k + 1] as Instant;
    const profile = strongest(intervals.filter((i) => contains(i, start)));
    if (!profile) continue;
    const last = pieces.at(-1);
    if (last && last.end === start && last.profile === profile) last.end = end;
    else pieces.push({ start, end, profile });
  }
  return pieces;
}

function labelOf(intervals: readonly BusyInterval[]): BusyLabel {
  return LABEL_PRECEDENCE.find((l) => intervals.some((i) => i.label === l)) ?? "meeting";
}

export class PresenceTimeline {
  private constructor(readonly blocks: readonly PresenceBlock[]) {}

  /** The timeline of one calendar's events; all-day dates are read in `calendarTimeZone`. */
  static fromEvents(
    events: readonly CalendarEventCopy[],
    rules: PresenceRules,
    calendarTimeZone: string,
  ): PresenceTimeline {
    return PresenceTimeline.fromIntervals(busyIntervals(events, rules, calendarTimeZone));
  }

  static fromIntervals(intervals: readonly BusyInterval[]): PresenceTimeline {
    const pieces = piecesOf(intervals);
    const blocks: PresenceBlock[] = [];
    let spanFirst = 0;
    pieces.forEach((piece, k) => {
      if (k > 0 && (pieces[k - 1] as Piece).end !== piece.start) spanFirst = k;
      let spanLast = k;
      while (
        spanLast + 1 < pieces.length &&
        (pieces[spanLast + 1] as Piece).start === pieces[spanLast]?.end
      ) {
        spanLast++;
      }
      let untilLast = k;
      while (
        untilLast < spanLast &&
        profileRank((pieces[untilLast + 1] as Piece).profile) >= profileRank(piece.profile)
      ) {
        untilLast++;
      }
      const own = intervals.filter(
        (i) => i.profile === piece.profile && i.start < piece.end && piece.start < i.end,
      );
      blocks.push({
        start: piece.start,
        end: piece.end,
        profile: piece.profile,
        kind: kindOfProfile(piece.profile),
        label: labelOf(own),
        until: (pieces[untilLast] as Piece).end,
        span: { start: (pieces[spanFirst] as Piece).start, end: (pieces[spanLast] as Piece).end },
        intervals: own,
      });
    });
    return new PresenceTimeline(blocks);
  }

  /** The profile gw3cx puts the user in at `at`, or null when no busy interval covers it. */
  profileAt(at: Instant): PresenceAt | null {
    const block = this.blocks.find((b) => contains(b, at));
    if (!block) return null;
    // Several intervals may cover `at`: name the one that began first (then the longest).
    const covering = block.intervals
      .filter((i) => contains(i, at))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    // A block's profile is the winner at each of its instants, so an interval of it covers `at`.
    const rule = (covering[0] ?? (block.intervals[0] as BusyInterval)).rule;
    return { profile: block.profile, kind: block.kind, rule, block };
  }

  /** The next instant after `at` at which the profile changes, or null when it never does again. */
  nextBoundary(at: Instant): Instant | null {
    for (const block of this.blocks) {
      if (block.start > at) return block.start;
      if (block.end > at) return block.end;
    }
    return null;
  }
}
