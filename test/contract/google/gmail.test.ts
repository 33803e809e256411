import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import { MailError } from "../../../shared/ports/mail.js";
import { ADMIN, asUser, DOMAIN, failureOf, rawClients, startWorkspace, type Workspace } from "./support.js";

describe("GoogleMailer against the simulator", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await startWorkspace();
  });
  afterAll(() => ws.close());

  it("sends raw RFC 822 as the configured sender", async () => {
    const sent = await ws.mailer.send({
      from: ADMIN,
      to: [`grace@${DOMAIN}`],
      subject: "Sync held: 12 users would be disabled",
      text: "Approve with gw3cx approve.",
      html: "<p>Approve with <code>gw3cx approve</code>.</p>",
      attachments: [{ filename: "plan.json", contentType: "application/json", content: Buffer.from("{}") }],
    });
    expect(sent.id).toBeTruthy();
    const message = ws.sim.tenant.sentMail.at(-1);
    expect(message?.sender).toBe(ADMIN);
    expect(message?.headers).toMatchObject({
      from: ADMIN,
      to: `grace@${DOMAIN}`,
      subject: "Sync held: 12 users would be disabled",
      "mime-version": "1.0",
    });
    expect(message?.headers["content-type"]).toMatch(/^multipart\/mixed/);
    const raw = message?.raw.toString() ?? "";
    expect(raw).toContain('filename="plan.json"');
    expect(raw).toContain(Buffer.from("Approve with gw3cx approve.").toString("base64"));
  });

  it("sends a large message through the media upload endpoint", async () => {
    ws.sim.resetRequests();
    const content = Buffer.alloc(6 * 1024 * 1024, 7);
    await ws.mailer.send({
      from: ADMIN,
      to: [`grace@${DOMAIN}`],
      subject: "Voicemail",
      text: "attached",
      attachments: [{ filename: "vm.wav", contentType: "audio/wav", content }],
    });
    const send = ws.sim.requests.find((r) => r.operation === "gmail.users.messages.send");
    expect(send?.path).toBe("/upload/gmail/v1/users/me/messages/send");
    expect(ws.sim.tenant.sentMail.at(-1)?.raw.length).toBeGreaterThan(content.length);
  });

  it("refuses header injection and oversized messages before calling Gmail", async () => {
    ws.sim.resetRequests();
    const injected = await ws.mailer
      .send({ from: ADMIN, to: [`grace@${DOMAIN}`], subject: "hi\r\nBcc: evil@example.org", text: "x" })
      .catch((e: unknown) => e);
    expect(injected).toBeInstanceOf(MailError);
    expect(injected).toMatchObject({ code: "MAIL_INVALID_REQUEST" });
    const huge = await ws.mailer
      .send({
        from: ADMIN,
        to: [`grace@${DOMAIN}`],
        subject: "big",
        text: "x",
        attachments: [
          {
            filename: "big.bin",
            contentType: "application/octet-stream",
            content: Buffer.alloc(27 * 1024 * 1024),
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(huge).toMatchObject({ code: "MAIL_TOO_LARGE" });
    expect(ws.sim.count("gmail.users.messages.send")).toBe(0);
  });

  it("takes a multipart upload (metadata and message), as the client sends media with a request body", async () => {
    ws.sim.resetRequests();
    const { gmail } = rawClients(ws);
    // The generated client builds upload URLs from the per-call rootUrl only (as the adapter notes).
    const auth = { ...(await asUser(ws, ADMIN, SCOPES.gmailSend)), rootUrl: ws.sim.endpoints.apiRootUrl };
    const message = `From: ${ADMIN}\r\nTo: grace@${DOMAIN}\r\nSubject: Multipart\r\n\r\nbody bytes\r\n`;
    const sent = await gmail.users.messages.send(
      {
        userId: "me",
        requestBody: { threadId: "thread-7" },
        media: { mimeType: "message/rfc822", body: message },
      },
      auth,
    );
    expect(sent.data).toMatchObject({ threadId: "thread-7", labelIds: ["SENT"] });
    expect(ws.sim.requests.at(-1)?.path).toBe("/upload/gmail/v1/users/me/messages/send");
    const stored = ws.sim.tenant.sentMail.at(-1);
    expect(stored?.raw.toString()).toBe(message);
    expect(stored?.headers.subject).toBe("Multipart");
    // A Message field the simulator does not implement is refused, not dropped.
    const refused = await failureOf(
      gmail.users.messages.send(
        {
          userId: "me",
          requestBody: { labelIds: ["INBOX"] },
          media: { mimeType: "message/rfc822", body: message },
        },
        auth,
      ),
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.data)).toContain(
      "message.labelIds on send is not implemented by the simulator",
    );
  });
});
