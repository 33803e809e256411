/** What a contacts run (or one user of it) did, counted. */
export interface ContactRunCounts {
  created: number;
  updated: number;
  deleted: number;
  adopted: number;
  unchanged: number;
  /** Creates not made because the phonebook reached PersonalContactsMaxCount. */
  overLimit: number;
  /** Overflowing values (third mobile, photo, too long, ...) counted one by one. */
  overflow: number;
  /** Labelled contacts 3CX cannot hold (no name or no number). */
  unfit: number;
}

export function emptyCounts(): ContactRunCounts {
  return {
    created: 0,
    updated: 0,
    deleted: 0,
    adopted: 0,
    unchanged: 0,
    overLimit: 0,
    overflow: 0,
    unfit: 0,
  };
}
