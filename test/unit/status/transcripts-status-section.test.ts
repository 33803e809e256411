import { afterEach, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { transcriptsStatusSection } from "../../../shared/usecases/status/transcripts-status-section.js";
import { TranscriptionStore } from "../../../shared/usecases/transcription/transcription-store.js";

let state: SqliteStateStore;
afterEach(async () => {
  await state?.close();
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 19, minute));

async function claimed(store: TranscriptionStore, path: string, minute: number, ttlMs = 60_000) {
  await store.claim(
    { path, kind: "recording", claimedBy: "w1", startedAt: at(minute).toISOString() },
    at(minute),
    ttlMs,
  );
}

describe("the transcripts status section", () => {
  it("is absent before the first recording", async () => {
    state = new SqliteStateStore(":memory:");
    expect(await transcriptsStatusSection(state, at(0))).toBeUndefined();
  });

  it("counts done, failed and pending, and shows the latest with each failure's reason, never words", async () => {
    state = new SqliteStateStore(":memory:");
    const store = new TranscriptionStore(state);
    await claimed(store, "recordings/1001/a.wav", 1);
    await store.finish("recordings/1001/a.wav", {
      status: "done",
      languageCode: "en-US",
      engine: "pocketsphinx",
      durationSeconds: 6.05,
      recognitionMs: 2500,
    });
    await claimed(store, "recordings/1001/bad.wav", 2);
    await store.finish("recordings/1001/bad.wav", {
      status: "failed",
      reason: "recordings/1001/bad.wav: not audio",
    });
    await claimed(store, "voicemails/1002/v.wav", 3);
    await claimed(store, "voicemails/1002/w.wav", 4);
    await store.release("voicemails/1002/w.wav", "voicemails/1002/w.wav: Speech quota exhausted");

    const section = await transcriptsStatusSection(state, at(5));
    expect(section?.summary).toBe("1 done, 1 failed, 2 pending");
    expect(section?.rows).toEqual([
      [
        at(4).toISOString(),
        "voicemails/1002/w.wav",
        "pending (retrying)",
        "voicemails/1002/w.wav: Speech quota exhausted",
      ],
      [at(3).toISOString(), "voicemails/1002/v.wav", "pending", ""],
      [at(2).toISOString(), "recordings/1001/bad.wav", "failed", "recordings/1001/bad.wav: not audio"],
      [
        at(1).toISOString(),
        "recordings/1001/a.wav",
        "done",
        "en-US, pocketsphinx, 6 s of audio, recognized in 2.5 s",
      ],
    ]);
    expect((await transcriptsStatusSection(state, at(3)))?.rows[1]?.[2]).toBe("transcribing");
  });
});
