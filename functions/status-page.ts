/**
 * HTTP: the status page (GET /, GET /status.json, POST /approve), the same request handler as the
 * local `npm start` page. Every request needs a Workspace admin vouched for by IAP or a Google ID
 * token; an approval must also come from the page itself (origin check).
 */
import { http } from "@google-cloud/functions-framework";
import { loadSettings } from "../shared/config/load-settings.js";
import { createLogger } from "../shared/logging/logger.js";
import { cloudStatusHandlers } from "../shared/runtime/cloud-status.js";
import { once } from "../shared/runtime/once.js";
import { handleStatusRequest } from "../shared/runtime/status-page/status-requests.js";

const settings = loadSettings();
const logger = createLogger({ component: "status-page" }, { level: settings.logLevel });
const handlers = once(async () => cloudStatusHandlers(settings, logger));
/** An approval form is a few hundred bytes; the framework has read the body already (see directory-webhook.ts). */
const MAX_FORM_BYTES = 8 * 1024;

http("statusPage", async (req, res) => {
  const body = req.rawBody ?? Buffer.alloc(0);
  if (body.length > MAX_FORM_BYTES) {
    res.status(413).set("Connection", "close").end();
    return;
  }
  const response = await handleStatusRequest(
    { method: req.method, url: req.url, headers: req.headers, body },
    await handlers(),
  );
  res
    .status(response.status)
    .set(response.headers)
    .send(req.method === "HEAD" ? "" : response.body);
});
