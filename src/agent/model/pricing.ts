/** US dollars per million tokens. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

export const FREE: ModelPrice = { inputPerMillion: 0, outputPerMillion: 0 };

/**
 * Published list prices of common hosted models (USD per 1M tokens). Matched by longest
 * prefix of the model name, so dated snapshots ("gpt-4o-2024-08-06") find their family.
 * Anything not listed (a local model on Ollama, LM Studio, llama.cpp, vLLM) costs $0;
 * override with a price of your own in settings or `--price`.
 */
const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
  'gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'o3-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  o3: { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-3.5-turbo': { inputPerMillion: 0.5, outputPerMillion: 1.5 },
};

export function priceOf(model: string, overrides: Readonly<Record<string, ModelPrice>> = {}): ModelPrice {
  const name = model.toLowerCase().replace(/^openai\//, '');
  const table = { ...PRICE_TABLE, ...overrides };
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (name.startsWith(key.toLowerCase()) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? FREE : table[best];
}

export function costOf(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
