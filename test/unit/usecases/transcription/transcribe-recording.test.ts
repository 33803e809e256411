import { afterEach, describe, expect, it } from "vitest";
import { TranscriberError } from "../../../../shared/ports/transcriber.js";
import { transcribeRecording } from "../../../../shared/usecases/transcription/transcribe-recording.js";
import { TranscriptionStore } from "../../../../shared/usecases/transcription/transcription-store.js";
import { quotaError, SPEECH, transcriptionWorld } from "./transcription-fakes.js";

let world: ReturnType<typeof transcriptionWorld>;
afterEach(async () => {
  await world?.state.close();
});

const AUDIO = "voicemails/1002/vmail_0123_20240501101500.wav";

describe("transcribeRecording", () => {
  it("writes the JSON and the words beside the audio, and records the source and format", async () => {
    world = transcriptionWorld();
    await world.storage.write(AUDIO, SPEECH);
    const result = await transcribeRecording(world.ports, { path: AUDIO, generation: "42" }, world.config);
    expect(result).toMatchObject({ outcome: "written", transcriptPath: `${AUDIO}.transcript.json` });
    const document = JSON.parse((await world.storage.read(`${AUDIO}.transcript.json`)).toString());
    expect(document).toMatchObject({
      schemaVersion: 1,
      source: { path: AUDIO, generation: "42", kind: "voicemail", extension: "1002" },
      audio: { container: "wav", codec: "pcm_s16le", sampleRateHertz: 16_000, durationSeconds: 6.05 },
      languageCode: "en-US",
      engine: "scripted",
      text: `words of local:${AUDIO}`,
    });
    expect((await world.storage.read(`${AUDIO}.transcript.txt`)).toString()).toBe(
      `words of local:${AUDIO}\n`,
    );
    expect(await new TranscriptionStore(world.state).get(AUDIO)).toMatchObject({
      status: "done",
      attempts: 1,
    });
  });

  it("never logs the transcript's words", async () => {
    world = transcriptionWorld();
    await world.storage.write(AUDIO, SPEECH);
    await transcribeRecording(world.ports, { path: AUDIO }, world.config);
    expect(world.logs.map((l) => l.event)).toContain("transcriptWritten");
    expect(JSON.stringify(world.logs)).not.toContain("words of");
  });

  it("does not recognize again when the transcript exists", async () => {
    world = transcriptionWorld();
    await world.storage.write(AUDIO, SPEECH);
    await transcribeRecording(world.ports, { path: AUDIO }, world.config);
    const again = await transcribeRecording(world.ports, { path: AUDIO }, world.config);
    expect(again).toEqual({ outcome: "exists", path: AUDIO, transcriptPath: `${AUDIO}.transcript.json` });
    expect(world.transcriber.calls).toHaveLength(1);
  });

  it("two workers at once: one recognition, one transcript, the other steps back", async () => {
    world = transcriptionWorld();
    await world.storage.write(AUDIO, SPEECH);
    let open = () => {};
    world.transcriber.gate = new Promise((resolve) => {
      open = resolve;
    });
    const first = transcribeRecording(world.ports, { path: AUDIO }, world.config);
    await new Promise((r) => setTimeout(r, 20));
    const second = await transcribeRecording(
      world.ports,
      { path: AUDIO },
      { ...world.config, workerId: "worker-b" },
    );
    expect(second).toMatchObject({ outcome: "busy", heldBy: "worker-a" });
    open();
    expect(await first).toMatchObject({ outcome: "written" });
    expect(world.transcriber.calls).toHaveLength(1);
  });

  it("a transcript another worker wrote during recognition wins; this one's is dropped", async () => {
    world = transcriptionWorld();
    await world.storage.write(AUDIO, SPEECH);
    let open = () => {};
    world.transcriber.gate = new Promise((resolve) => {
      open = resolve;
    });
    const running = transcribeRecording(world.ports, { path: AUDIO }, world.config);
    await new Promise((r) => setTimeout(r, 20));
    await world.storage.write(`${AUDIO}.transcript.json`, '{"theirs":true}', { ifAbsent: true });
    open();
    expect(await running).toMatchObject({ outcome: "exists" });
    expect((await world.storage.read(`${AUDIO}.transcript.json`)).toString()).toBe('{"theirs":true}');
  });

  it("refuses what is not audio, with the reason, and records it as failed", async () => {
    world = transcriptionWorld();
    await world.storage.write("recordings/1001/x.wav", Buffer.from("this is no recording at all"));
    const result = await transcribeRecording(world.ports, { path: "recordings/1001/x.wav" }, world.config);
    expect(result).toMatchObject({
      outcome: "refused",
      reason: expect.stringContaining("not audio gw3cx reads"),
    });
    expect(world.transcriber.calls).toHaveLength(0);
    expect(await new TranscriptionStore(world.state).get("recordings/1001/x.wav")).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/^recordings\/1001\/x\.wav: not audio/),
    });
  });

  it("refuses what the transcriber says it cannot read", async () => {
    world = transcriptionWorld();
    await world.storage.write(AUDIO, SPEECH);
    world.transcriber.failWith = new TranscriberError(
      "TRANSCRIBE_UNSUPPORTED_AUDIO",
      "codec gsm610 not supported",
    );
    expect(await transcribeRecording(world.ports, { path: AUDIO }, world.config)).toMatchObject({
      outcome: "refused",
      reason: "codec gsm610 not supported",
    });
  });

  it("throws a failure that may pass and releases the claim, so the next try starts at once", async () => {
    world = transcriptionWorld();
    await world.storage.write(AUDIO, SPEECH);
    world.transcriber.failWith = quotaError();
    await expect(transcribeRecording(world.ports, { path: AUDIO }, world.config)).rejects.toMatchObject({
      code: "TRANSCRIBE_QUOTA",
    });
    expect(await new TranscriptionStore(world.state).get(AUDIO)).toMatchObject({
      status: "pending",
      claimExpiresAtMs: 0,
    });
    world.transcriber.failWith = undefined;
    const retried = await transcribeRecording(
      world.ports,
      { path: AUDIO },
      { ...world.config, workerId: "worker-b" },
    );
    expect(retried).toMatchObject({ outcome: "written" });
    expect(await new TranscriptionStore(world.state).get(AUDIO)).toMatchObject({
      status: "done",
      attempts: 2,
    });
  });

  it("skips transcripts and objects outside the two folders; a deleted object is missing", async () => {
    world = transcriptionWorld();
    expect(
      await transcribeRecording(world.ports, { path: `${AUDIO}.transcript.json` }, world.config),
    ).toMatchObject({
      outcome: "skipped",
    });
    expect(await transcribeRecording(world.ports, { path: "chats/a.wav" }, world.config)).toMatchObject({
      outcome: "skipped",
    });
    expect(await transcribeRecording(world.ports, { path: AUDIO }, world.config)).toEqual({
      outcome: "missing",
      path: AUDIO,
    });
  });

  it("uses the owner's language, by extension or by the linked email", async () => {
    world = transcriptionWorld({ userLanguages: { "1002": "de-DE", "marie@example.com": "fr-FR" } });
    world.emails["1003"] = "Marie@example.com";
    await world.storage.write(AUDIO, SPEECH);
    await world.storage.write("recordings/1003/a.wav", SPEECH);
    await transcribeRecording(world.ports, { path: AUDIO }, world.config);
    await transcribeRecording(world.ports, { path: "recordings/1003/a.wav" }, world.config);
    expect(world.transcriber.calls.map((c) => c.languageCode)).toEqual(["de-DE", "fr-FR"]);
  });

  it("mails a voicemail's transcript to the extension's user when mailVoicemails is on", async () => {
    world = transcriptionWorld({ mailVoicemails: true });
    world.emails["1002"] = "anna@example.com";
    await world.storage.write(AUDIO, SPEECH);
    await world.storage.write("recordings/1002/call.wav", SPEECH);
    expect(await transcribeRecording(world.ports, { path: AUDIO }, world.config)).toMatchObject({
      mail: "sent",
    });
    await transcribeRecording(world.ports, { path: "recordings/1002/call.wav" }, world.config);
    expect(world.mail).toHaveLength(1);
    expect(world.mail[0]).toMatchObject({ from: "pbx@example.com", to: ["anna@example.com"] });
    expect(world.mail[0]?.text).toContain(`words of local:${AUDIO}`);
    expect(world.mail[0]?.text).toContain("vmail_0123_20240501101500.wav");
  });

  it("writes the transcript even when nobody owns the extension or the mail fails", async () => {
    world = transcriptionWorld({ mailVoicemails: true });
    await world.storage.write(AUDIO, SPEECH);
    expect(await transcribeRecording(world.ports, { path: AUDIO }, world.config)).toMatchObject({
      outcome: "written",
      mail: "no-owner",
    });
    world.emails["1005"] = "bo@example.com";
    world.ports.mailer = {
      send: async () => {
        throw new Error("Gmail unavailable");
      },
    };
    await world.storage.write("voicemails/1005/v.wav", SPEECH);
    expect(
      await transcribeRecording(world.ports, { path: "voicemails/1005/v.wav" }, world.config),
    ).toMatchObject({
      outcome: "written",
      mail: "failed",
    });
    expect(world.logs.map((l) => l.event)).toContain("transcriptMailFailed");
  });
});
