import type { CostedFunction } from "./function-size.js";

/**
 * Figures the usage model takes from BENCHMARKS.md (2026-11-27, 2 cores at full speed). CPU-bound
 * figures are divided by a function's vCPU share when used: a 0.333 vCPU instance does the same
 * work in three times as long.
 */
export const MEASURED = {
  /**
   * "Function artifacts: load time under the Functions Framework", p50: what an instance start
   * costs before the first request (request-based billing charges start-up too).
   */
  loadSeconds: {
    contactsWorker: 0.793,
    dailySync: 0.965,
    directoryWebhook: 0.933,
    presenceBoundary: 0.94,
    presenceWorker: 0.952,
    recaptchaVerify: 0.724,
    statusPage: 0.853,
    transcriptionWorker: 0.88,
    userSyncWorker: 0.924,
  } satisfies Record<CostedFunction, number>,
  /** "User sync: full runs", row 1: 986 ms of CPU for 10,000 users in sync. */
  userSyncCpuMsPerUser: 986 / 10_000,
  /** "User sync: full runs", row 1: Directory pages of 500 users, read one after another. */
  directoryPageSize: 500,
  /** "Presence at 10,000 users", nightly resync: 27.4 s of CPU for 10,000 users. */
  resyncCpuMsPerUser: 27_400 / 10_000,
  /** The same: 8 users at a time, each a calendar read, its delegated token (2) and a 3CX read. */
  resyncCallsPerUser: 4,
  resyncConcurrency: 8,
  /** "Presence in real time": per change, calendar.events.list, GetUser, ListForwardingProfiles, UpdateUser. */
  presenceCallsPerChange: 4,
  /** "User sync", row 4: per change, directory.users.get, GetUser, UpdateUser. */
  userChangeCalls: 3,
  /** "Presence at 10,000 users": calendar watch and stop calls are paced at 25 a second. */
  calendarCallsPerSecond: 25,
  /** "Transcription pipeline": 60 minutes of 8 kHz WAV is 54.9 MB. */
  recordingMbPerMinute: 54.9 / 60,
} as const;
