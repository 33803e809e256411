import type { ArchiveKind } from "../../domain/transcription/archive-layout.js";
import { isGw3cxError } from "../../errors.js";
import type { StateStore, StoredDocument } from "../../ports/state-store.js";

const TRANSCRIPTIONS = "transcriptions";

/**
 * One audio object's transcription, as a document-as-state-machine: pending (claimed by a worker
 * until claimExpiresAtMs) -> done | failed. The transcript object itself is the truth of "done";
 * this record is the claim that keeps two workers from recognizing the same audio, and what the
 * status shows. It never holds the transcript's words.
 */
export interface TranscriptionRecord {
  path: string;
  kind: ArchiveKind;
  extension?: string;
  generation?: string;
  status: "pending" | "done" | "failed";
  claimedBy: string;
  claimExpiresAtMs: number;
  attempts: number;
  startedAt: string;
  finishedAt?: string;
  /** Set when the audio itself was refused (not an error that may pass). */
  refused?: boolean;
  /** Why it failed (a refusal or the last error), with the object's name. */
  reason?: string;
  languageCode?: string;
  engine?: string;
  durationSeconds?: number;
  recognitionMs?: number;
  mail?: "sent" | "failed" | "no-owner";
}

type Stored = StoredDocument<TranscriptionRecord & Record<string, unknown>>;

export type Claim = { claimed: true; version: number } | { claimed: false; heldBy: string };

export class TranscriptionStore {
  constructor(private readonly state: StateStore) {}

  async get(path: string): Promise<TranscriptionRecord | undefined> {
    return (await this.read(path))?.data;
  }

  /**
   * Claims the object for this worker, unless another worker's claim is still running. A done or
   * failed record, or an expired claim (a worker that died), is taken over.
   */
  async claim(
    record: Omit<TranscriptionRecord, "status" | "attempts" | "claimExpiresAtMs">,
    now: Date,
    ttlMs: number,
  ): Promise<Claim> {
    const fresh = {
      ...stripUndefined(record),
      status: "pending" as const,
      claimExpiresAtMs: now.getTime() + ttlMs,
    };
    try {
      const created = await this.state.create(TRANSCRIPTIONS, idOf(record.path), { ...fresh, attempts: 1 });
      return { claimed: true, version: created.version };
    } catch (error) {
      if (!isGw3cxError(error, "STATE_ALREADY_EXISTS")) throw error;
    }
    const current = await this.read(record.path);
    if (!current) return this.claim(record, now, ttlMs);
    const held = current.data.status === "pending" && current.data.claimExpiresAtMs > now.getTime();
    if (held && current.data.claimedBy !== record.claimedBy)
      return { claimed: false, heldBy: current.data.claimedBy };
    // Taken over as delete-this-version then create: a worker that moved first wins either step.
    try {
      await this.state.delete(TRANSCRIPTIONS, idOf(record.path), { expectedVersion: current.version });
      const taken = await this.state.create(TRANSCRIPTIONS, idOf(record.path), {
        ...fresh,
        attempts: (current.data.attempts ?? 0) + 1,
      });
      return { claimed: true, version: taken.version };
    } catch (error) {
      if (isGw3cxError(error, "STATE_VERSION_CONFLICT") || isGw3cxError(error, "STATE_ALREADY_EXISTS"))
        return { claimed: false, heldBy: "another worker" };
      throw error;
    }
  }

  /** Lengthens this worker's claim once the audio's duration is known. */
  async extendClaim(path: string, until: Date): Promise<void> {
    await this.state.update<TranscriptionRecord & Record<string, unknown>>(TRANSCRIPTIONS, idOf(path), {
      claimExpiresAtMs: until.getTime(),
    });
  }

  async finish(
    path: string,
    fields: Partial<TranscriptionRecord> & { status: "done" | "failed" },
  ): Promise<void> {
    await this.state.update<TranscriptionRecord & Record<string, unknown>>(TRANSCRIPTIONS, idOf(path), {
      ...stripUndefined(fields),
      claimExpiresAtMs: 0,
    });
  }

  /** Gives up this worker's claim after an error that may pass: pending again, free for the next delivery. */
  async release(path: string, reason: string): Promise<void> {
    await this.state.update<TranscriptionRecord & Record<string, unknown>>(TRANSCRIPTIONS, idOf(path), {
      status: "pending",
      claimExpiresAtMs: 0,
      reason,
    });
  }

  /** Records that the object was given up on; a no-op when it was never claimed. */
  async markFailed(path: string, reason: string, now: Date): Promise<void> {
    try {
      await this.finish(path, { status: "failed", reason, finishedAt: now.toISOString() });
    } catch (error) {
      if (!isGw3cxError(error, "STATE_NOT_FOUND")) throw error;
    }
  }

  async update(path: string, fields: Partial<TranscriptionRecord>): Promise<void> {
    await this.state.update<TranscriptionRecord & Record<string, unknown>>(
      TRANSCRIPTIONS,
      idOf(path),
      stripUndefined(fields),
    );
  }

  async all(): Promise<TranscriptionRecord[]> {
    return (await this.state.query<TranscriptionRecord & Record<string, unknown>>(TRANSCRIPTIONS)).map(
      (d) => d.data,
    );
  }

  private read(path: string): Promise<Stored | undefined> {
    return this.state.get<TranscriptionRecord & Record<string, unknown>>(TRANSCRIPTIONS, idOf(path));
  }
}

/** Document ids cannot hold "/": the path, percent-encoded, is still unique and readable. */
function idOf(path: string): string {
  return encodeURIComponent(path);
}

function stripUndefined<T extends object>(value: T): T & Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T &
    Record<string, unknown>;
}
