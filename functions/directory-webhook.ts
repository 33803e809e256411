/**
 * HTTP: Google Directory push notifications (users.watch). Verifies the channel and publishes
 * {googleUserId, event} to gw3cx-directory-changes; answers fast, never 5xx for a forgery.
 */
import { http } from "@google-cloud/functions-framework";
import { verifyPushNotification } from "../shared/adapters/google/push-verification.js";
import { loadSettings } from "../shared/config/load-settings.js";
import { resolveSecret } from "../shared/config/resolve-secret.js";
import { createLogger } from "../shared/logging/logger.js";
import { createFirestoreState, createPubSubBus } from "../shared/runtime/cloud-adapters.js";
import { once } from "../shared/runtime/once.js";
import { requireSetting } from "../shared/runtime/require-setting.js";
import { handleDirectoryPush } from "../shared/usecases/user-sync/handle-directory-push.js";

const settings = loadSettings();
const logger = createLogger({ component: "directory-webhook" }, { level: settings.logLevel });
const deps = once(async () => ({
  ports: {
    verifyPush: verifyPushNotification,
    bus: createPubSubBus(settings),
    state: createFirestoreState(settings),
    logger,
  },
  channelToken: resolveSecret(
    requireSetting(settings.google.channelToken, "google.channelToken", "env:NAME of the channel token"),
    "google.channelToken",
  ),
}));

http("directoryWebhook", async (req, res) => {
  if (req.method !== "POST") {
    res.status(405).set("Allow", "POST").end();
    return;
  }
  const { ports, channelToken } = await deps();
  const response = await handleDirectoryPush(
    { headers: req.headers, body: req.rawBody ?? req.body },
    ports,
    channelToken,
  );
  res.status(response.status).end();
});
