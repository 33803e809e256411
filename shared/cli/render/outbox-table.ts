import type { OutboxEntry } from "../../adapters/local/eml-outbox.js";
import { renderSection } from "./table.js";

/** The local outbox: the mail gw3cx sent from this machine, as .eml files to open. */
export function renderOutbox(entries: readonly OutboxEntry[]): string {
  return renderSection(
    "Mail sent from this machine (.eml files)",
    ["written", "to", "subject", "file"],
    entries.map((entry) => [entry.writtenAt, entry.to, entry.subject, entry.file]),
  );
}
