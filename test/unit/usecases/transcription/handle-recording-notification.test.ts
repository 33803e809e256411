import { afterEach, describe, expect, it } from "vitest";
import { deadLetterTopicOf, MAX_DELIVERY_ATTEMPTS, TOPICS } from "../../../../shared/messaging/topics.js";
import type { BusMessage } from "../../../../shared/ports/bus.js";
import { handleRecordingNotification } from "../../../../shared/usecases/transcription/handle-recording-notification.js";
import { TranscriptionStore } from "../../../../shared/usecases/transcription/transcription-store.js";
import { finalizedMessage, quotaError, SPEECH, transcriptionWorld } from "./transcription-fakes.js";

let world: ReturnType<typeof transcriptionWorld>;
let deadLetters: BusMessage[];
afterEach(async () => {
  await world?.bus.close();
  await world?.state.close();
});

async function start(overrides: Parameters<typeof transcriptionWorld>[0] = {}) {
  world = transcriptionWorld(overrides);
  deadLetters = [];
  await world.bus.ensureTopic(deadLetterTopicOf(TOPICS.recordings));
  await world.bus.subscribe({ topic: deadLetterTopicOf(TOPICS.recordings), name: "test-hold" }, async (m) => {
    deadLetters.push(m);
    return "ack";
  });
}

const reasonOf = (m: BusMessage | undefined) => m?.attributes.deadLetterReason;
const settle = () => new Promise((r) => setTimeout(r, 20));
const AUDIO = "recordings/1001/[Ann]_1001-200_20240501101500(1).wav";

describe("handleRecordingNotification", () => {
  it("transcribes a finalized object once; the same notification again costs no recognition", async () => {
    await start();
    await world.storage.write(AUDIO, SPEECH);
    expect(await handleRecordingNotification(finalizedMessage(AUDIO), world.ports, world.config)).toBe("ack");
    expect(await handleRecordingNotification(finalizedMessage(AUDIO), world.ports, world.config)).toBe("ack");
    expect(world.transcriber.calls).toHaveLength(1);
    expect(JSON.parse((await world.storage.read(`${AUDIO}.transcript.json`)).toString())).toMatchObject({
      source: { generation: "1700000000000000" },
    });
  });

  it("dead-letters a malformed notification naming the field and its value", async () => {
    await start();
    const message = finalizedMessage(AUDIO);
    const noName = { ...message, data: Buffer.from(JSON.stringify({ bucket: "archive", generation: "x1" })) };
    expect(await handleRecordingNotification(noName, world.ports, world.config)).toBe("ack");
    const wrongFormat = { ...message, attributes: { ...message.attributes, payloadFormat: "NONE" } };
    expect(await handleRecordingNotification(wrongFormat, world.ports, world.config)).toBe("ack");
    const notJson = { ...message, data: Buffer.from("recordings/1001/a.wav") };
    expect(await handleRecordingNotification(notJson, world.ports, world.config)).toBe("ack");
    await settle();
    expect(deadLetters.map(reasonOf)).toEqual([
      expect.stringMatching(/^name = \(missing\): .*; generation = "x1": expected a generation number$/),
      expect.stringMatching(/^attributes\.payloadFormat = "NONE": expected payloadFormat JSON_API_V1/),
      expect.stringMatching(/^message data is not JSON/),
    ]);
  });

  it("dead-letters unreadable audio with the object's name and the reason, without retrying", async () => {
    await start();
    await world.storage.write("recordings/1001/bad.wav", Buffer.from("RIFF....garbage"));
    expect(
      await handleRecordingNotification(
        finalizedMessage("recordings/1001/bad.wav"),
        world.ports,
        world.config,
      ),
    ).toBe("ack");
    await settle();
    expect(reasonOf(deadLetters[0])).toBe('recordings/1001/bad.wav: a RIFF file of type "garb", not WAVE');
  });

  it("dead-letters unreadable audio once per version: a duplicate event adds nothing, a new version is looked at again", async () => {
    await start();
    const bad = "voicemails/1001/bad.wav";
    await world.storage.write(bad, Buffer.from("not audio"));
    await handleRecordingNotification(finalizedMessage(bad, 1, "1"), world.ports, world.config);
    await handleRecordingNotification(finalizedMessage(bad, 1, "1"), world.ports, world.config);
    await settle();
    expect(deadLetters).toHaveLength(1);
    await world.storage.write(bad, SPEECH);
    await handleRecordingNotification(finalizedMessage(bad, 1, "2"), world.ports, world.config);
    expect(world.transcriber.calls).toHaveLength(1);
    expect(await world.storage.stat(`${bad}.transcript.json`)).toBeDefined();
  });

  it("retries a failure that may pass, and dead-letters it with the reason on the last attempt", async () => {
    await start();
    await world.storage.write(AUDIO, SPEECH);
    world.transcriber.failWith = quotaError();
    expect(await handleRecordingNotification(finalizedMessage(AUDIO, 1), world.ports, world.config)).toBe(
      "nack",
    );
    expect(
      await handleRecordingNotification(
        finalizedMessage(AUDIO, MAX_DELIVERY_ATTEMPTS),
        world.ports,
        world.config,
      ),
    ).toBe("ack");
    await settle();
    expect(reasonOf(deadLetters[0])).toBe(`${AUDIO}: Speech quota exhausted (RESOURCE_EXHAUSTED)`);
    expect(await new TranscriptionStore(world.state).get(AUDIO)).toMatchObject({ status: "failed" });
  });

  it("redelivers while another worker holds the object", async () => {
    await start();
    await world.storage.write(AUDIO, SPEECH);
    await new TranscriptionStore(world.state).claim(
      { path: AUDIO, kind: "recording", claimedBy: "worker-z", startedAt: new Date().toISOString() },
      new Date(),
      60_000,
    );
    expect(await handleRecordingNotification(finalizedMessage(AUDIO), world.ports, world.config)).toBe(
      "nack",
    );
    expect(world.transcriber.calls).toHaveLength(0);
  });

  it("does nothing when transcription is off, and ignores other events and transcripts", async () => {
    await start({ enabled: false });
    await world.storage.write(AUDIO, SPEECH);
    expect(await handleRecordingNotification(finalizedMessage(AUDIO), world.ports, world.config)).toBe("ack");
    world.config.enabled = true;
    const deleted = finalizedMessage(AUDIO);
    const deleteEvent = { ...deleted, attributes: { ...deleted.attributes, eventType: "OBJECT_DELETE" } };
    expect(await handleRecordingNotification(deleteEvent, world.ports, world.config)).toBe("ack");
    expect(
      await handleRecordingNotification(
        finalizedMessage(`${AUDIO}.transcript.txt`),
        world.ports,
        world.config,
      ),
    ).toBe("ack");
    expect(world.transcriber.calls).toHaveLength(0);
    expect(world.logs.map((l) => l.event)).toContain("transcriptionOff");
    await settle();
    expect(deadLetters).toEqual([]);
  });
});
