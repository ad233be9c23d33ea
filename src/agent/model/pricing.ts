/** US dollars per million tokens. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
  /**
   * Prompt tokens the endpoint's prompt cache served. Absent: the endpoint gives no discount,
   * and cached tokens cost as much as the rest of the prompt.
   */
  readonly cachedInputPerMillion?: number;
}

export const FREE: ModelPrice = { inputPerMillion: 0, outputPerMillion: 0, cachedInputPerMillion: 0 };

/**
 * Published list prices of common hosted models (USD per 1M tokens; cached input as the
 * providers bill a prompt-cache hit). Matched by longest prefix of the model name, so dated
 * snapshots ("gpt-4o-2024-08-06") find their family. Anything not listed (a local model on
 * Ollama, LM Studio, llama.cpp, vLLM) costs $0; `RunOptions.price` (the CLI's `--price`)
 * overrides the table.
 */
const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { inputPerMillion: 0.15, cachedInputPerMillion: 0.075, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, cachedInputPerMillion: 1.25, outputPerMillion: 10 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, cachedInputPerMillion: 0.025, outputPerMillion: 0.4 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, cachedInputPerMillion: 0.1, outputPerMillion: 1.6 },
  'gpt-4.1': { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
  'gpt-5-nano': { inputPerMillion: 0.05, cachedInputPerMillion: 0.005, outputPerMillion: 0.4 },
  'gpt-5-mini': { inputPerMillion: 0.25, cachedInputPerMillion: 0.025, outputPerMillion: 2 },
  'gpt-5': { inputPerMillion: 1.25, cachedInputPerMillion: 0.125, outputPerMillion: 10 },
  'o4-mini': { inputPerMillion: 1.1, cachedInputPerMillion: 0.275, outputPerMillion: 4.4 },
  'o3-mini': { inputPerMillion: 1.1, cachedInputPerMillion: 0.55, outputPerMillion: 4.4 },
  o3: { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
  'gpt-3.5-turbo': { inputPerMillion: 0.5, outputPerMillion: 1.5 },
  'deepseek-chat': { inputPerMillion: 0.28, cachedInputPerMillion: 0.028, outputPerMillion: 0.42 },
  'deepseek-reasoner': { inputPerMillion: 0.28, cachedInputPerMillion: 0.028, outputPerMillion: 0.42 },
};

export function priceOf(model: string, overrides: Readonly<Record<string, ModelPrice>> = {}): ModelPrice {
  const name = model.toLowerCase().replace(/^(openai|deepseek)\//, '');
  const table = { ...PRICE_TABLE, ...overrides };
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (name.startsWith(key.toLowerCase()) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? FREE : table[best];
}

/** Tokens of one call, as billed: the prompt's cached part is part of `inputTokens`. */
export interface BilledTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens?: number;
}

export function costOf(price: ModelPrice, tokens: BilledTokens): number {
  const cached = Math.min(tokens.cachedInputTokens ?? 0, tokens.inputTokens);
  const cachedPrice = price.cachedInputPerMillion ?? price.inputPerMillion;
  return (
    ((tokens.inputTokens - cached) * price.inputPerMillion + cached * cachedPrice + tokens.outputTokens * price.outputPerMillion) /
    1_000_000
  );
}
