import { describe, expect, it } from "vitest";
import {
  hasEmailKeyedLanguages,
  transcriptLanguage,
} from "../../../../shared/domain/transcription/transcript-language.js";

const config = {
  languageCode: "en-US",
  userLanguages: { "1002": "de-DE", "Marie@Example.com": "fr-FR", "1003": "es-ES" },
};

describe("the language a recording is transcribed in", () => {
  it("is the owner's by extension, else by email (any case), else the default", () => {
    expect(transcriptLanguage({ extension: "1002" }, config)).toBe("de-DE");
    expect(transcriptLanguage({ extension: "1009", email: "marie@example.COM" }, config)).toBe("fr-FR");
    expect(transcriptLanguage({ extension: "1009", email: "paul@example.com" }, config)).toBe("en-US");
    expect(transcriptLanguage({}, config)).toBe("en-US");
  });

  it("prefers the extension's language over the email's", () => {
    expect(transcriptLanguage({ extension: "1003", email: "marie@example.com" }, config)).toBe("es-ES");
  });

  it("asks for the owner's email only when some language is keyed by email", () => {
    expect(hasEmailKeyedLanguages(config.userLanguages)).toBe(true);
    expect(hasEmailKeyedLanguages({ "1002": "de-DE" })).toBe(false);
  });
});
