import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { v2 } from "@google-cloud/speech";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStandIn } from "../../standins/process.js";
import { startSpeechStandIn } from "../../standins/speech.js";
import { encodeWithFfmpeg, librivoxClip, wordsFound } from "../../support/speech-clips.js";

type ClientOptions = NonNullable<ConstructorParameters<typeof v2.SpeechClient>[0]>;

const clip = librivoxClip("0920");
const RECOGNIZER = "projects/gw3cx-test/locations/global/recognizers/_";
const CONFIG = { autoDecodingConfig: {}, model: "telephony", languageCodes: ["en-US"] };
let folder: string;
let standIn: RunningStandIn;
let client: v2.SpeechClient;

async function put(name: string, localPath: string): Promise<string> {
  await mkdir(join(folder, "bucket", "recordings"), { recursive: true });
  await copyFile(localPath, join(folder, "bucket", "recordings", name));
  return `gs://bucket/recordings/${name}`;
}

async function grpcFailure(promise: Promise<unknown>): Promise<{ code: number; details: string }> {
  return promise.then(
    () => ({ code: -1, details: "no error" }),
    (e: { code: number; details: string }) => ({ code: e.code, details: e.details }),
  );
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "gw3cx-speech-objects-"));
  standIn = await startSpeechStandIn({ objectsFolder: folder });
  const [host, port] = standIn.host.split(":") as [string, string];
  const gax = createRequire(createRequire(import.meta.url).resolve("@google-cloud/speech"))("google-gax") as {
    grpc: { credentials: { createInsecure(): unknown } };
  };
  client = new v2.SpeechClient({
    projectId: "gw3cx-test",
    apiEndpoint: host,
    port: Number(port),
    sslCreds: gax.grpc.credentials.createInsecure() as ClientOptions["sslCreds"],
  });
});
afterAll(async () => {
  await client?.close();
  await standIn?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe("Speech v2 stand-in, driven by the real v2 SpeechClient", () => {
  it("recognizes inline content, with word times when asked", async () => {
    const [response] = await client.recognize({
      recognizer: RECOGNIZER,
      config: { ...CONFIG, features: { enableWordTimeOffsets: true } },
      content: await readFile(clip.path),
    });
    const text = (response.results ?? []).map((r) => r.alternatives?.[0]?.transcript).join(" ");
    expect(wordsFound(clip, text), text).toBeGreaterThan(0.7);
    const words = response.results?.[0]?.alternatives?.[0]?.words ?? [];
    expect(words.length).toBeGreaterThan(3);
    expect(
      Number(words[0]?.endOffset?.seconds ?? 0) + (words[0]?.endOffset?.nanos ?? 0) / 1e9,
    ).toBeGreaterThan(0);
    expect(response.results?.[0]?.languageCode).toBe("en-us");
    expect(Number(response.metadata?.totalBilledDuration?.seconds)).toBe(7);
  });

  it("recognizes a gs:// uri, and answers NOT_FOUND for a missing object", async () => {
    const uri = await put("short.wav", clip.path);
    const [response] = await client.recognize({ recognizer: RECOGNIZER, config: CONFIG, uri });
    const text = (response.results ?? []).map((r) => r.alternatives?.[0]?.transcript).join(" ");
    expect(wordsFound(clip, text), text).toBeGreaterThan(0.7);
    const missing = await grpcFailure(
      client.recognize({ recognizer: RECOGNIZER, config: CONFIG, uri: "gs://bucket/nope.wav" }),
    );
    expect(missing.code).toBe(5);
  });

  it("refuses sync audio over 60 s or 10 MB with INVALID_ARGUMENT, as Speech does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gw3cx-speech-long-"));
    try {
      const long = encodeWithFfmpeg("anullsrc=r=8000:cl=mono", join(dir, "long.wav"), [
        "-t",
        "61",
        "-c:a",
        "pcm_s16le",
      ]);
      const tooLong = await grpcFailure(
        client.recognize({ recognizer: RECOGNIZER, config: CONFIG, content: await readFile(long) }),
      );
      expect(tooLong).toMatchObject({ code: 3 });
      expect(tooLong.details).toContain("60 seconds");
      const tooBig = await grpcFailure(
        client.recognize({
          recognizer: RECOGNIZER,
          config: CONFIG,
          content: Buffer.alloc(10 * 1024 * 1024 + 1),
        }),
      );
      expect(tooBig).toMatchObject({ code: 3 });
      expect(tooBig.details).toContain("10485760");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("batch-recognizes gs:// files into an operation the client polls, with per-file errors", async () => {
    const good = await put("batch.wav", clip.path);
    const missing = "gs://bucket/recordings/missing.wav";
    const [operation] = await client.batchRecognize({
      recognizer: RECOGNIZER,
      config: CONFIG,
      files: [{ uri: good }, { uri: missing }],
      recognitionOutputConfig: { inlineResponseConfig: {} },
    });
    expect(operation.name).toMatch(/^projects\/gw3cx-test\/locations\/global\/operations\//);
    const [response] = await operation.promise();
    const transcript = response.results?.[good]?.inlineResult?.transcript?.results ?? [];
    const text = transcript.map((r) => r.alternatives?.[0]?.transcript).join(" ");
    expect(wordsFound(clip, text), text).toBeGreaterThan(0.7);
    expect(response.results?.[missing]?.error?.code).toBe(5);
  });

  it("writes batch results as JSON under a gcs_output_config prefix", async () => {
    const good = await put("to-gcs.wav", clip.path);
    const [operation] = await client.batchRecognize({
      recognizer: RECOGNIZER,
      config: CONFIG,
      files: [{ uri: good }],
      recognitionOutputConfig: { gcsOutputConfig: { uri: "gs://bucket/transcripts" } },
    });
    const [response] = await operation.promise();
    const written = response.results?.[good]?.cloudStorageResult?.uri ?? "";
    expect(written).toMatch(/^gs:\/\/bucket\/transcripts\/to-gcs_transcript_.*\.json$/);
    const [name] = await readdir(join(folder, "bucket", "transcripts"));
    const json = JSON.parse(await readFile(join(folder, "bucket", "transcripts", name as string), "utf8"));
    expect(
      wordsFound(
        clip,
        json.results
          .map((r: { alternatives: { transcript: string }[] }) => r.alternatives[0]?.transcript)
          .join(" "),
      ),
    ).toBeGreaterThan(0.7);
    expect(json.results[0].resultEndOffset).toMatch(/^\d+(\.\d+)?s$/);
  });

  it("refuses more than 15 files in one batch", async () => {
    const files = Array.from({ length: 16 }, (_, i) => ({ uri: `gs://bucket/recordings/${i}.wav` }));
    const failure = await grpcFailure(
      client.batchRecognize({
        recognizer: RECOGNIZER,
        config: CONFIG,
        files,
        recognitionOutputConfig: { inlineResponseConfig: {} },
      }),
    );
    expect(failure.code).toBe(3);
    expect(failure.details).toContain("15");
  });

  it("validates the recognizer name and the config", async () => {
    const content = await readFile(clip.path);
    const bad = await grpcFailure(client.recognize({ recognizer: "recognizers/_", config: CONFIG, content }));
    expect(bad.code).toBe(3);
    const unknown = await grpcFailure(
      client.recognize({
        recognizer: "projects/gw3cx-test/locations/global/recognizers/mine",
        config: CONFIG,
        content,
      }),
    );
    expect(unknown.code).toBe(5);
    const noModel = await grpcFailure(
      client.recognize({ recognizer: RECOGNIZER, config: { ...CONFIG, model: "" }, content }),
    );
    expect(noModel).toMatchObject({ code: 3 });
    const punctuation = await grpcFailure(
      client.recognize({
        recognizer: RECOGNIZER,
        config: { ...CONFIG, features: { enableAutomaticPunctuation: true } },
        content,
      }),
    );
    expect(punctuation.code).toBe(12);
    expect(punctuation.details).toContain("enableAutomaticPunctuation");
    const notAudio = await grpcFailure(
      client.recognize({
        recognizer: RECOGNIZER,
        config: CONFIG,
        content: Buffer.from("plain text, not audio ".repeat(40)),
      }),
    );
    expect(notAudio.code).toBe(3);
    expect(notAudio.details).toContain("supported encoding");
  });

  it("decodes headerless mu-law with an explicit decoding config", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gw3cx-speech-raw-"));
    try {
      const raw = encodeWithFfmpeg(clip.path, join(dir, "clip.ul"), ["-ar", "16000", "-f", "mulaw"]);
      const [response] = await client.recognize({
        recognizer: RECOGNIZER,
        config: {
          explicitDecodingConfig: { encoding: "MULAW", sampleRateHertz: 16000, audioChannelCount: 1 },
          model: "telephony",
          languageCodes: ["en-US"],
        },
        content: await readFile(raw),
      });
      expect(Number(response.metadata?.totalBilledDuration?.seconds)).toBe(7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
