/**
 * What `gw3cx remove` undoes, one item at a time. A plan says what applying would do; an apply
 * says what happened to each item. Nothing here is ever key material: keys show by their id.
 */

export type RemovalArea =
  | "directory-channel"
  | "calendar-channel"
  | "remote-archiving"
  | "transcription-engine"
  | "archiver-key"
  | "personal-contacts";

/**
 * to-do: a plan would do it; done: an apply did it; already-gone: nothing left to undo (a second
 * apply finds only these and left); left: gw3cx leaves it on purpose and says why; failed: it could
 * not be read or undone, with the reason (an apply goes on with the other items).
 */
export type RemovalStatus = "to-do" | "done" | "already-gone" | "left" | "failed";

export interface RemovalItem {
  area: RemovalArea;
  /** What the item is about: a channel id, a key id, "RemoteArchivingSettings". */
  target: string;
  /** What removing it means, e.g. "stop the channel and forget it". */
  action: string;
  status: RemovalStatus;
  /** Why it is left, already gone or failed; what was found. */
  reason?: string;
}

export const REMOVAL_AREA_TITLE: Readonly<Record<RemovalArea, string>> = {
  "directory-channel": "Directory watch channel",
  "calendar-channel": "Calendar watch channel",
  "remote-archiving": "3CX remote archiving",
  "transcription-engine": "3CX voicemail transcription engine",
  "archiver-key": "archiver key",
  "personal-contacts": "personal phonebook entries",
};

/** Whether an apply left something it meant to undo: the command then exits non-zero. */
export function removalFailed(items: readonly RemovalItem[]): boolean {
  return items.some((item) => item.status === "failed");
}

export function countByStatus(items: readonly RemovalItem[]): Record<RemovalStatus, number> {
  const counts: Record<RemovalStatus, number> = {
    "to-do": 0,
    done: 0,
    "already-gone": 0,
    left: 0,
    failed: 0,
  };
  for (const item of items) counts[item.status]++;
  return counts;
}
