/**
 * What a customer's tenant does that gw3cx cannot know: each has a default a customer may change
 * (`gw3cx cost` takes the first few as options). Every one is printed with the estimate.
 */
export interface CostAssumptions {
  /** Calendar notifications per user per working day (an event added, moved, answered). */
  calendarChangesPerUserDay: number;
  /** Meetings per user per working day: each has two presence boundaries, its start and its end. */
  meetingsPerUserDay: number;
  workingDaysPerMonth: number;
  /** Directory changes (joiners, leavers, renames, suspensions) per user per month. */
  directoryChangesPerUserMonth: number;
  /** Recorded call and voicemail minutes per month in all; undefined: recordingMinutesPerUser x users. */
  recordingMinutes?: number;
  recordingMinutesPerUser: number;
  /** Average length of one recording or voicemail, in minutes (how many notifications). */
  minutesPerRecording: number;
  /** Months the archive keeps a recording (storage.retentionDays; "kept" grows without end). */
  retentionMonths: number;
  /** Labelled Google contacts per user, with syncPersonalContacts on. */
  contactsPerUser: number;
  /** One request to Google or 3CX as the functions see it, in ms (the benchmarks inject 25 ms). */
  apiRoundTripMs: number;
  /** One Firestore operation from a function, in ms. */
  firestoreOpMs: number;
  /** Seconds the transcription worker waits on Speech per audio minute. */
  speechWaitSecondsPerMinute: number;
  statusPageViewsPerMonth: number;
  recaptchaVerificationsPerMonth: number;
  /** Log bytes per function request: Cloud Run's request log line and the function's own events. */
  logBytesPerRequest: number;
}

export const DEFAULT_ASSUMPTIONS: Readonly<CostAssumptions> = {
  calendarChangesPerUserDay: 4,
  meetingsPerUserDay: 3,
  workingDaysPerMonth: 21,
  directoryChangesPerUserMonth: 0.1,
  recordingMinutesPerUser: 20,
  minutesPerRecording: 3,
  retentionMonths: 12,
  contactsPerUser: 50,
  apiRoundTripMs: 60,
  firestoreOpMs: 10,
  speechWaitSecondsPerMinute: 15,
  statusPageViewsPerMonth: 200,
  recaptchaVerificationsPerMonth: 1000,
  logBytesPerRequest: 1500,
};

/** Plain-language lines for each assumption, in the order they are printed. */
export function describeAssumptions(a: CostAssumptions, users: number): string[] {
  return [
    `${a.calendarChangesPerUserDay} calendar changes and ${a.meetingsPerUserDay} meetings per user per working day, ${a.workingDaysPerMonth} working days a month`,
    `${a.directoryChangesPerUserMonth} Directory changes per user per month`,
    `${recordingMinutes(a, users)} recorded minutes a month (${a.minutesPerRecording} min each), kept ${a.retentionMonths} months`,
    `${a.contactsPerUser} labelled contacts per user`,
    `${a.apiRoundTripMs} ms per Google or 3CX request, ${a.firestoreOpMs} ms per Firestore operation`,
    `Speech keeps the worker waiting ${a.speechWaitSecondsPerMinute} s per audio minute`,
    `${a.statusPageViewsPerMonth} status page views and ${a.recaptchaVerificationsPerMonth} reCAPTCHA checks a month`,
    `${a.logBytesPerRequest} log bytes per function request`,
  ];
}

export function recordingMinutes(a: CostAssumptions, users: number): number {
  return a.recordingMinutes ?? a.recordingMinutesPerUser * users;
}
