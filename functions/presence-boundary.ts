/**
 * HTTP, from Cloud Tasks (queue gw3cx-presence-boundaries) at a user's next calendar boundary:
 * decides that user's presence now. Only the queue's invoker account may call it (Cloud Run checks
 * the task's OIDC token); the body is {googleUserId, at}. 204 finishes the task; 503 has the queue
 * retry it (user busy, Google or 3CX failing); a body that can never be handled is dead-lettered
 * with the reason and finished.
 */
import { http } from "@google-cloud/functions-framework";
import { loadSettings } from "../shared/config/load-settings.js";
import { createLogger } from "../shared/logging/logger.js";
import { declaredLength } from "../shared/runtime/bounded-body.js";
import { createCloudPresencePorts } from "../shared/runtime/cloud-presence-ports.js";
import { once } from "../shared/runtime/once.js";
import { presenceConfigFrom } from "../shared/runtime/presence-config.js";
import { handleBoundaryWakeUp } from "../shared/usecases/presence/handle-boundary-wake-up.js";

/** A boundary body is under 100 bytes; anything near this is not from our queue. */
const MAX_BOUNDARY_BODY_BYTES = 4 * 1024;

const settings = loadSettings();
const logger = createLogger({ component: "presence-boundary" }, { level: settings.logLevel });
const config = presenceConfigFrom(settings);
const ports = once(() => createCloudPresencePorts(settings, logger));

http("presenceBoundary", async (req, res) => {
  if (req.method !== "POST") {
    res.status(405).set("Allow", "POST").end();
    return;
  }
  const body: Buffer = req.rawBody ?? Buffer.alloc(0);
  if (Math.max(declaredLength(req.headers) ?? 0, body.length) > MAX_BOUNDARY_BODY_BYTES) {
    res.status(413).set("Connection", "close").end();
    return;
  }
  const outcome = await handleBoundaryWakeUp(
    {
      body,
      taskName: req.get("X-CloudTasks-TaskName") ?? "unknown",
      retryCount: Number(req.get("X-CloudTasks-TaskRetryCount") ?? 0) || 0,
    },
    await ports(),
    config,
  );
  res.status(outcome === "done" ? 204 : 503).end();
});
