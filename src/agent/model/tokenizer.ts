import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

/**
 * BPE token counting (cl100k_base). Bundled on its own (dist/tokenizer.js) and loaded on the
 * first estimate, because its rank table is over a megabyte and activation must stay light.
 */
const encoder = new Tiktoken(cl100k);

/**
 * js-tiktoken's byte-pair merge is quadratic in the length of one pre-tokenized piece, and a
 * long run without a break (a 10,000-character line of dashes, a row of emoji, padding) is one
 * piece: encoding it whole took over 20 seconds, with the loop (and the extension host) stuck.
 * Such runs are counted in slices instead; each cut moves the count by a token at most.
 */
const LONG_RUN = /\S{512,}|\s{512,}/g;
const SLICE_CHARS = 256;

export function countTokens(text: string): number {
  let total = 0;
  let from = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    const start = match.index;
    const end = start + match[0].length;
    total += encode(text.slice(from, start));
    for (let at = start; at < end; ) {
      let cut = Math.min(at + SLICE_CHARS, end);
      // Never split a surrogate pair: half an emoji would count as a replacement character.
      if (cut < end && isLowSurrogate(text.charCodeAt(cut))) cut++;
      total += encode(text.slice(at, cut));
      at = cut;
    }
    from = end;
  }
  return total + encode(text.slice(from));
}

function encode(text: string): number {
  // Special-token text in files must count as plain text, not throw.
  return text.length === 0 ? 0 : encoder.encode(text, [], []).length;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
