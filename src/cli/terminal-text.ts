/**
 * What the CLI prints for a person must not drive their terminal. Model text, file contents,
 * file names, command lines and endpoint errors are written by whoever controls them; one raw
 * ESC can clear the screen, rewrite the line a prompt stands on, retitle the window or (OSC 52)
 * write the clipboard. Every control character is therefore shown as a visible escape
 * (`\x1b`, `\r`, `\x07`, `\x9b`), as are the invisible bidirectional overrides that make
 * text read differently from what it is. Line breaks and tabs are kept where asked.
 */

// C0 controls but \t and \n, DEL, C1 controls, bidi embeddings/overrides/isolates, and the
// line/paragraph separators some terminals treat as line breaks.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const CONTROL_OR_LAYOUT = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\r': '\\r', '\n': '\\n', '\t': '\\t', '\x1b': '\\x1b', '\x07': '\\x07', '\b': '\\b' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character visible; line breaks and tabs kept. */
export function visible(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** `text` on one line: line breaks and tabs are shown escaped too. */
export function visibleOneLine(text: string): string {
  return text.replace(CONTROL_OR_LAYOUT, escapeOne);
}

/**
 * A JSON line made safe for a terminal: JSON.stringify escapes C0 controls but leaves C1
 * controls (U+0080–U+009F, which some terminals obey as CSI, OSC…) and the separators raw.
 * Escaping them keeps the line valid JSON with the same value.
 */
export function terminalSafeJson(line: string): string {
  return line.replace(/[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
