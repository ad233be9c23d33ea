import { countTextTokens } from '../model/token-estimate';

/** Below this many tokens left, a file is left out rather than cut to a stub. */
const MIN_USEFUL_TOKENS = 80;

export type Fitted =
  | { readonly kind: 'whole' | 'cut'; readonly text: string; readonly tokens: number; readonly fileTokens: number }
  | { readonly kind: 'left-out'; readonly fileTokens: number };

/**
 * One file's text within what is left of the instructions budget: whole when it fits, else its
 * head with a note saying how much was left out (the model and the person both see it), or
 * nothing when too little is left to be of use.
 */
export function fitInstruction(path: string, text: string, unreadBytes: number, remaining: number, budget: number): Fitted {
  const tokens = countTextTokens(text);
  // Bytes never read (a huge file) count at the usual ~4 bytes a token.
  const fileTokens = tokens + Math.ceil(unreadBytes / 4);
  if (fileTokens <= remaining) return { kind: 'whole', text, tokens, fileTokens };
  if (remaining < MIN_USEFUL_TOKENS) return { kind: 'left-out', fileTokens };
  const note = (kept: number): string =>
    `\n[… cut: ${path} has about ${fileTokens} tokens; only its first ${kept} fit the ${budget}-token budget for instructions.]`;
  const room = remaining - countTextTokens(note(remaining));
  const charsPerToken = text.length / Math.max(1, tokens);
  let keep = Math.floor(room * charsPerToken);
  let head = text.slice(0, keep);
  let headTokens = countTextTokens(head);
  // The ratio is an average: shrink until the head really fits.
  while (headTokens > room && keep > 0) {
    keep = Math.floor(keep * 0.9);
    head = text.slice(0, keep);
    headTokens = countTextTokens(head);
  }
  const cut = head + note(headTokens);
  return { kind: 'cut', text: cut, tokens: countTextTokens(cut), fileTokens };
}
