import { z } from "zod";
import { judgeAssessment, type RecaptchaVerdictReason } from "../../domain/recaptcha/judge-assessment.js";
import type { RequestRateLimit } from "../../domain/recaptcha/request-rate-limit.js";
import type { Logger } from "../../logging/logger.js";
import type { Clock } from "../../ports/clock.js";
import type { RecaptchaAssessor } from "../../ports/recaptcha.js";

export interface RecaptchaVerifyConfig {
  siteKey: string;
  /** Exact origins (scheme://host[:port]) whose pages may call from a browser. */
  allowedOrigins: readonly string[];
  /** Actions a form may name; empty: any well-formed one. */
  actions: readonly string[];
  scoreThreshold: number;
}

export interface RecaptchaVerifyPorts {
  assessor: RecaptchaAssessor;
  limit: RequestRateLimit;
  clock: Clock;
  logger: Logger;
}

export interface VerifyHttpRequest {
  method: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The caller's address (Cloud Run: the first X-Forwarded-For hop, set by Google's front end). */
  ip: string;
  body: unknown;
}

export interface VerifyHttpResponse {
  status: number;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

type RequestProblem = "ORIGIN_NOT_ALLOWED" | "METHOD_NOT_ALLOWED" | "BAD_REQUEST" | "ACTION_NOT_ALLOWED";

const requestBody = z
  .object({
    token: z.string().max(8192, { error: "token: at most 8192 characters" }),
    action: z
      .string()
      .regex(/^[A-Za-z0-9_/]{1,100}$/, { error: "action: letters, digits, _ and /, at most 100 characters" }),
  })
  .strict();

const header = (headers: VerifyHttpRequest["headers"], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The verify endpoint for the customer's own web forms. A browser call must come from an allowed
 * origin (CORS; a call without Origin, from a server, is taken as it is). A caller over its rate
 * gets 429 before reCAPTCHA is asked. A well-formed request always gets 200 with
 * `{ok, reason, message, score, action}`, so the form can say why; a malformed one 400 naming the field.
 */
export async function handleRecaptchaVerify(
  request: VerifyHttpRequest,
  ports: RecaptchaVerifyPorts,
  config: RecaptchaVerifyConfig,
): Promise<VerifyHttpResponse> {
  const origin = header(request.headers, "origin");
  if (origin !== undefined && !config.allowedOrigins.includes(origin))
    return refuse(403, "ORIGIN_NOT_ALLOWED", `origin ${origin} may not call this endpoint`, {});
  const cors: Record<string, string> = origin
    ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" }
    : { Vary: "Origin" };
  if (request.method === "OPTIONS") {
    return {
      status: 204,
      headers: {
        ...cors,
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "3600",
      },
    };
  }
  if (request.method !== "POST")
    return refuse(405, "METHOD_NOT_ALLOWED", "use POST", { ...cors, Allow: "POST, OPTIONS" });

  const wait = ports.limit.take(request.ip, ports.clock.now().getTime());
  if (wait > 0) {
    ports.logger.event("recaptchaRateLimited", { ip: request.ip });
    return {
      status: 429,
      headers: { ...cors, "Retry-After": String(Math.ceil(wait / 1000)) },
      body: { ok: false, reason: "RATE_LIMITED", message: "too many requests; try again later" },
    };
  }

  const parsed = requestBody.safeParse(jsonOf(request.body));
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    const field = problem?.path.join(".") || "body";
    const message =
      problem?.code === "invalid_type" ? `${field}: expected a string` : (problem?.message ?? "");
    return refuse(400, "BAD_REQUEST", `expected {"token", "action"}: ${message}`, cors);
  }
  const { token, action } = parsed.data;
  if (config.actions.length > 0 && !config.actions.includes(action))
    return refuse(
      400,
      "ACTION_NOT_ALLOWED",
      `action ${JSON.stringify(action)} is not one this endpoint checks`,
      cors,
    );

  try {
    const assessment = await ports.assessor.assess({
      token,
      siteKey: config.siteKey,
      expectedAction: action,
      userIpAddress: request.ip,
      userAgent: header(request.headers, "user-agent"),
    });
    const verdict = judgeAssessment(assessment, { action, threshold: config.scoreThreshold });
    ports.logger.event("recaptchaAssessed", {
      action,
      ok: verdict.ok,
      reason: verdict.reason,
      score: verdict.score,
    });
    return { status: 200, headers: cors, body: { ...verdict } };
  } catch (error) {
    ports.logger.event("recaptchaAssessmentFailed", { error });
    return {
      status: 503,
      headers: { ...cors, "Retry-After": "5" },
      body: {
        ok: false,
        reason: "ASSESSMENT_UNAVAILABLE",
        message: "reCAPTCHA could not be asked; try again",
      },
    };
  }
}

/**
 * The body as JSON. A form may post it as text/plain (a "simple" request a browser sends without
 * a preflight), which arrives as a string or bytes; anything unreadable is left to the schema.
 */
function jsonOf(body: unknown): unknown {
  if (typeof body !== "string" && !Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(body.toString());
  } catch {
    return body;
  }
}

function refuse(
  status: number,
  reason: RequestProblem | RecaptchaVerdictReason,
  message: string,
  headers: Record<string, string>,
): VerifyHttpResponse {
  return { status, headers, body: { ok: false, reason, message } };
}
