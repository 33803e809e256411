/**
 * HTTP: Google Directory push notifications (users.watch). Verifies the channel and publishes
 * {googleUserId, event} to gw3cx-directory-changes; answers fast, never 5xx for a forgery.
 */
import { http } from "@google-cloud/functions-framework";
import { verifyPushNotification } from "../shared/adapters/google/push-verification.js";
import { loadSettings } from "../shared/config/load-settings.js";
import { resolveSecret } from "../shared/config/resolve-secret.js";
import { createLogger } from "../shared/logging/logger.js";
import { declaredLength } from "../shared/runtime/bounded-body.js";
import { createFirestoreState, createPubSubBus } from "../shared/runtime/cloud-adapters.js";
import { once } from "../shared/runtime/once.js";
import { requireSetting } from "../shared/runtime/require-setting.js";
import {
  handleDirectoryPush,
  MAX_PUSH_BODY_BYTES,
} from "../shared/usecases/user-sync/handle-directory-push.js";

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
  // The Functions Framework has read the body before this handler runs: its body parsers use a
  // fixed 1 GB limit (server.js, not configurable), and Cloud Run refuses requests over 32 MB
  // before they reach the instance, so that is the most ever buffered. What the handler can do is
  // refuse an oversized body before it is verified, parsed or looked up: by its declared length,
  // or, for a chunked body (no Content-Length), by the length the framework read (rawBody).
  const bodyBytes = Math.max(declaredLength(req.headers) ?? 0, req.rawBody?.length ?? 0);
  if (bodyBytes > MAX_PUSH_BODY_BYTES) {
    res.status(413).set("Connection", "close").end();
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
