/**
 * Aho-Corasick over ASCII keywords, case-insensitive: one pass over a text finds every place
 * any keyword ends. The rule engine runs a rule only near its keywords (as gitleaks does with
 * its own Aho-Corasick prefilter), so the cost of ~220 rules on ordinary text is this one pass.
 *
 * The automaton is a full transition table over the 128 ASCII codes (upper case folded to
 * lower), so the scan does one array read per character and never backtracks: a character
 * outside ASCII returns to the root, since no keyword contains one.
 */
export interface KeywordHit {
  /** Index into the keyword list given to the constructor. */
  readonly keyword: number;
  /** Offset just past the hit. */
  readonly end: number;
}

const ALPHABET = 128;
/** ASCII code → the code the automaton reads (upper case as lower case). */
const FOLD = Uint8Array.from({ length: ALPHABET }, (_, code) => (code >= 65 && code <= 90 ? code + 32 : code));

export class KeywordPrefilter {
  readonly #next: Int32Array;
  /** For each state, the keywords that end there (its own and those of its suffix states). */
  readonly #outputs: (readonly number[] | undefined)[];
  /** 1 where a state has outputs: one typed-array read per character in the hot loop. */
  readonly #final: Uint8Array;

  constructor(keywords: readonly string[]) {
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    keywords.forEach((keyword, index) => {
      if (!/^[\x00-\x7f]+$/.test(keyword)) throw new Error(`keyword "${keyword}" is not ASCII`);
      let state = 0;
      for (const char of keyword.toLowerCase()) {
        const code = char.charCodeAt(0);
        let child = children[state].get(code);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          own.push([]);
          children[state].set(code, child);
        }
        state = child;
      }
      own[state].push(index);
    });
    const next = new Int32Array(children.length * ALPHABET);
    const fail = new Int32Array(children.length);
    const outputs: (number[] | undefined)[] = new Array(children.length);
    // Breadth first: a state's failure state is shallower, so it is complete when needed.
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      const merged = [...own[state], ...(state === 0 ? [] : (outputs[fail[state]] ?? []))];
      outputs[state] = merged.length > 0 ? merged : undefined;
      for (let code = 0; code < ALPHABET; code++) {
        const child = children[state].get(code);
        if (child !== undefined) {
          fail[child] = state === 0 ? 0 : next[fail[state] * ALPHABET + code];
          next[state * ALPHABET + code] = child;
          queue.push(child);
        } else {
          next[state * ALPHABET + code] = state === 0 ? 0 : next[fail[state] * ALPHABET + code];
        }
      }
    }
    this.#next = next;
    this.#outputs = outputs;
    this.#final = Uint8Array.from(outputs, (found) => (found ? 1 : 0));
  }

  /** Every keyword occurrence in `text`, in order of where it ends. */
  scan(text: string): KeywordHit[] {
    const hits: KeywordHit[] = [];
    const next = this.#next;
    const final = this.#final;
    const length = text.length;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= ALPHABET) {
        state = 0;
        continue;
      }
      state = next[(state << 7) | FOLD[code]];
      if (final[state] === 1) for (const keyword of this.#outputs[state] as readonly number[]) hits.push({ keyword, end: i + 1 });
    }
    return hits;
  }
}
