import { GoogleCalendar } from "../adapters/google/calendar.js";
import { type AccessTokenProvider, KeylessDelegation } from "../adapters/google/delegation.js";
import { DelegationHealthRecorder } from "../adapters/google/delegation-health-recorder.js";
import { GoogleDirectory } from "../adapters/google/directory.js";
import { endpointsFromSettings } from "../adapters/google/endpoints.js";
import { GoogleMailer } from "../adapters/google/gmail.js";
import { GooglePeople } from "../adapters/google/people.js";
import { RecordedDelegation } from "../adapters/google/recorded-delegation.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../adapters/google/retry-policy.js";
import { fixedSourceCredential, type SourceCredential } from "../adapters/google/source-credential.js";
import { resolveSecret } from "../config/resolve-secret.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import type { DelegationHealthStore } from "../ports/delegation-health.js";
import { requireSetting } from "./require-setting.js";

export interface WorkspaceAdapters {
  /** The delegation every adapter below takes its tokens from (`gw3cx doctor` asks it per scope). */
  tokens: AccessTokenProvider;
  /** What authorizes signJwt (and, for `gw3cx doctor`, reading the account's client id from IAM). */
  sourceCredential: SourceCredential;
  directory: GoogleDirectory;
  mailer: GoogleMailer;
  calendar: GoogleCalendar;
  people: GooglePeople;
}

/**
 * Directory and Gmail over keyless delegation. The signJwt call is authorized by the runtime's own
 * service account in the cloud (loaded lazily: only that path imports google-auth-library's ADC),
 * or by a fixed token the Workspace simulator accepts.
 */
export async function createWorkspaceAdapters(
  settings: Settings,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
  options: {
    /** Where a function notes each token's outcome for `gw3cx doctor` (none: nothing is noted). */
    delegationHealth?: DelegationHealthStore;
  } = {},
): Promise<WorkspaceAdapters> {
  const google = settings.google;
  const retry: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    retries: google.maxRetries,
    windowMs: google.retryWindowMs,
  };
  const timeoutMs = google.requestTimeoutMs;
  const sourceCredential: SourceCredential = google.sourceToken
    ? fixedSourceCredential(resolveSecret(google.sourceToken, "google.sourceToken", env))
    : (await import("../adapters/google/adc-source-credential.js")).applicationDefaultSourceCredential();
  const serviceAccountEmail = requireSetting(
    google.serviceAccountEmail,
    "google.serviceAccountEmail",
    "the service account that signs delegation JWTs",
  );
  const keyless = new KeylessDelegation({
    serviceAccountEmail,
    sourceCredential,
    endpoints: endpointsFromSettings(google),
    timeoutMs,
    logger,
  });
  const tokens: AccessTokenProvider = options.delegationHealth
    ? new RecordedDelegation(
        keyless,
        serviceAccountEmail,
        new DelegationHealthRecorder(options.delegationHealth, logger),
      )
    : keyless;
  const adminSubject = requireSetting(
    google.adminSubject,
    "google.adminSubject",
    "the Workspace admin email gw3cx acts as",
  );
  return {
    tokens,
    sourceCredential,
    directory: new GoogleDirectory({
      tokens,
      apiRootUrl: google.apiRootUrl,
      customerId: google.customerId,
      adminSubject,
      retry,
      timeoutMs,
      logger,
    }),
    mailer: new GoogleMailer({ tokens, apiRootUrl: google.apiRootUrl, retry, timeoutMs, logger }),
    calendar: new GoogleCalendar({ tokens, apiRootUrl: google.apiRootUrl, retry, timeoutMs, logger }),
    people: new GooglePeople({ tokens, apiRootUrl: google.apiRootUrl, retry, timeoutMs, logger }),
  };
}
