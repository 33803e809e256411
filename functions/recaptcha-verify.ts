/**
 * HTTP: the reCAPTCHA check for the customer's own web forms (click-to-call, chat). POST
 * {token, action} -> {ok, reason, message, score, action}; CORS for recaptcha.allowedOrigins.
 */
import { http } from "@google-cloud/functions-framework";
import { systemClock } from "../shared/adapters/clock/system-clock.js";
import { RecaptchaEnterpriseAssessor } from "../shared/adapters/recaptcha/recaptcha-enterprise-assessor.js";
import { loadSettings } from "../shared/config/load-settings.js";
import { RequestRateLimit } from "../shared/domain/recaptcha/request-rate-limit.js";
import { createLogger } from "../shared/logging/logger.js";
import { once } from "../shared/runtime/once.js";
import { requireSetting } from "../shared/runtime/require-setting.js";
import { handleRecaptchaVerify } from "../shared/usecases/recaptcha/verify-recaptcha.js";

const settings = loadSettings();
const logger = createLogger({ component: "recaptcha-verify" }, { level: settings.logLevel });
const { recaptcha } = settings;
// Per instance: with the function's max instances this bounds each caller's rate overall.
const limit = new RequestRateLimit(recaptcha.maxRequestsPerMinute);
const deps = once(async () => ({
  assessor: new RecaptchaEnterpriseAssessor(
    requireSetting(settings.gcp.projectId, "gcp.projectId", "the Google Cloud project id"),
  ),
  siteKey: requireSetting(recaptcha.siteKey, "recaptcha.siteKey", "the Enterprise key id (infra output)"),
}));

http("recaptchaVerify", async (req, res) => {
  const { assessor, siteKey } = await deps();
  const response = await handleRecaptchaVerify(
    { method: req.method, headers: req.headers, ip: callerAddress(req.headers, req.ip), body: req.body },
    { assessor, limit, clock: systemClock, logger },
    {
      siteKey,
      allowedOrigins: recaptcha.allowedOrigins.map((url) => new URL(url).origin),
      actions: recaptcha.actions,
      scoreThreshold: recaptcha.scoreThreshold,
    },
  );
  res.status(response.status).set(response.headers);
  if (response.body) res.json(response.body);
  else res.end();
});

/**
 * The caller's address. Behind Cloud Run's front end the socket is Google's; the front end appends
 * the address it received the request from to X-Forwarded-For, so the last entry is the one a
 * caller cannot forge (earlier entries are whatever the caller sent).
 */
function callerAddress(
  headers: Record<string, string | string[] | undefined>,
  socketIp: string | undefined,
): string {
  const forwarded = headers["x-forwarded-for"];
  const list = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",");
  return (
    list
      .map((entry) => entry.trim())
      .filter(Boolean)
      .at(-1) ??
    socketIp ??
    ""
  );
}
