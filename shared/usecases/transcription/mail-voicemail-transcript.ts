import type { TranscriptDocument } from "../../domain/transcription/transcript-document.js";
import type { RecordingOwner } from "../../domain/transcription/transcript-language.js";
import type { TranscriptionConfig, TranscriptionPorts } from "./transcription-ports.js";

/**
 * Mails a voicemail's transcript to the user who owns the extension. A failure is logged and
 * recorded, never thrown: the transcript is written, and redoing it for the mail would cost a
 * second recognition (and could mail twice).
 */
export async function mailVoicemailTranscript(
  ports: Pick<TranscriptionPorts, "mailer" | "logger">,
  config: Pick<TranscriptionConfig, "mailSender">,
  document: TranscriptDocument,
  owner: RecordingOwner,
): Promise<"sent" | "failed" | "no-owner"> {
  const log = ports.logger.child({ object: document.source.path });
  if (!owner.email || !ports.mailer || !config.mailSender) {
    log.event("transcriptMailSkipped", {
      extension: owner.extension,
      reason: !owner.email ? "no owner email" : "no mailer or google.mailSender",
    });
    return "no-owner";
  }
  const name = document.source.path.split("/").pop() ?? document.source.path;
  try {
    await ports.mailer.send({
      from: config.mailSender,
      fromName: "gw3cx",
      to: [owner.email],
      subject: `Voicemail for ${owner.extension ?? "you"}: transcript`,
      text: [
        document.text === "" ? "(no words were recognized)" : document.text,
        "",
        `Voicemail: ${name}`,
        `Length: ${document.audio.durationSeconds !== undefined ? `${Math.round(document.audio.durationSeconds)} s` : "unknown"}`,
        `Language: ${document.languageCode}; transcribed by ${document.engine}. Machine transcription: it may be wrong.`,
      ].join("\n"),
    });
    log.event("transcriptMailed", { extension: owner.extension });
    return "sent";
  } catch (error) {
    log.event("transcriptMailFailed", { extension: owner.extension, error });
    return "failed";
  }
}
