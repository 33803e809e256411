import { SpeechFault, unimplemented } from "./speech-fault.js";

export interface RecognizerPath {
  project: string;
  location: string;
  recognizer: string;
}

const RECOGNIZER = /^projects\/([^/]+)\/locations\/([^/]+)\/recognizers\/([^/]+)$/;

/** The models Speech v2 documents; availability per region and language is not modelled. */
const KNOWN_MODELS = new Set([
  "telephony",
  "telephony_short",
  "long",
  "short",
  "latest_long",
  "latest_short",
  "chirp",
  "chirp_2",
  "chirp_3",
  "chirp_telephony",
]);

/**
 * `projects/P/locations/L/recognizers/_` (the implicit recognizer, whose config must then come with
 * the request) is the only one: the stand-in creates no recognizers, so any other name is NOT_FOUND.
 */
export function parseRecognizer(name: unknown): RecognizerPath {
  const match = typeof name === "string" ? RECOGNIZER.exec(name) : null;
  if (!match) {
    throw new SpeechFault(
      "INVALID_ARGUMENT",
      `Invalid resource field value in the request: recognizer "${String(name ?? "")}" is not projects/{project}/locations/{location}/recognizers/{recognizer}`,
    );
  }
  const [, project, location, recognizer] = match as unknown as [string, string, string, string];
  if (recognizer !== "_") throw new SpeechFault("NOT_FOUND", `Unable to find Recognizer ${name}.`);
  return { project, location, recognizer };
}

export interface CheckedConfig {
  model: string;
  languageCode: string;
  wordTimes: boolean;
  wordConfidence: boolean;
  explicit?: { encoding: string; sampleRateHertz?: number; audioChannelCount?: number };
}

type Message = Record<string, unknown>;

/** Fields of a message that are set (proto-loader leaves unset and default fields out). */
function setFields(message: Message, ignore: string[] = []): string[] {
  return Object.keys(message).filter((key) => !ignore.includes(key) && message[key] !== undefined);
}

/** Validates a RecognitionConfig as Speech does, refusing what the stand-in cannot honour by name. */
export function checkConfig(config: Message | undefined, path = "config"): CheckedConfig {
  if (!config)
    throw new SpeechFault("INVALID_ARGUMENT", `${path} is required with the implicit recognizer "_"`);
  const supported = [
    "decodingConfig",
    "autoDecodingConfig",
    "explicitDecodingConfig",
    "model",
    "languageCodes",
    "features",
  ];
  for (const field of setFields(config, supported)) throw unimplemented(`${path}.${field}`);
  if (!config.decodingConfig) {
    throw new SpeechFault(
      "INVALID_ARGUMENT",
      `${path}: one of auto_decoding_config or explicit_decoding_config must be set`,
    );
  }
  const model = config.model;
  if (typeof model !== "string" || model === "") {
    throw new SpeechFault("INVALID_ARGUMENT", `${path}.model is required with the implicit recognizer "_"`);
  }
  if (!KNOWN_MODELS.has(model)) {
    throw new SpeechFault("INVALID_ARGUMENT", `The model "${model}" does not exist.`);
  }
  const languages = (config.languageCodes as string[] | undefined) ?? [];
  if (languages.length === 0) {
    throw new SpeechFault(
      "INVALID_ARGUMENT",
      `${path}.language_codes is required with the implicit recognizer "_"`,
    );
  }
  if (languages.length > 1) throw unimplemented(`${path}.language_codes (more than one)`);
  const languageCode = languages[0] as string;
  if (languageCode.toLowerCase() !== "en-us") {
    throw unimplemented(`${path}.language_codes "${languageCode}"`, "the stand-in's engine only knows en-US");
  }
  const features = (config.features as Message | undefined) ?? {};
  const featureFields = ["enableWordTimeOffsets", "enableWordConfidence", "maxAlternatives"];
  for (const field of setFields(features, featureFields)) throw unimplemented(`${path}.features.${field}`);
  const maxAlternatives = Number(features.maxAlternatives ?? 0);
  if (maxAlternatives > 1) throw unimplemented(`${path}.features.max_alternatives ${maxAlternatives}`);
  const checked: CheckedConfig = {
    model,
    languageCode,
    wordTimes: features.enableWordTimeOffsets === true,
    wordConfidence: features.enableWordConfidence === true,
  };
  if (config.decodingConfig === "explicitDecodingConfig") {
    const explicit = config.explicitDecodingConfig as Message;
    const encoding = String(explicit.encoding ?? "AUDIO_ENCODING_UNSPECIFIED");
    if (encoding === "AUDIO_ENCODING_UNSPECIFIED") {
      throw new SpeechFault("INVALID_ARGUMENT", `${path}.explicit_decoding_config.encoding is required`);
    }
    const rate = explicit.sampleRateHertz as number | undefined;
    if (rate !== undefined && (rate < 8000 || rate > 48000)) {
      throw new SpeechFault(
        "INVALID_ARGUMENT",
        `${path}.explicit_decoding_config.sample_rate_hertz must be between 8000 and 48000, got ${rate}`,
      );
    }
    const channels = explicit.audioChannelCount as number | undefined;
    if (channels !== undefined && (channels < 1 || channels > 8)) {
      throw new SpeechFault(
        "INVALID_ARGUMENT",
        `${path}.explicit_decoding_config.audio_channel_count must be between 1 and 8, got ${channels}`,
      );
    }
    checked.explicit = {
      encoding,
      ...(rate !== undefined ? { sampleRateHertz: rate } : {}),
      ...(channels !== undefined ? { audioChannelCount: channels } : {}),
    };
  }
  return checked;
}
