/**
 * The value syntaxes models write call arguments in, read in one pass each (no backtracking,
 * no regular expressions over the whole reply): JSON, Python literals (Llama 3.2/4 pythonic,
 * LFM2, OLMo 3: `'single quotes'`, `True`/`None`, sets, leading zeros), Gemma's `key:value`
 * objects with their own string delimiters, and the typed text of XML parameters.
 */

/** Thrown for text that is not a value of the syntax being read; callers turn it into "unreadable". */
export class LiteralError extends Error {}

/** A cursor over `text`; each read advances it past what it consumed. */
export class LiteralReader {
  constructor(
    readonly text: string,
    public at = 0,
    /** Gemma 4 and FunctionGemma write strings between these delimiters and keys bare. */
    readonly stringDelimiter?: string,
  ) {}

  skipSpace(): void {
    const text = this.text;
    while (this.at < text.length && (text[this.at] === ' ' || text[this.at] === '\n' || text[this.at] === '\t' || text[this.at] === '\r')) this.at++;
  }

  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.at);
  }

  expect(token: string): void {
    this.skipSpace();
    if (!this.startsWith(token)) throw new LiteralError(`expected ${token} at ${this.at}`);
    this.at += token.length;
  }

  /** A JSON or Python literal: object/dict, array/list/tuple, set, string, number, true/True, null/None. */
  value(): unknown {
    this.skipSpace();
    const text = this.text;
    if (this.stringDelimiter && this.startsWith(this.stringDelimiter)) return this.#delimitedString();
    const c = text[this.at];
    if (c === '{') return this.#objectOrSet();
    if (c === '[') return this.#sequence('[', ']');
    if (c === '(') return this.#sequence('(', ')');
    if (c === '"' || c === "'") return this.string();
    return this.#bare();
  }

  /** A quoted string, JSON or Python escapes. A quote followed by more word text is kept (LFM2 writes `'sed -n '1,2p' f'`). */
  string(): string {
    const text = this.text;
    const quote = text[this.at];
    // Plain runs are copied whole, between the quotes and backslashes a search finds.
    const special = quote === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED;
    let out = '';
    let i = this.at + 1;
    for (;;) {
      special.lastIndex = i;
      const found = special.exec(text);
      if (!found) throw new LiteralError('unterminated string');
      const j = found.index;
      out += text.slice(i, j);
      if (text[j] === '\\') {
        const next = text[j + 1];
        const escaped = ESCAPES[next];
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
          out += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
          i = j + 6;
        } else if (escaped !== undefined) {
          out += escaped;
          i = j + 2;
        } else {
          out += text.slice(j, j + 2); // Python keeps unknown escapes as written
          i = j + 2;
        }
        continue;
      }
      if (quote === '"' || this.#closesValue(j + 1)) {
        this.at = j + 1;
        return out;
      }
      out += quote;
      i = j + 1;
    }
  }

  /** True when what follows a quote ends the value (so the quote closes the string). */
  #closesValue(from: number): boolean {
    const text = this.text;
    let i = from;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    return i >= text.length || ',)]}:\n'.includes(text[i]);
  }

  #delimitedString(): string {
    const delimiter = this.stringDelimiter as string;
    const start = this.at + delimiter.length;
    const end = this.text.indexOf(delimiter, start);
    if (end < 0) throw new LiteralError('unterminated string');
    this.at = end + delimiter.length;
    return this.text.slice(start, end);
  }

  #objectOrSet(): unknown {
    this.at++; // {
    this.skipSpace();
    const object: Record<string, unknown> = {};
    const set: unknown[] = [];
    let isSet = false;
    if (this.text[this.at] === '}') {
      this.at++;
      return object;
    }
    for (;;) {
      this.skipSpace();
      const key = this.#key();
      this.skipSpace();
      if (this.text[this.at] === ':') {
        this.at++;
        object[String(key)] = this.value();
      } else {
        isSet = true; // {'urgent', 'bug'}: a Python set, which JSON has only as a list
        set.push(key);
      }
      this.skipSpace();
      const c = this.text[this.at];
      this.at++;
      if (c === '}') return isSet ? set : object;
      if (c !== ',') throw new LiteralError(`expected , or } at ${this.at - 1}`);
    }
  }

  /** A dict key: a literal, or (Gemma) a bare name. */
  #key(): unknown {
    const text = this.text;
    if (this.stringDelimiter && !this.startsWith(this.stringDelimiter) && /[A-Za-z_$]/.test(text[this.at] ?? '')) {
      const start = this.at;
      while (this.at < text.length && /[\w$.-]/.test(text[this.at])) this.at++;
      return text.slice(start, this.at);
    }
    return this.value();
  }

  #sequence(open: string, close: string): unknown[] {
    this.at++; // open
    const items: unknown[] = [];
    this.skipSpace();
    if (this.text[this.at] === close) {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const c = this.text[this.at];
      this.at++;
      if (c === close) return items;
      if (c !== ',') throw new LiteralError(`expected , or ${open === '[' ? ']' : ')'} at ${this.at - 1}`);
      this.skipSpace();
      if (this.text[this.at] === close) {
        this.at++;
        return items; // trailing comma
      }
    }
  }

  #bare(): unknown {
    const text = this.text;
    const start = this.at;
    while (this.at < text.length && /[\w.+-]/.test(text[this.at])) this.at++;
    const word = text.slice(start, this.at);
    if (word === 'true' || word === 'True') return true;
    if (word === 'false' || word === 'False') return false;
    if (word === 'null' || word === 'None') return null;
    // Python accepts 07 as a literal in tool output (LFM2 writes dates so); JSON does not.
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(word)) {
      const number = Number(word);
      if (!Number.isFinite(number)) throw new LiteralError(`number out of range: ${word}`);
      return number;
    }
    throw new LiteralError(`unexpected ${JSON.stringify(text.slice(start, start + 10))} at ${start}`);
  }
}

const DOUBLE_QUOTED = /["\\]/g;
const SINGLE_QUOTED = /['\\]/g;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', '0': '\0' };

/** The value at `at` and where it ends, or undefined when no value starts there. */
export function readValueAt(text: string, at: number, stringDelimiter?: string): { value: unknown; end: number } | undefined {
  const reader = new LiteralReader(text, at, stringDelimiter);
  try {
    const value = reader.value();
    return { value, end: reader.at };
  } catch {
    return undefined;
  }
}

/** A call written as Python: `name(a=1, b='x')` (name may be dotted). */
export interface PythonicCall {
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/** Reads `name(key=value, …)` at the reader's position. */
export function readPythonicCall(reader: LiteralReader): PythonicCall {
  reader.skipSpace();
  const text = reader.text;
  const start = reader.at;
  while (reader.at < text.length && /[\w.-]/.test(text[reader.at])) reader.at++;
  const name = text.slice(start, reader.at);
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new LiteralError(`expected a function name at ${start}`);
  reader.expect('(');
  const args: Record<string, unknown> = {};
  reader.skipSpace();
  if (reader.startsWith(')')) {
    reader.at++;
    return { name, args };
  }
  for (;;) {
    reader.skipSpace();
    const keyStart = reader.at;
    while (reader.at < text.length && /\w/.test(text[reader.at])) reader.at++;
    const key = text.slice(keyStart, reader.at);
    if (key === '') throw new LiteralError(`expected an argument name at ${keyStart}`);
    reader.expect('=');
    args[key] = reader.value();
    reader.skipSpace();
    const c = text[reader.at];
    reader.at++;
    if (c === ')') return { name, args };
    if (c !== ',') throw new LiteralError(`expected , or ) at ${reader.at - 1}`);
  }
}

/** JSON Schema type names a parameter may declare. */
export type ParameterType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null' | undefined;

/**
 * The value of an XML-style parameter (`<parameter=x>…</parameter>`, `<arg_value>`, DSML):
 * text, typed by the tool's schema where it says (so `5123123` stays a string for a string
 * parameter), `json` when the format itself says the value is JSON (DSML `string="false"`);
 * without either, objects and arrays are read and anything else stays text.
 */
export function typedParameter(raw: string, type: ParameterType | 'json'): unknown {
  if (type === 'string') return raw;
  const trimmed = raw.trim();
  if (type === 'number' || type === 'integer') {
    const number = Number(trimmed);
    return trimmed !== '' && Number.isFinite(number) ? number : raw;
  }
  if (type === 'boolean') return trimmed === 'true' || trimmed === 'True' ? true : trimmed === 'false' || trimmed === 'False' ? false : raw;
  const read = readValueAt(trimmed, 0);
  if (read && read.end === trimmed.length) {
    if (type === 'object' || type === 'array' || type === 'json') return read.value;
    // No schema type (vLLM keeps such values as text too): only objects and arrays are read as JSON.
    if (typeof read.value === 'object' && read.value !== null) return read.value;
  }
  return raw;
}
