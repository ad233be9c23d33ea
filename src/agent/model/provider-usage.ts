/**
 * Token usage as OpenAI-compatible endpoints report it, including how much of the prompt their
 * prompt cache served. Every provider agrees on `prompt_tokens` and `completion_tokens`; each
 * names the cached part its own way, so the readers below are tried in order and the first that
 * finds a number wins. `prompt_tokens` counts the whole prompt, cached part included, for all of
 * them.
 */

export interface ReportedUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /**
   * Prompt tokens the endpoint served from its cache (billed at the cached price); undefined
   * when the endpoint says nothing about caching (then nothing is assumed cached).
   */
  readonly cachedInputTokens: number | undefined;
}

type Fields = Readonly<Record<string, unknown>>;

/** Where each provider puts the cached part of the prompt. */
const CACHED_TOKEN_READERS: readonly { readonly provider: string; readonly read: (usage: Fields, chunk: Fields) => unknown }[] = [
  // OpenAI, Azure, OpenRouter (which adds cache_write_tokens beside it), vLLM, xAI, mlx-lm.
  { provider: 'openai', read: (usage) => record(usage.prompt_tokens_details)?.cached_tokens },
  // DeepSeek: prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens.
  { provider: 'deepseek', read: (usage) => usage.prompt_cache_hit_tokens },
  // Moonshot (Kimi): a flat `cached_tokens` beside prompt_tokens.
  { provider: 'moonshot', read: (usage) => usage.cached_tokens },
  // Gateways passing Anthropic's names through (LiteLLM, one-api).
  { provider: 'anthropic-gateway', read: (usage) => usage.cache_read_input_tokens },
  // llama.cpp's llama-server: `timings.cache_n` prompt tokens reused from the slot's KV cache.
  { provider: 'llama.cpp', read: (_usage, chunk) => record(chunk.timings)?.cache_n },
];

/**
 * Reads usage from a streamed chunk's (or a whole completion's) `usage` object: undefined when
 * there is none. `chunk` is the object that carried it, or for llama.cpp, which may send its
 * `timings` on another chunk of the stream, the latest chunk that had them.
 */
export function readUsage(usageObject: unknown, chunk: unknown = {}): ReportedUsage | undefined {
  const fields = record(chunk) ?? {};
  const usage = record(usageObject);
  if (!usage) return undefined;
  const inputTokens = count(usage.prompt_tokens);
  const outputTokens = count(usage.completion_tokens);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  let cachedInputTokens: number | undefined;
  for (const reader of CACHED_TOKEN_READERS) {
    cachedInputTokens = count(reader.read(usage, fields));
    if (cachedInputTokens !== undefined) break;
  }
  // A cached count above the prompt is a provider counting differently; never bill below zero.
  if (cachedInputTokens !== undefined) cachedInputTokens = Math.min(cachedInputTokens, inputTokens);
  return { inputTokens, outputTokens, cachedInputTokens };
}

function record(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}
