import { describe, expect, it } from "vitest";
import { delegationClaims } from "../../../shared/adapters/google/delegation.js";
import { classifyGoogleError, scrubCredentials } from "../../../shared/adapters/google/google-errors.js";
import { decodeWebSafeBase64, encodeWebSafeBase64 } from "../../../shared/adapters/google/photo-data.js";
import { composeRfc822, toGmailRaw } from "../../../shared/adapters/google/rfc822.js";
import { DirectoryError } from "../../../shared/ports/directory.js";

describe("web-safe base64 photos", () => {
  // Bytes chosen so the standard encoding contains '+', '/' and padding.
  const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x3e, 0x10]);

  it("decodes both padding forms ('*' and '.') and the swapped characters", () => {
    expect(bytes.toString("base64")).toMatch(/[+/].*=$/);
    for (const padding of ["*", "."] as const) {
      const encoded = encodeWebSafeBase64(bytes, padding);
      expect(encoded).not.toMatch(/[+/=]/);
      expect(decodeWebSafeBase64(encoded).equals(bytes)).toBe(true);
    }
  });
});

describe("delegationClaims", () => {
  it("names the service account as issuer and the user as subject, for at most an hour", () => {
    expect(
      delegationClaims({
        serviceAccountEmail: "sa@p.iam.gserviceaccount.com",
        subject: "ada@example.com",
        scopes: ["a", "b"],
        audience: "https://oauth2.googleapis.com/token",
        nowMs: 1_700_000_000_900,
        lifetimeSeconds: 3600,
      }),
    ).toEqual({
      iss: "sa@p.iam.gserviceaccount.com",
      sub: "ada@example.com",
      scope: "a b",
      aud: "https://oauth2.googleapis.com/token",
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
  });
});

function gaxiosLike(status: number, error: unknown) {
  return Object.assign(new Error("request failed"), {
    response: { status, data: { error } },
    config: { headers: new Headers({ Authorization: "Bearer ya29.secret", "x-other": "1" }) },
  });
}

describe("classifyGoogleError", () => {
  it.each([
    [429, "rateLimitExceeded", "RATE_LIMITED", true],
    [403, "rateLimitExceeded", "RATE_LIMITED", true],
    [403, "userRateLimitExceeded", "RATE_LIMITED", true],
    [403, "forbidden", "NOT_AUTHORIZED", false],
    [404, "notFound", "NOT_FOUND", false],
    [503, "backendError", "UNAVAILABLE", true],
    [400, "invalid", "INVALID_REQUEST", false],
  ])("%i %s -> %s (transient %s)", (status, reason, failure, transient) => {
    const error = gaxiosLike(status, {
      code: status,
      message: "m",
      errors: [{ reason, domain: "d", message: "m" }],
    });
    expect(classifyGoogleError(error)).toMatchObject({ status, reason, failure, transient });
  });

  it("reads the ErrorInfo reason of newer APIs", () => {
    const error = gaxiosLike(400, {
      code: 400,
      status: "FAILED_PRECONDITION",
      message: "Sync token is expired.",
      details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "EXPIRED_SYNC_TOKEN" }],
    });
    expect(classifyGoogleError(error)).toMatchObject({
      reason: "EXPIRED_SYNC_TOKEN",
      errorInfoReason: "EXPIRED_SYNC_TOKEN",
    });
  });

  it("treats network failures as transient and keeps port errors as they are", () => {
    expect(classifyGoogleError(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toMatchObject({
      failure: "UNAVAILABLE",
      transient: true,
    });
    expect(classifyGoogleError(new Error("boom"))).toMatchObject({ failure: "FAILED", transient: false });
    const portError = new DirectoryError("RATE_LIMITED", "slow down", {
      reason: "quotaExceeded",
      status: 403,
    });
    expect(classifyGoogleError(portError)).toMatchObject({
      failure: "RATE_LIMITED",
      reason: "quotaExceeded",
      transient: true,
    });
  });

  it("scrubs the bearer token from a kept cause", () => {
    const error = gaxiosLike(500, {});
    scrubCredentials(error);
    expect(error.config.headers.get("authorization")).toBeNull();
    expect(error.config.headers.get("x-other")).toBe("1");
  });
});

describe("composeRfc822", () => {
  const date = new Date("2030-01-01T00:00:00Z");

  it("writes a plain text message with an encoded non-ASCII subject", () => {
    const text = composeRfc822(
      { from: "gw3cx@example.com", to: ["a@example.com", "b@example.com"], subject: "Grüße", text: "hi" },
      { date, boundarySeed: "seed" },
    ).toString();
    expect(text).toContain("From: gw3cx@example.com\r\n");
    expect(text).toContain("To: a@example.com, b@example.com\r\n");
    expect(text).toContain(`Subject: =?UTF-8?B?${Buffer.from("Grüße").toString("base64")}?=\r\n`);
    expect(text).toContain("Message-ID: <seed.gw3cx@example.com>");
    expect(text).toContain('Content-Type: text/plain; charset="UTF-8"');
    expect(text).toContain(`\r\n\r\n${Buffer.from("hi").toString("base64")}`);
  });

  it("nests alternative text/html inside mixed with attachments", () => {
    const text = composeRfc822(
      {
        from: "gw3cx@example.com",
        to: ["a@example.com"],
        subject: "s",
        text: "t",
        html: "<p>t</p>",
        attachments: [
          { filename: "Bericht ä.pdf", contentType: "application/pdf", content: Buffer.from("%PDF") },
        ],
      },
      { date, boundarySeed: "seed" },
    ).toString();
    expect(text).toMatch(
      /Content-Type: multipart\/mixed; boundary="mixed-seed"[\s\S]*--mixed-seed\r\nContent-Type: multipart\/alternative; boundary="alt-seed"/,
    );
    expect(text).toContain("Content-Type: text/html");
    expect(text).toContain("filename*=UTF-8''Bericht%20%C3%A4.pdf");
    expect(text.trimEnd().endsWith("--mixed-seed--")).toBe(true);
  });

  it("refuses line breaks in header values and encodes raw as base64url", () => {
    expect(() =>
      composeRfc822({ from: "a@example.com", to: ["b@example.com\r\nBcc: x@evil"], subject: "s", text: "t" }),
    ).toThrow(RangeError);
    expect(toGmailRaw(Buffer.from([0xfb, 0xff]))).toBe("-_8");
  });
});

describe("composeRfc822 read back by a MIME reader", () => {
  it("keeps UTF-8 names, long subjects and attachment names intact, each encoded word within 75 characters", async () => {
    const { parseRfc822, leaves, textOf } = await import("../../support/parse-rfc822.js");
    const subject = `Sync angehalten: 12 Benutzer würden deaktiviert – Zoë, 李小龍 und 🎉 ${"ä".repeat(40)}`;
    const raw = composeRfc822({
      from: "gw3cx@example.com",
      fromName: 'gw3cx Prüfer "Ops"',
      to: ["admin@example.com"],
      subject,
      text: "Grüße, 李小龍",
      attachments: [
        {
          filename: "gehaltene Benutzer ä.csv",
          contentType: "text/csv; charset=UTF-8",
          content: Buffer.from("a,ö\n"),
        },
      ],
    });
    const head = raw.toString("latin1").split("\r\n\r\n")[0] ?? "";
    for (const word of head.match(/=\?[^?]+\?B\?[^?]*\?=/g) ?? [])
      expect(word.length).toBeLessThanOrEqual(75);
    expect(head.split("\r\n").every((line) => line.length <= 998)).toBe(true);
    const message = parseRfc822(raw);
    expect(message.headers.get("subject")).toBe(subject);
    expect(message.headers.get("from")).toBe('gw3cx Prüfer "Ops" <gw3cx@example.com>');
    const [body, csv] = leaves(message);
    expect(body && textOf(body)).toBe("Grüße, 李小龍");
    expect(csv?.filename).toBe("gehaltene Benutzer ä.csv");
    expect(csv?.body.toString("utf8")).toBe("a,ö\n");
  });
});
