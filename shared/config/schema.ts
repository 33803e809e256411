import { z } from "zod";
import { ARCHIVE_FOLDERS } from "../domain/storage/storage-plan.js";
import { secretRefSchema } from "./secret-ref.js";

/**
 * Every gw3cx setting, validated in one place. Names follow the 3CX admin console
 * (Users > Google); defaults are 3CX's where it has one.
 */

const HH_MM_SS = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;
const EXTENSION = /^\d{2,8}$/;

function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const email = z.email({ error: "expected an email address, e.g. ada@example.com" });
const httpUrl = z.url({
  protocol: /^https?$/,
  error: "expected an http(s) URL, e.g. https://pbx.example.com",
});

export const SYNC_TYPES = [
  "all",
  "allExceptSelected",
  "selected",
  "selectedGroups",
  "selectedOrgUnits",
] as const;
export const PROFILE_NAMES = ["Available", "Away", "Out of office", "Custom 1", "Custom 2"] as const;

const presenceSchema = z
  .object({
    /** Profile for an ordinary busy meeting (3CX: Event > DND). */
    eventProfile: z.enum(PROFILE_NAMES).default("Out of office"),
    /** 3CX: Focus Time > DND. */
    focusTimeProfile: z.enum(PROFILE_NAMES).default("Out of office"),
    /** 3CX: Out of Office > Away. */
    outOfOfficeProfile: z.enum(PROFILE_NAMES).default("Away"),
    /** Tentative / not-yet-answered invitations change presence only when this is on. */
    includeTentative: z.boolean().default(false),
    /** While gw3cx holds a profile, its message says why and until when ("In a meeting until 11:00"). */
    statusMessage: z.boolean().default(true),
  })
  .strict()
  .prefault({});

const safeguardSchema = z
  .object({
    /** A run may disable at most max(maxDisableCount, maxDisablePercent % of managed users) without approval. */
    maxDisableCount: z.number().int().min(0).default(5),
    maxDisablePercent: z.number().min(0).max(100).default(10),
    /** Held runs are mailed here. */
    adminEmail: email.optional(),
  })
  .strict()
  .prefault({});

const mailSchema = z
  .object({
    /**
     * Configure 3CX's system mail (MailSettings) to send through Workspace's SMTP relay, which
     * admits the PBX by its IP address: no password or key on the PBX (README: Mail).
     */
    configurePbx: z.boolean().default(false),
    /** The address 3CX sends as; defaults to google.mailSender. */
    pbxSender: email.optional(),
    /** host:port of the relay 3CX sends through. */
    smtpRelay: z
      .string()
      .regex(/^[a-z0-9.-]+:\d{1,5}$/i, { error: 'expected host:port, e.g. "smtp-relay.gmail.com:587"' })
      .default("smtp-relay.gmail.com:587"),
    /** How long the link that replaces an attachment over Gmail's 25 MB limit works (V4 signed URLs: 7 days at most). */
    linkExpiryHours: z.number().int().min(1).max(168).default(72),
    /**
     * The daily digest of failures and dead letters, mailed to safeguard.adminEmail as
     * google.mailSender at digestTime: a Cloud Scheduler job in the cloud, a timer under `npm start`.
     */
    digest: z.boolean().default(true),
    /** When the digest goes out, 24-hour HH:MM:SS in timeZone (minute resolution, as GW_SYNC_TIME). */
    digestTime: z
      .string()
      .regex(HH_MM_SS, { error: 'expected a 24-hour time HH:MM:SS, e.g. "07:00:00"' })
      .default("07:00:00"),
  })
  .strict()
  .prefault({});

/** The folders 3CX archives into, in the bucket and in RemoteArchivingSettings (the storage rules own them). */
export const ARCHIVE_TYPES = ARCHIVE_FOLDERS;
export type ArchiveType = (typeof ARCHIVE_TYPES)[number];

const BCP47 = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const languageCode = z.string().regex(BCP47, { error: 'expected a BCP-47 language code, e.g. "en-US"' });
const retentionDays = z.number().int().min(1).max(36_500).optional();

const storageSchema = z
  .object({
    /** The archive bucket (infra creates it; its output `archive_bucket`). */
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, {
        error: "expected a bucket name, e.g. acme-gw3cx-archive",
      })
      .optional(),
    /** The folder standing in for the bucket on a single machine. */
    localDir: z.string().min(1).default(".gw3cx/storage"),
    /**
     * Point 3CX's remote archiving (RemoteArchivingSettings, GoogleBucket) at the bucket. Opt-in: 3CX
     * reaches the bucket from outside Google Cloud with a service-account key, the one key gw3cx makes.
     */
    remoteArchiving: z.boolean().default(false),
    /** What 3CX archives to the bucket when remoteArchiving is on. */
    archiveTypes: z
      .array(z.enum(ARCHIVE_TYPES))
      .min(1)
      .default([...ARCHIVE_TYPES]),
    /** Days an object is kept under each folder (a lifecycle delete rule); unset: kept until deleted. */
    retentionDays: z
      .object({
        recordings: retentionDays,
        voicemails: retentionDays,
        chats: retentionDays,
        faxes: retentionDays,
        backups: retentionDays,
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const transcriptionSchema = z
  .object({
    /** Transcribe every new recording and voicemail (Speech-to-Text in the cloud, pocketsphinx locally). */
    enabled: z.boolean().default(false),
    languageCode: languageCode.default("en-US"),
    /** A user's own language, keyed by extension number or email, e.g. { "1002": "de-DE" }. */
    userLanguages: z.record(z.string().min(1), languageCode).default({}),
    /** Speech-to-Text v2 model; "telephony" suits 8 kHz phone audio. */
    model: z.string().min(1).default("telephony"),
    /** Speech-to-Text location: "global", a multi-region ("us", "eu") or a region. */
    location: z
      .string()
      .regex(/^[a-z0-9-]+$/, { error: 'expected a location, e.g. "global" or "europe-west4"' })
      .default("global"),
    /** Mail each voicemail's transcript to its user (through the Gmail sender). */
    mailVoicemails: z.boolean().default(false),
    /**
     * Also switch 3CX's own voicemail transcription to Google (VoicemailSettings.TranscribeEngine),
     * for transcripts inside 3CX; README: Transcription explains the trade-off.
     */
    configurePbx: z.boolean().default(false),
  })
  .strict()
  .prefault({});

const recaptchaSchema = z
  .object({
    /** 3CX's own reCAPTCHA (GoogleSettings.ReCaptchaEnabled), and the verify function in the cloud. */
    enabled: z.boolean().default(false),
    /** Domains the Enterprise key accepts tokens from, e.g. the 3CX web client's and the website's. */
    domains: z
      .array(z.string().regex(/^[a-z0-9.-]+$/i, { error: "expected a domain, e.g. pbx.example.com" }))
      .default([]),
    /** Web origins allowed to call the verify function (CORS), e.g. https://www.example.com. */
    allowedOrigins: z.array(httpUrl).default([]),
    /** Actions the verify function accepts (the form's grecaptcha.enterprise.execute action); empty: any. */
    actions: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z0-9_/]{1,100}$/, { error: "expected an action name of letters, digits, _ and /" }),
      )
      .default([]),
    /** Lowest score a token may have to pass (0.0 very likely a bot, 1.0 very likely a person). */
    scoreThreshold: z.number().min(0).max(1).default(0.5),
    /** Verify requests each caller (IP address) may make per minute. */
    maxRequestsPerMinute: z.number().int().min(1).max(10_000).default(30),
    /** The Enterprise key id (infra creates it; its output `recaptcha_site_key`). */
    siteKey: z.string().min(1).optional(),
  })
  .strict()
  .prefault({});

const threecxSchema = z
  .object({
    /** Base URL of the PBX, e.g. https://pbx.example.com (the XAPI lives under /xapi/v1). */
    url: httpUrl.optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: secretRefSchema.optional(),
    /** Upper bound of XAPI requests in flight at once. */
    maxInFlight: z.number().int().min(1).max(64).default(8),
    requestTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    /** Users (and other collections) read per request; halved automatically if the PBX refuses it. */
    pageSize: z.number().int().min(10).max(10_000).default(1000),
    /** Opening a connection to the PBX; a host that drops packets fails each attempt after this. */
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(2_000),
    /** Attempts after the first on 429, 5xx, timeouts and lost connections (token fetches included). */
    maxRetries: z.number().int().min(0).max(10).default(4),
    /**
     * No retry of a call starts later than this after its first attempt. With the defaults an
     * unreachable PBX fails a call within 10 s (8 s + one connect timeout).
     */
    retryWindowMs: z.number().int().min(0).max(600_000).default(8_000),
  })
  .strict()
  .prefault({});

const googleSchema = z
  .object({
    customerId: z.string().min(1).default("my_customer"),
    /** The Workspace admin gw3cx acts as for Directory calls (domain-wide delegation subject). */
    adminSubject: email.optional(),
    /** The service account that signs delegation JWTs; in the cloud, the function's own account. */
    serviceAccountEmail: email.optional(),
    /** Shared secret carried by Google push notifications (X-Goog-Channel-Token). */
    channelToken: secretRefSchema.optional(),
    /** HTTPS address of the Directory webhook function, where watch channels deliver. */
    directoryWebhookUrl: httpUrl.optional(),
    /**
     * Only against the Workspace simulator: a fixed token that authorizes signJwt. Unset in the
     * cloud, where the function's own service account (metadata server) does.
     */
    sourceToken: secretRefSchema.optional(),
    /** The mailbox gw3cx's own mail (held runs) is sent as; defaults to adminSubject. */
    mailSender: email.optional(),
    /** The OAuth client for Google sign-in to 3CX, made by hand in the Cloud console (README: Google sign-in). */
    signInClientId: z.string().min(1).optional(),
    signInClientSecret: secretRefSchema.optional(),
    /**
     * Base URLs, overridable so the same code runs against the Workspace simulator. apiRootUrl unset
     * means each API's own host (admin., people., gmail.googleapis.com); set, it serves them all.
     */
    apiRootUrl: httpUrl.optional(),
    oauthTokenUrl: httpUrl.default("https://oauth2.googleapis.com/token"),
    iamCredentialsRootUrl: httpUrl.default("https://iamcredentials.googleapis.com/"),
    /** Each request to Google (API call, signJwt, token exchange), including reading the answer. */
    requestTimeoutMs: z.number().int().min(100).max(300_000).default(20_000),
    /** Attempts after the first on 429, rate-limit 403s, 5xx and network failures (token included). */
    maxRetries: z.number().int().min(0).max(10).default(5),
    /**
     * No retry of a call starts later than this after its first attempt. With the defaults a call
     * to a failing Google gives up within 80 s (120 s if its last attempt also fetched a token).
     */
    retryWindowMs: z.number().int().min(0).max(600_000).default(60_000),
  })
  .strict()
  .prefault({});

const gcpSchema = z
  .object({
    projectId: z
      .string()
      .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
        error: "expected a Google Cloud project id, e.g. acme-gw3cx",
      })
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]+-[a-z]+\d$/, { error: "expected a region, e.g. europe-west1" })
      .default("us-central1"),
    /**
     * The presence boundary function's HTTPS URL, where Cloud Tasks delivers each user's next
     * boundary (set by infra; the queue is gw3cx-presence-boundaries in the region).
     */
    presenceBoundaryUrl: httpUrl.optional(),
    /** The account Cloud Tasks calls the boundary function as (set by infra). */
    boundaryInvokerEmail: email.optional(),
    /**
     * Where Terraform keeps the deployment's state: a Cloud Storage bucket (prefix `gw3cx`), made
     * beforehand. Unset: a local file, terraform.gw3cx.tfstate in the checkout.
     */
    terraformStateBucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, {
        error: "expected a bucket name, e.g. acme-gw3cx-tfstate",
      })
      .optional(),
  })
  .strict()
  .prefault({});

/** Google's client id of gcloud: the audience of `gcloud auth print-identity-token` for a user. */
export const GCLOUD_CLIENT_ID = "32555940559.apps.googleusercontent.com";

const statusPageSchema = z
  .object({
    /**
     * The audience of IAP's signed header (x-goog-iap-jwt-assertion) when IAP fronts the status
     * page, e.g. /projects/NUMBER/locations/REGION/services/gw3cx-status-page. Unset: IAP is not trusted.
     */
    iapAudience: z.string().min(1).optional(),
    /** Audiences accepted on a Google ID token (Authorization: Bearer): the function's URLs, set by infra. */
    idTokenAudiences: z.array(z.string().min(1)).default([]),
    /**
     * Who may use the page in the cloud. Empty: any Workspace admin (Directory users.get isAdmin);
     * set: only these addresses (no Directory lookup).
     */
    admins: z.array(email).default([]),
    /** Where IAP's and Google's signing keys are published; overridable only so tests can sign. */
    iapPublicKeysUrl: httpUrl.default("https://www.gstatic.com/iap/verify/public_key"),
    idTokenCertsUrl: httpUrl.default("https://www.googleapis.com/oauth2/v1/certs"),
  })
  .strict()
  .prefault({});

const alertsSchema = z
  .object({
    /**
     * Where the cloud alerts (dead letters kept, a held run, a failed nightly run) are mailed: a
     * Cloud Monitoring email channel. Unset: the alerts still open in Cloud Monitoring, unmailed.
     */
    email: email.optional(),
  })
  .strict()
  .prefault({});

const embeddedSchema = z
  .object({
    /** SQLite file of the single-machine default. */
    stateDbPath: z.string().min(1).default(".gw3cx/state.db"),
  })
  .strict()
  .prefault({});

export const settingsSchema = z
  .object({
    syncUsers: z.boolean().default(true),
    syncType: z.enum(SYNC_TYPES).default("all"),
    /** Emails for allExceptSelected / selected. */
    selectedUsers: z.array(email).default([]),
    /** Group emails for selectedGroups. */
    selectedGroups: z.array(email).default([]),
    /** Org unit paths for selectedOrgUnits, e.g. /Sales. */
    selectedOrgUnits: z
      .array(z.string().regex(/^\//, { error: "expected an org unit path starting with /, e.g. /Sales" }))
      .default([]),
    /** First extension number for imported users; unset = the PBX's first available. */
    startingExtension: z
      .string()
      .regex(EXTENSION, { error: "expected an extension number of 2 to 8 digits, e.g. 1000" })
      .optional(),
    syncPhoto: z.boolean().default(false),
    /** Country for phone numbers typed without a country code (ISO 3166 alpha-2, e.g. "DE"). */
    phoneRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, { error: 'expected a two-letter country code, e.g. "DE"' })
      .optional(),
    syncPersonalContacts: z.boolean().default(false),
    contactLabel: z.string().min(1).max(100).default("3CX"),
    calendarPresence: z.boolean().default(false),
    sso: z.boolean().default(false),
    /** GW_SYNC_TIME: the daily full sync, 24-hour HH:MM:SS in timeZone. */
    gwSyncTime: z
      .string()
      .regex(HH_MM_SS, { error: 'expected a 24-hour time HH:MM:SS, e.g. "02:30:00"' })
      .default("02:00:00"),
    timeZone: z
      .string()
      .refine(isIanaTimeZone, { error: 'expected an IANA time zone name, e.g. "Europe/Berlin"' })
      .default("UTC"),
    logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /**
     * A run renews its heartbeat every quarter of this; one not renewed for this long shows as
     * abandoned (its process died) in `gw3cx status` and on the status page.
     */
    abandonedRunAfterMs: z.number().int().min(400).max(3_600_000).default(120_000),
    presence: presenceSchema,
    mail: mailSchema,
    recaptcha: recaptchaSchema,
    storage: storageSchema,
    transcription: transcriptionSchema,
    safeguard: safeguardSchema,
    threecx: threecxSchema,
    google: googleSchema,
    gcp: gcpSchema,
    statusPage: statusPageSchema,
    alerts: alertsSchema,
    embedded: embeddedSchema,
  })
  .strict()
  .superRefine((s, ctx) => {
    const needs: Record<string, [keyof typeof s, unknown[]]> = {
      allExceptSelected: ["selectedUsers", s.selectedUsers],
      selected: ["selectedUsers", s.selectedUsers],
      selectedGroups: ["selectedGroups", s.selectedGroups],
      selectedOrgUnits: ["selectedOrgUnits", s.selectedOrgUnits],
    };
    if (s.recaptcha.enabled && s.recaptcha.domains.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["recaptcha", "domains"],
        input: s.recaptcha.domains,
        message:
          "must list at least one domain (the 3CX web client's, e.g. pbx.example.com) when recaptcha.enabled is true",
      });
    }
    const need = needs[s.syncType];
    if (need && need[1].length === 0) {
      ctx.addIssue({
        code: "custom",
        path: [need[0]],
        input: need[1],
        message: `must list at least one entry when syncType is "${s.syncType}"`,
      });
    }
  });

/** Settings as read from a file or the environment, before defaults. */
export type SettingsInput = z.input<typeof settingsSchema>;
/** Validated settings with every default applied. */
export type Settings = z.output<typeof settingsSchema>;

/** Paths (dot-separated) whose values are secret references: never echoed back in errors. */
export const SECRET_SETTING_PATHS = new Set([
  "threecx.clientSecret",
  "google.channelToken",
  "google.sourceToken",
  "google.signInClientSecret",
]);
