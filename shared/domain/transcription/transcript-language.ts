/** Who a recording belongs to, as far as the path and user sync know. */
export interface RecordingOwner {
  extension?: string;
  email?: string;
}

/**
 * The language to transcribe in: the owner's own language (transcription.userLanguages, keyed by
 * extension number or by email, any case), else the default. The extension wins over the email:
 * it is what the path names, the email is looked up from it.
 */
export function transcriptLanguage(
  owner: RecordingOwner,
  config: { languageCode: string; userLanguages: Readonly<Record<string, string>> },
): string {
  if (owner.extension && config.userLanguages[owner.extension])
    return config.userLanguages[owner.extension] as string;
  if (owner.email) {
    const wanted = owner.email.toLowerCase();
    const byEmail = Object.entries(config.userLanguages).find(([key]) => key.toLowerCase() === wanted);
    if (byEmail) return byEmail[1];
  }
  return config.languageCode;
}

/** True when some per-user language is keyed by email: only then is the owner's email worth a lookup. */
export function hasEmailKeyedLanguages(userLanguages: Readonly<Record<string, string>>): boolean {
  return Object.keys(userLanguages).some((key) => key.includes("@"));
}
