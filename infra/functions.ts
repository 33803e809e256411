/**
 * Every function gw3cx deploys: Cloud Functions name, Functions Framework entry point, `npm run build`
 * folder. No cdktf here, so the CLI and the benchmarks can read it without loading Terraform CDK.
 */
export const FUNCTIONS = {
  directoryWebhook: {
    name: "gw3cx-directory-webhook",
    entryPoint: "directoryWebhook",
    build: "directory-webhook",
  },
  userSyncWorker: { name: "gw3cx-user-sync-worker", entryPoint: "userSyncWorker", build: "user-sync-worker" },
  dailySync: { name: "gw3cx-daily-sync", entryPoint: "dailySync", build: "daily-sync" },
  presenceWorker: { name: "gw3cx-presence-worker", entryPoint: "presenceWorker", build: "presence-worker" },
  presenceBoundary: {
    name: "gw3cx-presence-boundary",
    entryPoint: "presenceBoundary",
    build: "presence-boundary",
  },
  statusPage: { name: "gw3cx-status-page", entryPoint: "statusPage", build: "status-page" },
  recaptchaVerify: {
    name: "gw3cx-recaptcha-verify",
    entryPoint: "recaptchaVerify",
    build: "recaptcha-verify",
  },
  contactsWorker: { name: "gw3cx-contacts-worker", entryPoint: "contactsWorker", build: "contacts-worker" },
  transcriptionWorker: {
    name: "gw3cx-transcription-worker",
    entryPoint: "transcriptionWorker",
    build: "transcription-worker",
  },
} as const;

export type FunctionKey = keyof typeof FUNCTIONS;
