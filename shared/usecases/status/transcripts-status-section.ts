import type { StateStore } from "../../ports/state-store.js";
import { type TranscriptionRecord, TranscriptionStore } from "../transcription/transcription-store.js";
import type { StatusSection } from "./status-section.js";

/** How far back the counts look: a status read stays one bounded query however long gw3cx has run. */
export const TRANSCRIPTS_COUNTED = 1000;
const ROWS = 8;

/**
 * Transcripts as a status section (CLI and page): done, failed and pending among the latest, and
 * the latest few with what became of them (a failure's reason; never the words). None before the
 * first recording.
 */
export async function transcriptsStatusSection(
  state: StateStore,
  now: Date,
): Promise<StatusSection | undefined> {
  const latest = await new TranscriptionStore(state).latest(TRANSCRIPTS_COUNTED);
  if (latest.length === 0) return undefined;
  const count = (status: TranscriptionRecord["status"]) => latest.filter((r) => r.status === status).length;
  const failures = latest.filter((r) => r.status === "failed");
  const shown = [...failures.slice(0, ROWS / 2), ...latest.filter((r) => r.status !== "failed")].slice(
    0,
    ROWS,
  );
  shown.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return {
    id: "transcripts",
    title: "Transcripts of recordings and voicemails",
    summary:
      `${count("done")} done, ${count("failed")} failed, ${count("pending")} pending` +
      (latest.length === TRANSCRIPTS_COUNTED ? ` (of the latest ${TRANSCRIPTS_COUNTED})` : ""),
    columns: ["started", "object", "status", "detail"],
    rows: shown.map((r) => [r.startedAt, r.path, statusOf(r, now), detailOf(r)]),
  };
}

function statusOf(record: TranscriptionRecord, now: Date): string {
  if (record.status !== "pending") return record.status;
  if (record.claimExpiresAtMs > now.getTime()) return "transcribing";
  return record.reason ? "pending (retrying)" : "pending";
}

function detailOf(record: TranscriptionRecord): string {
  if (record.status === "failed" || (record.status === "pending" && record.reason))
    return record.reason ?? "";
  if (record.status !== "done") return "";
  const parts = [
    record.languageCode,
    record.engine,
    record.durationSeconds !== undefined ? `${Math.round(record.durationSeconds)} s of audio` : undefined,
    record.recognitionMs !== undefined
      ? `recognized in ${(record.recognitionMs / 1000).toFixed(1)} s`
      : undefined,
    record.mail ? `mail: ${record.mail}` : undefined,
  ];
  return parts.filter(Boolean).join(", ");
}
