// Cached prompt tokens as each provider reports them: the scripted server sends that provider's
// own usage bytes (from its docs and issue trackers, one table), the real `openai` SDK parses
// the stream, and OpenAIModel must find the cached part.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelChunk } from '../../../../src/agent/model/model';
import { OpenAIModel } from '../../../../src/agent/model/openai-model';
import { costOf, priceOf } from '../../../../src/agent/model/pricing';
import { startScriptedServer, text, type ScriptStep } from '../../../support/scripted-server';

interface ProviderCase {
  readonly provider: string;
  /** Where the bytes come from. */
  readonly source: string;
  /** The fields of the last chunk besides id, object, created, model and choices. */
  readonly wire: Record<string, unknown>;
  readonly expected: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
}

const PROVIDERS: readonly ProviderCase[] = [
  {
    provider: 'OpenAI',
    source: 'platform.openai.com/docs/guides/prompt-caching',
    wire: {
      usage: {
        prompt_tokens: 2006,
        completion_tokens: 300,
        total_tokens: 2306,
        prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    },
    expected: { inputTokens: 2006, outputTokens: 300, cachedInputTokens: 1920 },
  },
  {
    provider: 'OpenAI, a miss',
    source: 'platform.openai.com/docs/guides/prompt-caching',
    wire: { usage: { prompt_tokens: 900, completion_tokens: 5, total_tokens: 905, prompt_tokens_details: { cached_tokens: 0 } } },
    expected: { inputTokens: 900, outputTokens: 5, cachedInputTokens: 0 },
  },
  {
    provider: 'OpenRouter',
    source: 'openrouter.ai/docs/use-cases/usage-accounting',
    wire: {
      usage: {
        completion_tokens: 2,
        completion_tokens_details: { reasoning_tokens: 0 },
        cost: 0.95,
        cost_details: { upstream_inference_cost: 19 },
        prompt_tokens: 194,
        prompt_tokens_details: { cached_tokens: 64, cache_write_tokens: 100, audio_tokens: 0 },
        total_tokens: 196,
      },
    },
    expected: { inputTokens: 194, outputTokens: 2, cachedInputTokens: 64 },
  },
  {
    provider: 'DeepSeek',
    source: 'api-docs.deepseek.com/guides/kv_cache',
    wire: {
      usage: { prompt_tokens: 1300, completion_tokens: 9, total_tokens: 1309, prompt_cache_hit_tokens: 1280, prompt_cache_miss_tokens: 20 },
    },
    expected: { inputTokens: 1300, outputTokens: 9, cachedInputTokens: 1280 },
  },
  {
    provider: 'Moonshot (Kimi)',
    source: 'vercel/ai @ai-sdk/moonshotai convertMoonshotAIChatUsage',
    wire: { usage: { prompt_tokens: 5000, completion_tokens: 40, total_tokens: 5040, cached_tokens: 4096 } },
    expected: { inputTokens: 5000, outputTokens: 40, cachedInputTokens: 4096 },
  },
  {
    provider: 'gateway passing Anthropic names (one-api)',
    source: 'one-api relay/model/misc.go Usage',
    wire: { usage: { prompt_tokens: 3000, completion_tokens: 12, total_tokens: 3012, cache_creation_input_tokens: 0, cache_read_input_tokens: 2800 } },
    expected: { inputTokens: 3000, outputTokens: 12, cachedInputTokens: 2800 },
  },
  {
    provider: 'vLLM (--enable-prompt-tokens-details)',
    source: 'BerriAI/litellm#22984',
    wire: {
      usage: {
        total_tokens: 150687,
        prompt_tokens: 150383,
        completion_tokens: 304,
        prompt_tokens_details: { text_tokens: null, audio_tokens: null, image_tokens: null, cached_tokens: 149936 },
      },
    },
    expected: { inputTokens: 150383, outputTokens: 304, cachedInputTokens: 149936 },
  },
  {
    provider: 'llama.cpp llama-server',
    source: 'ggml-org/llama.cpp tools/server README (timings.cache_n); ollama/ollama#16428',
    wire: {
      usage: { completion_tokens: 10, prompt_tokens: 50, total_tokens: 60 },
      timings: { cache_n: 44, prompt_n: 6, prompt_ms: 12.5, predicted_n: 10, predicted_ms: 150.2 },
    },
    expected: { inputTokens: 50, outputTokens: 10, cachedInputTokens: 44 },
  },
  {
    provider: 'Ollama (says nothing about caching)',
    source: 'ollama docs/openai.md',
    wire: { usage: { prompt_tokens: 26, completion_tokens: 8, total_tokens: 34 } },
    expected: { inputTokens: 26, outputTokens: 8 },
  },
];

async function usageFrom(wire: Record<string, unknown>): Promise<ModelChunk | undefined> {
  const steps: ScriptStep[] = [text('Hello.'), { kind: 'usage', promptTokens: 0, completionTokens: 0, wire }];
  const server = await startScriptedServer([steps]);
  try {
    const model = new OpenAIModel({ baseURL: server.baseURL, model: 'scripted-model' });
    const chunks: ModelChunk[] = [];
    for await (const chunk of model.stream({ messages: [{ role: 'user', content: 'Hi' }], tools: [] }, new AbortController().signal)) {
      chunks.push(chunk);
    }
    return chunks.find((c) => c.type === 'usage');
  } finally {
    await server.close();
  }
}

for (const row of PROVIDERS) {
  test(`cached prompt tokens are read as ${row.provider} reports them (${row.source})`, async () => {
    assert.deepEqual(await usageFrom(row.wire), { type: 'usage', ...row.expected });
  });
}

test('a cached count above the prompt is clamped to the prompt, never billed below zero', async () => {
  const chunk = await usageFrom({ usage: { prompt_tokens: 100, completion_tokens: 1, cached_tokens: 5000 } });
  assert.deepEqual(chunk, { type: 'usage', inputTokens: 100, outputTokens: 1, cachedInputTokens: 100 });
});

test('cached input is billed at the cached price; a model without one bills it in full', () => {
  const mini = priceOf('gpt-4o-mini-2024-07-18');
  assert.equal(mini.cachedInputPerMillion, 0.075);
  const cost = costOf(mini, { inputTokens: 1_000_000, cachedInputTokens: 800_000, outputTokens: 0 });
  assert.ok(Math.abs(cost - (0.2 * 0.15 + 0.8 * 0.075)) < 1e-12, `cost ${cost}`);
  const noDiscount = { inputPerMillion: 1, outputPerMillion: 2 };
  assert.equal(costOf(noDiscount, { inputTokens: 1_000_000, cachedInputTokens: 999_999, outputTokens: 0 }), 1);
  assert.equal(priceOf('deepseek-chat').cachedInputPerMillion, 0.028);
  assert.deepEqual(priceOf('my-model', { 'my-model': { inputPerMillion: 3, outputPerMillion: 4, cachedInputPerMillion: 0.3 } }), {
    inputPerMillion: 3,
    outputPerMillion: 4,
    cachedInputPerMillion: 0.3,
  });
});
