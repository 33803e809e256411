import { isAbsolute, relative, resolve, sep } from "node:path";
import { Gw3cxError } from "../../errors.js";
import { localTranscriptionPorts } from "../../runtime/local-transcription.js";
import {
  type TranscribeResult,
  transcribeRecording,
} from "../../usecases/transcription/transcribe-recording.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";

/**
 * `gw3cx transcribe PATH`: one recording or voicemail of the local storage folder, now, with the
 * local engine, whatever transcription.enabled says. PATH is the object's path in the folder
 * (recordings/1001/x.wav) or a file path inside it. Exit 0 transcribed or already transcribed,
 * 1 refused, missing, skipped or busy.
 */
export async function runTranscribe(
  global: GlobalOptions,
  path: string,
  options: { json: boolean },
): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  let result: TranscribeResult;
  try {
    const { ports, config, root } = localTranscriptionPorts(runtime);
    result = await transcribeRecording(ports, { path: objectPathOf(path, root) }, config);
    if (options.json) {
      const document =
        result.outcome === "written" || result.outcome === "exists"
          ? JSON.parse((await ports.storage.read(result.transcriptPath)).toString("utf8"))
          : undefined;
      output.json({ ...result, ...(document ? { transcript: document } : {}) });
    } else {
      output.out(await describe(result, (p) => ports.storage.read(p)));
    }
  } finally {
    await runtime.close();
  }
  return result.outcome === "written" || result.outcome === "exists" ? EXIT.ok : EXIT.failed;
}

/** The object path of PATH: as given when it is one, else the file's place under the storage folder. */
function objectPathOf(path: string, root: string): string {
  const asFile = resolve(path);
  const inside = relative(root, asFile);
  if ((isAbsolute(path) || path.startsWith(".")) && (inside.startsWith("..") || isAbsolute(inside))) {
    throw new Gw3cxError(
      "TRANSCRIBE_PATH_OUTSIDE_STORAGE",
      `${path} is not in the storage folder ${root} (storage.localDir); copy it under ${root}/recordings/EXT/ or ${root}/voicemails/EXT/`,
      { details: { path, root } },
    );
  }
  if (isAbsolute(path) || path.startsWith(".")) return inside.split(sep).join("/");
  return path;
}

async function describe(result: TranscribeResult, read: (path: string) => Promise<Buffer>): Promise<string> {
  switch (result.outcome) {
    case "written":
    case "exists": {
      const document = JSON.parse((await read(result.transcriptPath)).toString("utf8")) as {
        text: string;
        languageCode: string;
        engine: string;
      };
      const verb = result.outcome === "written" ? "transcribed" : "already transcribed";
      return [
        `${result.path}: ${verb} (${document.languageCode}, ${document.engine}) -> ${result.transcriptPath}`,
        "",
        document.text === "" ? "(no words recognized)" : document.text,
      ].join("\n");
    }
    case "refused":
      return `${result.path}: not transcribed: ${result.reason}`;
    case "skipped":
      return `${result.path}: not transcribed: ${result.reason}`;
    case "missing":
      return `${result.path}: no such object in the storage folder`;
    case "busy":
      return `${result.path}: being transcribed right now by ${result.heldBy}; try again in a moment`;
  }
}
