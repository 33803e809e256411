import { App } from "cdktf";
import type { Settings } from "../shared/config/schema.js";
import { settingsToFunctionEnv } from "./function-env.js";
import { FUNCTION_SIZING } from "./function-sizing.js";
import { Gw3cxStack } from "./gw3cx-stack.js";
import { assertPbxBudget } from "./sizing-budgets.js";

/** The stack's name: its synthesized JSON is OUTDIR/stacks/gw3cx/cdk.tf.json. */
export const STACK_NAME = "gw3cx";

export interface SynthesizeOptions {
  /** cdktf's output folder; cdktf.json's `output` when run by `npx cdktf synth`. */
  outdir?: string;
  /** Where the built function artifacts are (dist/functions by default). */
  functionSourceDir?: string;
}

/** The whole deployment for these settings, written as Terraform JSON (what `npx cdktf synth` runs). */
export function synthesize(settings: Settings, options: SynthesizeOptions = {}): void {
  // Every deployed instance that calls 3CX brings its own pool of this size.
  assertPbxBudget(FUNCTION_SIZING, settings.threecx.maxInFlight);
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  new Gw3cxStack(app, STACK_NAME, {
    region: settings.gcp.region,
    syncTime: settings.gwSyncTime,
    timeZone: settings.timeZone,
    calendarPresence: settings.calendarPresence,
    remoteArchiving: settings.storage.remoteArchiving,
    ...(settings.mail.digest ? { digest: { time: settings.mail.digestTime } } : {}),
    ...(settings.recaptcha.enabled ? { recaptcha: { domains: settings.recaptcha.domains } } : {}),
    ...(settings.transcription.enabled
      ? {
          transcription: {
            delegation:
              settings.transcription.mailVoicemails ||
              Object.keys(settings.transcription.userLanguages).some((key) => key.includes("@")),
          },
        }
      : {}),
    ...(settings.alerts.email ? { alertsEmail: settings.alerts.email } : {}),
    ...(settings.gcp.terraformStateBucket ? { stateBucket: settings.gcp.terraformStateBucket } : {}),
    settingsEnv: settingsToFunctionEnv(settings),
    storage: {
      retentionDays: settings.storage.retentionDays,
      linkExpiryHours: settings.mail.linkExpiryHours,
    },
    statusPage: {
      admins: settings.statusPage.admins,
      ...(settings.google.adminSubject
        ? { workspaceDomain: settings.google.adminSubject.split("@")[1] }
        : {}),
      iap: settings.statusPage.iapAudience !== undefined,
    },
    ...(options.functionSourceDir ? { functionSourceDir: options.functionSourceDir } : {}),
    requireBuiltSources: true,
  });
  app.synth();
}
