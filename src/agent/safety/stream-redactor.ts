import { redactSecrets } from './redact';

/**
 * Redacts text that arrives in pieces (a model's streamed reply) before anyone sees it.
 * Finished lines are released at once, redacted. Of the line still being written, text is
 * released up to its last whitespace — no token is split, since tokens hold none — unless the
 * line names a secret (`password`, `token`, `Bearer`, an AWS key id…): then its value may come
 * in a later piece and be recognised only together with its key, so the line is held until it
 * ends (or grows past HOLD_CHARS). A `-----BEGIN … PRIVATE KEY` block is held until its END
 * line, up to MAX_KEY_BLOCK. Each character is redacted once: linear in the text.
 */
const HOLD_CHARS = 4_096;
const TAIL_CHARS = 1_024;
const MAX_KEY_BLOCK = 16_384;
const NAMES_A_SECRET = /pass|pwd|secret|token|key|auth|bearer|basic|credential|AKIA|ASIA|sig=|:\/\//i;

export class StreamRedactor {
  #pending = '';

  /** Takes the next piece; returns the redacted text that can be shown now (maybe empty). */
  push(piece: string): string {
    this.#pending += piece;
    const cut = this.#safeCut();
    if (cut <= 0) return '';
    const ready = this.#pending.slice(0, cut);
    this.#pending = this.#pending.slice(cut);
    return redactSecrets(ready).text;
  }

  /** The rest, redacted, once the stream has ended. */
  flush(): string {
    const rest = this.#pending;
    this.#pending = '';
    return rest.length === 0 ? '' : redactSecrets(rest).text;
  }

  /** Drops what is held (the attempt is being retried). */
  reset(): void {
    this.#pending = '';
  }

  #safeCut(): number {
    const text = this.#pending;
    const lineStart = text.lastIndexOf('\n') + 1;
    let cut = lineStart;
    const line = text.slice(lineStart);
    if (line.length > HOLD_CHARS) {
      const limit = text.length - TAIL_CHARS;
      const space = Math.max(text.lastIndexOf(' ', limit), text.lastIndexOf('\t', limit));
      cut = space >= lineStart ? space + 1 : limit;
    } else if (!NAMES_A_SECRET.test(line)) {
      cut = Math.max(lineStart, text.lastIndexOf(' ') + 1, text.lastIndexOf('\t') + 1);
    }
    // An unfinished private key block stays held from its BEGIN line on.
    const begin = text.lastIndexOf('-----BEGIN ', cut);
    if (begin >= 0 && /^-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY/.test(text.slice(begin, begin + 64))) {
      const end = text.indexOf('-----END ', begin);
      if (end < 0 || end > cut) {
        if (text.length - begin < MAX_KEY_BLOCK) return begin;
      }
    }
    return cut;
  }
}
