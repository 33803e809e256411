/**
 * Topic and subscription names, shared by the code that publishes, the workers and infra, so the
 * three can never disagree. Messages on them carry ids only (Eventarc caps events at 512 KB).
 */
export const TOPICS = {
  /** {googleUserId, event} from the Directory webhook. */
  directoryChanges: "gw3cx-directory-changes",
  /** {trigger} from Cloud Scheduler (nightly) or `gw3cx sync`. */
  syncRequests: "gw3cx-sync-requests",
  /** {googleUserId}: a calendar changed, a presence boundary came, or a calendar channel opened. */
  calendarChanges: "gw3cx-calendar-changes",
  /** {runId, googleUserId}: the nightly run's one request per user to sync their personal contacts. */
  contactsRequests: "gw3cx-contacts-requests",
  /**
   * Cloud Storage notifications (payload JSON_API_V1: the object's resource) for objects finalized
   * under recordings/ and voicemails/ of the archive bucket; locally, the storage folder's watcher.
   */
  recordings: "gw3cx-recordings",
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** Where a message goes that can never be handled: malformed, or out of delivery attempts. */
export function deadLetterTopicOf(topic: TopicName): `${TopicName}-dead-letter` {
  return `${topic}-dead-letter`;
}

/** Pub/Sub tries a failing message this often before dead-lettering it (5 is Pub/Sub's minimum). */
export const MAX_DELIVERY_ATTEMPTS = 5;

/** The Cloud Tasks queue of presence boundaries; Cloud Tasks refuses a deleted queue's name for 7 days, so it never changes. */
export const PRESENCE_BOUNDARY_QUEUE = "gw3cx-presence-boundaries";
/** The pull subscription that keeps a dead-letter topic's messages for people to look at (7 days). */
export function holdSubscriptionOf(topic: TopicName): `${TopicName}-dead-letter-hold` {
  return `${deadLetterTopicOf(topic)}-hold`;
}
