/**
 * The context window the server really has, where it says so: a field of its `/v1/models`
 * entry (OpenRouter and LM Studio's `context_length`, vLLM's `max_model_len`, Groq's
 * `context_window`, Mistral's `max_context_length`), and for local servers their own routes:
 * llama.cpp's `/props` (`n_ctx`, the size it was started with), Ollama's `/api/show` (`num_ctx`
 * when the model sets one; otherwise Ollama runs its small default and the prompt-truncation
 * check in the loop warns), LM Studio's `/api/v0/models` (`loaded_context_length`).
 * Never throws: an endpoint that says nothing leaves the setting in charge.
 */
import type { OpenAIModel } from './openai-model';

export interface DiscoveredWindow {
  readonly tokens: number;
  /** Where it came from, for the log and the trace. */
  readonly source: string;
}

const LOOKUP_TIMEOUT_MS = 3_000;

export async function discoverContextWindow(model: OpenAIModel, signal: AbortSignal): Promise<DiscoveredWindow | undefined> {
  const base = model.client.baseURL.replace(/\/+$/, '');
  const lookup = AbortSignal.any([signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)]);
  const headers: Record<string, string> = { authorization: `Bearer ${model.client.apiKey}` };
  const get = (url: string, init: RequestInit = {}) => fetchJson(url, { ...init, headers: { ...headers, ...init.headers }, signal: lookup });

  // Through the SDK: the endpoint's own headers and query (Azure's api-key, api-version) apply.
  const listed: unknown = await model.client.get('/models', { signal: lookup, maxRetries: 0, timeout: LOOKUP_TIMEOUT_MS }).catch(() => undefined);
  const entry = modelEntry(listed, model.name);
  const fromList = entry ? windowField(entry) : undefined;
  if (fromList) return { tokens: fromList.tokens, source: `${base}/models (${fromList.field})` };
  if (!isLocal(base)) return undefined;

  const origin = new URL(base).origin;
  const [props, show, lmStudio] = await Promise.all([
    get(`${origin}/props`),
    get(`${origin}/api/show`, { method: 'POST', body: JSON.stringify({ model: model.name }), headers: { 'content-type': 'application/json' } }),
    get(`${origin}/api/v0/models/${encodeURIComponent(model.name)}`),
  ]);
  const nCtx = numberAt(props, ['default_generation_settings', 'n_ctx']) ?? numberAt(props, ['n_ctx']);
  if (nCtx) return { tokens: nCtx, source: 'llama.cpp /props (n_ctx)' };
  const parameters = typeof (show as { parameters?: unknown } | undefined)?.parameters === 'string' ? (show as { parameters: string }).parameters : '';
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(parameters)?.[1];
  if (numCtx) return { tokens: Number(numCtx), source: 'Ollama /api/show (num_ctx)' };
  const loaded = numberAt(lmStudio, ['loaded_context_length']);
  if (loaded) return { tokens: loaded, source: 'LM Studio /api/v0/models (loaded_context_length)' };
  return undefined;
}

function modelEntry(listed: unknown, name: string): Record<string, unknown> | undefined {
  const data = (listed as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) return undefined;
  return data.find((m): m is Record<string, unknown> => typeof m === 'object' && m !== null && (m as { id?: unknown }).id === name);
}

const WINDOW_FIELDS: readonly (readonly string[])[] = [
  ['loaded_context_length'],
  ['max_model_len'],
  ['context_length'],
  ['context_window'],
  ['max_context_length'],
  ['top_provider', 'context_length'],
  ['meta', 'n_ctx'],
];

function windowField(entry: Record<string, unknown>): { tokens: number; field: string } | undefined {
  for (const path of WINDOW_FIELDS) {
    const value = numberAt(entry, path);
    if (value) return { tokens: value, field: path.join('.') };
  }
  return undefined;
}

function numberAt(value: unknown, path: readonly string[]): number | undefined {
  let at: unknown = value;
  for (const key of path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'number' && Number.isInteger(at) && at >= 256 ? at : undefined;
}

/** Local-server routes are only tried on this machine or a private network, never on a cloud API. */
function isLocal(base: string): boolean {
  const host = new URL(base).hostname.replace(/^\[|\]$/g, '');
  return /^(localhost|127\.\d+\.\d+\.\d+|::1|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+)$/.test(host) || host.endsWith('.local');
}

async function fetchJson(url: string, init: RequestInit): Promise<unknown> {
  try {
    const response = await fetch(url, init);
    if (!response.ok) return undefined;
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}
