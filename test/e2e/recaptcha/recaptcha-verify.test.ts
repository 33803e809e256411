import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../shared/adapters/clock/system-clock.js";
import { RecaptchaEnterpriseAssessor } from "../../../shared/adapters/recaptcha/recaptcha-enterprise-assessor.js";
import { RequestRateLimit } from "../../../shared/domain/recaptcha/request-rate-limit.js";
import {
  handleRecaptchaVerify,
  type RecaptchaVerifyConfig,
  type VerifyHttpRequest,
} from "../../../shared/usecases/recaptcha/verify-recaptcha.js";
import { capturedLogger } from "../../support/captured-logger.js";
import { standInHost } from "../../support/stand-ins.js";

/**
 * The verify endpoint's flow against the reCAPTCHA Enterprise stand-in, through Google's own client
 * (gRPC): tokens are minted on the stand-in's admin API as a browser would have got them.
 */
const recaptcha = standInHost("recaptchaStandIn");
const SITE_KEY = "6Lc-test-site-key";
const ORIGIN = "https://www.example.com";
const config: RecaptchaVerifyConfig = {
  siteKey: SITE_KEY,
  allowedOrigins: [ORIGIN],
  actions: ["click_to_call", "chat"],
  scoreThreshold: 0.5,
};

async function mint(over: { action?: string; score?: number; ageMs?: number; siteKey?: string } = {}) {
  const response = await fetch(`http://${recaptcha.admin}/tokens`, {
    method: "POST",
    body: JSON.stringify({
      siteKey: SITE_KEY,
      action: "click_to_call",
      score: 0.9,
      hostname: "www.example.com",
      ...over,
    }),
  });
  return ((await response.json()) as { token: string }).token;
}

describe.skipIf(!recaptcha.host)(
  `reCAPTCHA verify endpoint${recaptcha.host ? "" : ` (skipped: ${recaptcha.skipReason})`}`,
  () => {
    let assessor: RecaptchaEnterpriseAssessor;
    const { logger, lines } = capturedLogger("recaptcha-e2e");
    let limit: RequestRateLimit;
    let nextIp = 1;
    const verify = (request: Partial<VerifyHttpRequest>, l = limit) =>
      handleRecaptchaVerify(
        { method: "POST", headers: { origin: ORIGIN }, ip: `198.51.100.${nextIp++}`, body: {}, ...request },
        { assessor, limit: l, clock: systemClock, logger },
        config,
      );

    beforeAll(() => {
      assessor = new RecaptchaEnterpriseAssessor("gw3cx-test", { RECAPTCHA_EMULATOR_HOST: recaptcha.host });
      limit = new RequestRateLimit(30);
    });
    afterAll(async () => {
      await assessor.close();
    });

    it("passes a fresh token for the expected action with a good score, with CORS for the allowed origin", async () => {
      const response = await verify({ body: { token: await mint(), action: "click_to_call" } });
      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject({ "Access-Control-Allow-Origin": ORIGIN, Vary: "Origin" });
      expect(response.body).toMatchObject({
        ok: true,
        reason: "PASSED",
        score: 0.9,
        action: "click_to_call",
      });
    });

    it("says why a token fails: expired, reused, for another action, scored low, not issued, another key's", async () => {
      const reasonOf = async (token: string, action = "click_to_call") =>
        (await verify({ body: { token, action } })).body?.reason;
      expect(await reasonOf(await mint({ ageMs: 3 * 60_000 }))).toBe("TOKEN_EXPIRED");
      const once = await mint();
      expect(await reasonOf(once)).toBe("PASSED");
      expect(await reasonOf(once)).toBe("TOKEN_REUSED");
      expect(await reasonOf(await mint({ action: "chat" }))).toBe("WRONG_ACTION");
      expect(await reasonOf(await mint({ score: 0.3 }))).toBe("LOW_SCORE");
      // A protobuf float: 0.7 travels as 0.69999999, and must still reach a 0.7 threshold.
      const strict = { ...config, scoreThreshold: 0.7 };
      const at = await handleRecaptchaVerify(
        {
          method: "POST",
          headers: {},
          ip: "192.0.2.70",
          body: { token: await mint({ score: 0.7 }), action: "chat" },
        },
        { assessor, limit, clock: systemClock, logger },
        strict,
      );
      expect(at.body).toMatchObject({ ok: false, reason: "WRONG_ACTION" });
      const atThreshold = await handleRecaptchaVerify(
        {
          method: "POST",
          headers: {},
          ip: "192.0.2.71",
          body: { token: await mint({ score: 0.7 }), action: "click_to_call" },
        },
        { assessor, limit, clock: systemClock, logger },
        strict,
      );
      expect(atThreshold.body).toMatchObject({ ok: true, score: 0.7 });
      expect(await reasonOf("never-issued")).toBe("TOKEN_MALFORMED");
      expect(await reasonOf(await mint({ siteKey: "another-key" }))).toBe("TOKEN_INVALID");
      expect(
        lines
          .filter((l) => l.event === "recaptchaAssessed")
          .every((l) => !JSON.stringify(l).includes("never-issued")),
      ).toBe(true);
    });

    it("takes a text/plain JSON body (a form without preflight), and refuses malformed ones naming the field", async () => {
      const token = await mint();
      const plain = await verify({ body: JSON.stringify({ token, action: "click_to_call" }) });
      expect(plain.body).toMatchObject({ ok: true });
      const missing = await verify({ body: { action: "click_to_call" } });
      expect(missing.status).toBe(400);
      expect(missing.body?.message).toContain("token");
      const badAction = await verify({ body: { token, action: "drop table" } });
      expect(badAction.status).toBe(400);
      expect(badAction.body?.message).toContain("action");
      const notOurs = await verify({ body: { token, action: "login" } });
      expect(notOurs.body).toMatchObject({ ok: false, reason: "ACTION_NOT_ALLOWED" });
    });

    it("refuses other origins without CORS headers, and answers an allowed preflight", async () => {
      const refused = await verify({
        headers: { origin: "https://evil.example" },
        body: { token: "x", action: "chat" },
      });
      expect(refused.status).toBe(403);
      expect(refused.headers).not.toHaveProperty("Access-Control-Allow-Origin");
      const preflight = await verify({ method: "OPTIONS", body: undefined });
      expect(preflight.status).toBe(204);
      expect(preflight.headers).toMatchObject({
        "Access-Control-Allow-Origin": ORIGIN,
        "Access-Control-Allow-Methods": "POST",
      });
    });

    it("a flood from one address is cut off at the rate, before reCAPTCHA is asked", async () => {
      const flood = new RequestRateLimit(5);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push(
          (await verify({ ip: "203.0.113.9", body: { token: "t", action: "chat" } }, flood)).status,
        );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const stats = (await (await fetch(`http://${recaptcha.admin}/assessments`)).json()) as {
        assessments: { token: string }[];
      };
      expect(stats.assessments.filter((a) => a.token === "t")).toHaveLength(5);
    });
  },
);
