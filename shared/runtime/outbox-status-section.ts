import { listOutbox, outboxDirOf } from "../adapters/local/eml-outbox.js";
import type { StatusSection, StatusSectionReader } from "../usecases/status/status-section.js";

/**
 * The single machine's outbox as a status section: the mail gw3cx wrote as .eml files next to the
 * state (held-run notices, digests), newest first. Absent when nothing was written.
 */
export function outboxStatusSection(stateDbPath: string): StatusSectionReader {
  const dir = outboxDirOf(stateDbPath);
  return async (): Promise<StatusSection | undefined> => {
    const entries = await listOutbox(dir);
    if (entries.length === 0) return undefined;
    return {
      id: "outbox",
      title: "Mail written on this machine (.eml files)",
      columns: ["written", "to", "subject", "file"],
      rows: entries.map((entry) => [entry.writtenAt, entry.to, entry.subject, entry.file]),
      summary: `in ${dir}`,
    };
  };
}
