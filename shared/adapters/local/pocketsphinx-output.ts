import type { TranscriptSegment } from "../../ports/transcriber.js";

/** One word line of `pocketsphinx_continuous -time yes`: `word start end posterior`. */
const WORD_LINE = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/;
/** Alternative pronunciations are numbered: `been(2)`. */
const PRONUNCIATION_SUFFIX = /\(\d+\)$/;

function isFiller(word: string): boolean {
  // <s>, </s>, <sil>, [NOISE], ++NOISE++, (NULL): markers of the decoder, not words said.
  return /^[<[+(]/.test(word);
}

/**
 * Turns pocketsphinx's timed output, fed line by line, into one segment per utterance (the
 * decoder's own split at pauses). Hypothesis lines (the utterance as plain text) are skipped:
 * the word lines carry the same words with their times.
 */
export class PocketsphinxOutputParser {
  private readonly done: TranscriptSegment[] = [];
  private words: { word: string; start: number; end: number; confidence: number }[] = [];

  push(line: string): void {
    const match = WORD_LINE.exec(line.trim());
    if (!match) return;
    const [, token, start, end, confidence] = match as unknown as [string, string, string, string, string];
    if (token === "<s>" || token === "</s>") {
      this.closeUtterance();
      return;
    }
    if (isFiller(token)) return;
    this.words.push({
      word: token.replace(PRONUNCIATION_SUFFIX, ""),
      start: Number(start),
      end: Number(end),
      confidence: Number(confidence),
    });
  }

  segments(): TranscriptSegment[] {
    this.closeUtterance();
    return this.done;
  }

  private closeUtterance(): void {
    const words = this.words;
    if (words.length === 0) return;
    this.words = [];
    const first = words[0] as (typeof words)[number];
    const last = words[words.length - 1] as (typeof words)[number];
    this.done.push({
      text: words.map((w) => w.word).join(" "),
      startSeconds: first.start,
      endSeconds: last.end,
      confidence: Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 1000) / 1000,
    });
  }
}
