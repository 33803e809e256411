import type { StateStore } from "../../ports/state-store.js";

/**
 * A part of the status another feature contributes (personal contacts, transcripts): a table the
 * CLI and the page render as they are. A reader returns undefined when it has nothing to show, so a
 * deployment without that feature shows no empty section.
 */
export interface StatusSection {
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
  /** One line under the title, e.g. a total. */
  summary?: string;
}

export type StatusSectionReader = (
  state: StateStore,
  now: Date,
  timeZone: string,
) => Promise<StatusSection | undefined>;
