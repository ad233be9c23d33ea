/**
 * Notices a model going round in circles: the same tool with the same arguments several times
 * in a row (period 1), or a short cycle such as A, B, A, B (period 2) or A, B, C, A, B, C
 * (period 3). It counts how many times the latest call has come round in the repeating tail.
 */
export type LoopVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'warn' | 'stop'; readonly repeats: number; readonly period: number; readonly message: string };

const MAX_PERIOD = 3;

export class LoopDetector {
  readonly #signatures: string[] = [];
  readonly #labels: string[] = [];

  constructor(readonly warnAt: number, readonly stopAt: number) {}

  /** Records one call and judges the sequence so far. */
  record(tool: string, args: unknown): LoopVerdict {
    this.#signatures.push(`${tool}\u0000${canonicalJson(args)}`);
    this.#labels.push(tool);
    let worst: { repeats: number; period: number } = { repeats: 1, period: 1 };
    for (let period = 1; period <= MAX_PERIOD; period++) {
      const repeats = this.#repeatsWithPeriod(period);
      if (repeats > worst.repeats) worst = { repeats, period };
    }
    if (worst.repeats < this.warnAt) return { kind: 'ok' };
    const kind = worst.repeats >= this.stopAt ? 'stop' : 'warn';
    return { kind, ...worst, message: this.#describe(worst.repeats, worst.period) };
  }

  /** How many whole times the last `period` calls repeat at the end of the sequence. */
  #repeatsWithPeriod(period: number): number {
    const s = this.#signatures;
    if (s.length < period) return 0;
    // A cycle of period p must really alternate: A, A, A is period 1, not a "cycle" of 2.
    if (period > 1 && new Set(s.slice(-period)).size < period) return 0;
    let length = period;
    while (length < s.length && s[s.length - 1 - length] === s[s.length - 1 - length + period]) length++;
    return Math.floor(length / period);
  }

  #describe(repeats: number, period: number): string {
    if (period === 1) {
      return `${this.#labels.at(-1)} has been called with the same arguments ${repeats} times in a row`;
    }
    const cycle = this.#labels.slice(-period).join(' → ');
    return `the calls ${cycle} have repeated ${repeats} times in a cycle`;
  }
}

/** JSON with object keys sorted, so {a,b} and {b,a} are the same call. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  }) ?? 'undefined';
}
