import { SYNC_REASON_TEXT, type SyncReason } from "../../domain/user-sync/user-sync-plan.js";
import type { OutgoingMail } from "../../ports/mail.js";
import type { SyncRun } from "../user-sync/sync-run-store.js";

/** The name gw3cx's own mail is sent under. */
export const GW3CX_SENDER_NAME = "gw3cx";

const reasonText = (reason: string) => SYNC_REASON_TEXT[reason as SyncReason] ?? reason;

/** A CSV cell: quoted, quotes doubled, and a leading formula character defused for spreadsheets. */
function csvCell(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The mail the safeguard promises for a held run: why it was held, the users it would disable
 * (in the text, and as a CSV to sort and filter), and the command that applies it.
 */
export function heldRunNotice(
  from: string,
  to: string,
  runId: string,
  disables: NonNullable<SyncRun["heldDisables"]>,
  verdict: { disables: number; limit: number },
): OutgoingMail {
  const lines = disables.map((d) => `  ${d.number}  ${d.email}  (${reasonText(d.reason)})`);
  const csv = [
    ["extension", "email", "3CX id", "Google id", "reason"].map(csvCell).join(","),
    ...disables.map((d) =>
      [d.number, d.email, d.threecxId, d.googleId, reasonText(d.reason)].map(csvCell).join(","),
    ),
  ].join("\r\n");
  return {
    from,
    fromName: GW3CX_SENDER_NAME,
    to: [to],
    subject: `gw3cx: user sync ${runId} held (${verdict.disables} users would be disabled)`,
    text: [
      `The user sync run ${runId} would disable ${verdict.disables} 3CX users; the safeguard allows ${verdict.limit} without approval.`,
      "Nothing was changed. The users it would disable (also attached as a CSV file):",
      ...lines,
      "",
      `If this is intended, apply it with: gw3cx sync --approve ${runId}`,
    ].join("\n"),
    attachments: [
      {
        filename: `held-run-${runId}.csv`,
        contentType: 'text/csv; charset="UTF-8"',
        // A byte order mark, so spreadsheet programs read the names as UTF-8.
        content: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${csv}\r\n`, "utf8")]),
      },
    ],
  };
}
