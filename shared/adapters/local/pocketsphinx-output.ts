import type { TranscriptSegment } from "../../ports/transcriber.js";

export interface TimedWord {
  word: string;
  startSeconds: number;
  endSeconds: number;
  confidence: number;
}

/** What the decoder heard between two pauses. */
export interface Utterance {
  words: TimedWord[];
}

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
  private readonly done: Utterance[] = [];
  private words: TimedWord[] = [];

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
      startSeconds: Number(start),
      endSeconds: Number(end),
      confidence: Number(confidence),
    });
  }

  utterances(): Utterance[] {
    this.closeUtterance();
    return this.done;
  }

  segments(): TranscriptSegment[] {
    return this.utterances().map(segmentOf);
  }

  private closeUtterance(): void {
    if (this.words.length === 0) return;
    this.done.push({ words: this.words });
    this.words = [];
  }
}

/** An utterance as a transcript segment: its words, its span, their mean confidence. */
export function segmentOf(utterance: Utterance): TranscriptSegment {
  const words = utterance.words;
  const first = words[0] as TimedWord;
  const last = words[words.length - 1] as TimedWord;
  return {
    text: words.map((w) => w.word).join(" "),
    startSeconds: first.startSeconds,
    endSeconds: last.endSeconds,
    confidence: Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 1000) / 1000,
  };
}
