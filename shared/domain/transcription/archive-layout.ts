import type { ArchiveFolder } from "../storage/storage-plan.js";
/**
 * Where 3CX puts recordings and voicemails in the archive, and where gw3cx puts transcripts:
 * every path rule of transcription lives here, so a layout change is one edit.
 *
 * 3CX's remote archiving copies its local folders into the bucket, one folder per archive type
 * (RemoteArchivingSettings.Recordings/Voicemails.Folder, which gw3cx sets to `recordings` and
 * `voicemails`), keeping 3CX's own layout below it: one folder per extension number, e.g.
 *   recordings/1001/[Jane Doe]_1001-0123456789_20240501101500(42).wav
 *   voicemails/1001/vmail_0123456789_20240501101500.wav
 * This is the layout of 3CX v20's local Recordings and Voicemail\Data folders; how the archive
 * nests it has not been checked against a real PBX and bucket, so the rules accept the extension
 * folder at any depth below the archive folder and, for recordings, fall back to the number in
 * 3CX's "[Name]_EXT-OTHER_" file name.
 */

export const ARCHIVE_FOLDERS = {
  recording: "recordings",
  voicemail: "voicemails",
} as const satisfies Record<string, ArchiveFolder>;
export type ArchiveKind = keyof typeof ARCHIVE_FOLDERS;

/** Transcripts sit beside the audio: `<audio name>.transcript.json` (the record) and `.txt` (the words). */
export const TRANSCRIPT_JSON_SUFFIX = ".transcript.json";
export const TRANSCRIPT_TEXT_SUFFIX = ".transcript.txt";

/** An extension number as 3CX numbers them (2 to 10 digits). */
const EXTENSION = /^[0-9]{2,10}$/;
/** 3CX's recording name: "[Display Name]_1001-0123456789_20240501101500(42).wav". */
const RECORDING_NAME = /^\[[^\]]*\]_([0-9]{2,10})-/;

export type ArchiveObject =
  | { transcribe: true; path: string; kind: ArchiveKind; extension?: string }
  | { transcribe: false; path: string; reason: string };

/**
 * Whether an object is one to transcribe: anything under recordings/ or voicemails/ except a
 * transcript itself and folder markers. Whether it is audio is decided by its bytes, not its
 * name (detectAudioFormat), so a recording with an unusual extension is still transcribed.
 */
export function classifyArchiveObject(path: string): ArchiveObject {
  const [top, ...rest] = path.split("/");
  const kind = (Object.keys(ARCHIVE_FOLDERS) as ArchiveKind[]).find((k) => ARCHIVE_FOLDERS[k] === top);
  if (!kind || rest.length === 0) {
    return {
      transcribe: false,
      path,
      reason: `not under ${Object.values(ARCHIVE_FOLDERS)
        .map((f) => `${f}/`)
        .join(" or ")}`,
    };
  }
  const name = rest[rest.length - 1] ?? "";
  if (name === "") return { transcribe: false, path, reason: "a folder, not an object" };
  if (isTranscriptPath(path)) return { transcribe: false, path, reason: "a transcript" };
  const extension = extensionOf(kind, rest.slice(0, -1), name);
  return { transcribe: true, path, kind, ...(extension ? { extension } : {}) };
}

export function isTranscriptPath(path: string): boolean {
  return path.endsWith(TRANSCRIPT_JSON_SUFFIX) || path.endsWith(TRANSCRIPT_TEXT_SUFFIX);
}

/** The two transcript objects of an audio object; the full name is kept so a.wav and a.mp3 never share one. */
export function transcriptPathsOf(audioPath: string): { json: string; text: string } {
  return { json: `${audioPath}${TRANSCRIPT_JSON_SUFFIX}`, text: `${audioPath}${TRANSCRIPT_TEXT_SUFFIX}` };
}

function extensionOf(kind: ArchiveKind, folders: string[], name: string): string | undefined {
  // The nearest numbered folder above the file: 3CX's own per-extension folder.
  const fromFolder = folders.findLast((folder) => EXTENSION.test(folder));
  if (fromFolder) return fromFolder;
  return kind === "recording" ? RECORDING_NAME.exec(name)?.[1] : undefined;
}
