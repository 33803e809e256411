/**
 * Pub/Sub (gw3cx-sync-requests, from Cloud Scheduler at GW_SYNC_TIME): the nightly full reconcile
 * of every user, then renewal of the Directory watch channels before they expire.
 */
import { cloudEvent } from "@google-cloud/functions-framework";
import { systemClock } from "../shared/adapters/clock/system-clock.js";
import { loadSettings } from "../shared/config/load-settings.js";
import { resolveSecret } from "../shared/config/resolve-secret.js";
import { createLogger } from "../shared/logging/logger.js";
import { createFirestoreState } from "../shared/runtime/cloud-adapters.js";
import { once } from "../shared/runtime/once.js";
import { requireSetting } from "../shared/runtime/require-setting.js";
import { createThreeCx } from "../shared/runtime/threecx-adapter.js";
import { userSyncConfigFrom } from "../shared/runtime/user-sync-config.js";
import { createWorkspaceAdapters } from "../shared/runtime/workspace-adapters.js";
import { runDailySync } from "../shared/usecases/user-sync/run-daily-sync.js";

const settings = loadSettings();
const logger = createLogger({ component: "daily-sync" }, { level: settings.logLevel });
const ports = once(async () => {
  const { directory, mailer } = await createWorkspaceAdapters(settings, logger);
  const state = createFirestoreState(settings);
  return {
    directory,
    mailer,
    threecx: createThreeCx(settings, logger, state),
    state,
    clock: systemClock,
    logger,
  };
});

cloudEvent("dailySync", async () => {
  await runDailySync(await ports(), userSyncConfigFrom(settings), {
    webhookUrl: requireSetting(
      settings.google.directoryWebhookUrl,
      "google.directoryWebhookUrl",
      "the Directory webhook's HTTPS URL",
    ),
    channelToken: resolveSecret(
      requireSetting(settings.google.channelToken, "google.channelToken", "env:NAME of the channel token"),
      "google.channelToken",
    ),
  });
});
