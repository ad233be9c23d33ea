/**
 * Separates `<think>…</think>` reasoning from the answer in streamed content. LM Studio, and
 * Qwen3 or DeepSeek-R1 distills served through Ollama or llama.cpp without a reasoning parser,
 * put the model's reasoning inside `content`. It is never part of the answer. Only a block at
 * the very start of the message counts: a `<think>` the model writes later (say, in an
 * explanation of these tags) is text.
 */

export type SplitPiece = { readonly kind: 'text' | 'reasoning'; readonly text: string };

const OPEN = '<think>';
const CLOSE = '</think>';

export class ThinkSplitter {
  #state: 'start' | 'thinking' | 'after-thinking' | 'answer' = 'start';
  #pending = '';

  /** Feeds one content delta; returns what can be shown now, in order. */
  push(delta: string): SplitPiece[] {
    this.#pending += delta;
    const out: SplitPiece[] = [];
    for (;;) {
      if (this.#state === 'start') {
        const lead = this.#pending.trimStart();
        if (lead === '' || (lead.length < OPEN.length && OPEN.startsWith(lead))) return out; // wait for more
        if (lead.startsWith(OPEN)) {
          this.#pending = lead.slice(OPEN.length).replace(/^\s*\n/, '');
          this.#state = 'thinking';
          continue;
        }
        this.#state = 'answer';
        continue;
      }
      if (this.#state === 'thinking') {
        const end = this.#pending.indexOf(CLOSE);
        if (end >= 0) {
          const reasoning = this.#pending.slice(0, end);
          if (reasoning) out.push({ kind: 'reasoning', text: reasoning });
          this.#pending = this.#pending.slice(end + CLOSE.length);
          this.#state = 'after-thinking';
          continue;
        }
        // Hold back what could be the start of "</think>".
        const keep = partialSuffix(this.#pending, CLOSE);
        const ready = this.#pending.slice(0, this.#pending.length - keep);
        if (ready) out.push({ kind: 'reasoning', text: ready });
        this.#pending = this.#pending.slice(ready.length);
        return out;
      }
      if (this.#state === 'after-thinking') {
        // The blank lines between the block and the answer may come in deltas of their own.
        this.#pending = this.#pending.replace(/^\s+/, '');
        if (this.#pending === '') return out;
        this.#state = 'answer';
      }
      if (this.#pending) out.push({ kind: 'text', text: this.#pending });
      this.#pending = '';
      return out;
    }
  }

  /** The stream ended: whatever was held back. An unclosed think block stays reasoning. */
  flush(): SplitPiece[] {
    const rest = this.#pending;
    this.#pending = '';
    if (!rest) return [];
    return [{ kind: this.#state === 'thinking' ? 'reasoning' : 'text', text: rest }];
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (tag.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}
