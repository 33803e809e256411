/**
 * Which environment variable sets which setting. GW_SYNC_TIME keeps the name 3CX uses;
 * everything else is GW3CX_ + the setting in upper snake case.
 */
export type EnvKind = "string" | "boolean" | "number" | "list";

export interface EnvBinding {
  env: string;
  path: string;
  kind: EnvKind;
}

const b = (env: string, path: string, kind: EnvKind = "string"): EnvBinding => ({ env, path, kind });

export const ENV_BINDINGS: readonly EnvBinding[] = [
  b("GW3CX_SYNC_USERS", "syncUsers", "boolean"),
  b("GW3CX_SYNC_TYPE", "syncType"),
  b("GW3CX_SELECTED_USERS", "selectedUsers", "list"),
  b("GW3CX_SELECTED_GROUPS", "selectedGroups", "list"),
  b("GW3CX_SELECTED_ORG_UNITS", "selectedOrgUnits", "list"),
  b("GW3CX_STARTING_EXTENSION", "startingExtension"),
  b("GW3CX_SYNC_PHOTO", "syncPhoto", "boolean"),
  b("GW3CX_PHONE_REGION", "phoneRegion"),
  b("GW3CX_SYNC_PERSONAL_CONTACTS", "syncPersonalContacts", "boolean"),
  b("GW3CX_CONTACT_LABEL", "contactLabel"),
  b("GW3CX_CALENDAR_PRESENCE", "calendarPresence", "boolean"),
  b("GW3CX_SSO", "sso", "boolean"),
  b("GW_SYNC_TIME", "gwSyncTime"),
  b("GW3CX_TIME_ZONE", "timeZone"),
  b("GW3CX_LOG_LEVEL", "logLevel"),
  b("GW3CX_ABANDONED_RUN_AFTER_MS", "abandonedRunAfterMs", "number"),
  b("GW3CX_STATUS_IAP_AUDIENCE", "statusPage.iapAudience"),
  b("GW3CX_STATUS_ID_TOKEN_AUDIENCES", "statusPage.idTokenAudiences", "list"),
  b("GW3CX_STATUS_ADMINS", "statusPage.admins", "list"),
  b("GW3CX_STATUS_IAP_PUBLIC_KEYS_URL", "statusPage.iapPublicKeysUrl"),
  b("GW3CX_STATUS_ID_TOKEN_CERTS_URL", "statusPage.idTokenCertsUrl"),
  b("GW3CX_PRESENCE_INCLUDE_TENTATIVE", "presence.includeTentative", "boolean"),
  b("GW3CX_PRESENCE_STATUS_MESSAGE", "presence.statusMessage", "boolean"),
  b("GW3CX_SAFEGUARD_MAX_DISABLE_COUNT", "safeguard.maxDisableCount", "number"),
  b("GW3CX_SAFEGUARD_MAX_DISABLE_PERCENT", "safeguard.maxDisablePercent", "number"),
  b("GW3CX_SAFEGUARD_ADMIN_EMAIL", "safeguard.adminEmail"),
  b("GW3CX_3CX_URL", "threecx.url"),
  b("GW3CX_3CX_CLIENT_ID", "threecx.clientId"),
  b("GW3CX_3CX_CLIENT_SECRET", "threecx.clientSecret"),
  b("GW3CX_3CX_MAX_IN_FLIGHT", "threecx.maxInFlight", "number"),
  b("GW3CX_3CX_REQUEST_TIMEOUT_MS", "threecx.requestTimeoutMs", "number"),
  b("GW3CX_3CX_PAGE_SIZE", "threecx.pageSize", "number"),
  b("GW3CX_3CX_CONNECT_TIMEOUT_MS", "threecx.connectTimeoutMs", "number"),
  b("GW3CX_3CX_MAX_RETRIES", "threecx.maxRetries", "number"),
  b("GW3CX_3CX_RETRY_WINDOW_MS", "threecx.retryWindowMs", "number"),
  b("GW3CX_GOOGLE_CUSTOMER_ID", "google.customerId"),
  b("GW3CX_GOOGLE_ADMIN_SUBJECT", "google.adminSubject"),
  b("GW3CX_GOOGLE_SERVICE_ACCOUNT", "google.serviceAccountEmail"),
  b("GW3CX_GOOGLE_CHANNEL_TOKEN", "google.channelToken"),
  b("GW3CX_DIRECTORY_WEBHOOK_URL", "google.directoryWebhookUrl"),
  b("GW3CX_GOOGLE_SOURCE_TOKEN", "google.sourceToken"),
  b("GW3CX_MAIL_SENDER", "google.mailSender"),
  b("GW3CX_GOOGLE_SIGN_IN_CLIENT_ID", "google.signInClientId"),
  b("GW3CX_GOOGLE_SIGN_IN_CLIENT_SECRET", "google.signInClientSecret"),
  b("GW3CX_MAIL_CONFIGURE_PBX", "mail.configurePbx", "boolean"),
  b("GW3CX_MAIL_PBX_SENDER", "mail.pbxSender"),
  b("GW3CX_MAIL_SMTP_RELAY", "mail.smtpRelay"),
  b("GW3CX_MAIL_LINK_EXPIRY_HOURS", "mail.linkExpiryHours", "number"),
  b("GW3CX_MAIL_DIGEST", "mail.digest", "boolean"),
  b("GW3CX_MAIL_DIGEST_TIME", "mail.digestTime"),
  b("GW3CX_RECAPTCHA", "recaptcha.enabled", "boolean"),
  b("GW3CX_RECAPTCHA_DOMAINS", "recaptcha.domains", "list"),
  b("GW3CX_RECAPTCHA_ALLOWED_ORIGINS", "recaptcha.allowedOrigins", "list"),
  b("GW3CX_RECAPTCHA_ACTIONS", "recaptcha.actions", "list"),
  b("GW3CX_RECAPTCHA_SCORE_THRESHOLD", "recaptcha.scoreThreshold", "number"),
  b("GW3CX_RECAPTCHA_MAX_REQUESTS_PER_MINUTE", "recaptcha.maxRequestsPerMinute", "number"),
  b("GW3CX_RECAPTCHA_SITE_KEY", "recaptcha.siteKey"),
  b("GW3CX_ARCHIVE_BUCKET", "storage.bucket"),
  b("GW3CX_STORAGE_LOCAL_DIR", "storage.localDir"),
  b("GW3CX_REMOTE_ARCHIVING", "storage.remoteArchiving", "boolean"),
  b("GW3CX_ARCHIVE_TYPES", "storage.archiveTypes", "list"),
  b("GW3CX_TRANSCRIPTION", "transcription.enabled", "boolean"),
  b("GW3CX_TRANSCRIPTION_LANGUAGE", "transcription.languageCode"),
  b("GW3CX_TRANSCRIPTION_MODEL", "transcription.model"),
  b("GW3CX_TRANSCRIPTION_LOCATION", "transcription.location"),
  b("GW3CX_TRANSCRIPTION_MAIL_VOICEMAILS", "transcription.mailVoicemails", "boolean"),
  b("GW3CX_TRANSCRIPTION_CONFIGURE_PBX", "transcription.configurePbx", "boolean"),
  b("GW3CX_GOOGLE_API_ROOT_URL", "google.apiRootUrl"),
  b("GW3CX_GOOGLE_OAUTH_TOKEN_URL", "google.oauthTokenUrl"),
  b("GW3CX_GOOGLE_IAM_CREDENTIALS_ROOT_URL", "google.iamCredentialsRootUrl"),
  b("GW3CX_GOOGLE_REQUEST_TIMEOUT_MS", "google.requestTimeoutMs", "number"),
  b("GW3CX_GOOGLE_MAX_RETRIES", "google.maxRetries", "number"),
  b("GW3CX_GOOGLE_RETRY_WINDOW_MS", "google.retryWindowMs", "number"),
  b("GW3CX_GCP_PROJECT", "gcp.projectId"),
  b("GW3CX_GCP_REGION", "gcp.region"),
  b("GW3CX_PRESENCE_BOUNDARY_URL", "gcp.presenceBoundaryUrl"),
  b("GW3CX_BOUNDARY_INVOKER", "gcp.boundaryInvokerEmail"),
  b("GW3CX_TERRAFORM_STATE_BUCKET", "gcp.terraformStateBucket"),
  b("GW3CX_ALERTS_EMAIL", "alerts.email"),
  b("GW3CX_STATE_DB", "embedded.stateDbPath"),
];

/** The file to read settings from (JSON or YAML), if any. */
export const CONFIG_FILE_ENV = "GW3CX_CONFIG";

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

/**
 * Converts the raw string. A value that does not convert is passed on unchanged so that
 * the schema reports it, with the variable's own text.
 */
export function convertEnvValue(raw: string, kind: EnvKind): unknown {
  const text = raw.trim();
  switch (kind) {
    case "boolean":
      if (TRUE.has(text.toLowerCase())) return true;
      if (FALSE.has(text.toLowerCase())) return false;
      return text;
    case "number":
      return text !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
    case "list":
      return text === ""
        ? []
        : text
            .split(",")
            .map((item) => item.trim())
            .filter((item) => item !== "");
    case "string":
      return text;
  }
}
