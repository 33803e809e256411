/** What `gw3cx` exits with, so scripts and schedulers can tell the outcomes apart. */
export const EXIT = {
  ok: 0,
  /** The run failed, or any error other than a settings problem. */
  failed: 1,
  /** The safeguard held the run: nothing applied until someone approves it. */
  held: 2,
  /** Settings are invalid or missing, or say not to do it (syncUsers: false) (sysexits EX_CONFIG). */
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
