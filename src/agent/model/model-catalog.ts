/**
 * What models an endpoint offers (`GET {baseURL}/models`), with the context window and price
 * where the endpoint says so, else where Glassbox's own price table knows them. Each server
 * names the window differently; the fields read here are the ones their docs show.
 */
import { messageOf } from '../format';
import { priceOf, type ModelPrice } from './pricing';
import type { ProviderConnection } from './providers';

export interface ModelInfo {
  readonly id: string;
  /** Tokens the model accepts, when the endpoint reports it. */
  readonly contextWindow?: number;
  /** USD per million tokens: the endpoint's own (OpenRouter) or the built-in table's. */
  readonly price?: ModelPrice;
  readonly ownedBy?: string;
}

/** The endpoint could not list its models; `url` is the one that failed. */
export class ModelListError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ListOptions {
  readonly signal?: AbortSignal;
  /** Default 10 s: a listing is a person waiting on a picker. */
  readonly timeoutMs?: number;
}

/** Lists the endpoint's models, sorted by id. Throws ModelListError saying which URL failed and how. */
export async function listModels(connection: ProviderConnection, options: ListOptions = {}): Promise<ModelInfo[]> {
  const url = withQuery(`${connection.baseURL}/models`, connection.query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (connection.apiKey) headers.authorization = `Bearer ${connection.apiKey}`;
  for (const [name, value] of Object.entries(connection.headers)) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  const body = await getJson(url, headers, options);
  return parseModelList(body);
}

/** Reads any of the list shapes seen in the wild: `{data: [...]}`, `{models: [...]}` or a bare array. */
export function parseModelList(body: unknown): ModelInfo[] {
  const record = body as { data?: unknown; models?: unknown } | null;
  const entries = Array.isArray(body) ? body : Array.isArray(record?.data) ? record.data : Array.isArray(record?.models) ? record.models : [];
  const models: ModelInfo[] = [];
  for (const entry of entries as unknown[]) {
    const info = modelInfoOf(entry);
    if (info) models.push(info);
  }
  return models.sort((a, b) => a.id.localeCompare(b.id));
}

function modelInfoOf(entry: unknown): ModelInfo | undefined {
  if (typeof entry === 'string') return { id: entry, price: knownPrice(entry) };
  if (typeof entry !== 'object' || entry === null) return undefined;
  const raw = entry as Record<string, unknown>;
  // Ollama's /api/tags says `name` (and `model`); everyone else `id`.
  const id = [raw.id, raw.name, raw.model].find((value): value is string => typeof value === 'string' && value.trim() !== '');
  if (!id) return undefined;
  return {
    id,
    contextWindow: contextWindowOf(raw),
    price: endpointPrice(raw.pricing) ?? knownPrice(id),
    ownedBy: typeof raw.owned_by === 'string' ? raw.owned_by : undefined,
  };
}

/**
 * The window under the names servers use: `context_length` (OpenRouter, Mistral's
 * `max_context_length`, LM Studio's /api/v0), `max_model_len` (vLLM), `context_window` (Groq),
 * `meta.n_ctx_train` (llama.cpp's trained context), `inputTokenLimit` (Gemini native).
 */
function contextWindowOf(raw: Record<string, unknown>): number | undefined {
  const meta = raw.meta as Record<string, unknown> | undefined;
  const topProvider = raw.top_provider as Record<string, unknown> | undefined;
  const candidates = [
    raw.context_length,
    raw.max_context_length,
    raw.max_model_len,
    raw.context_window,
    raw.inputTokenLimit,
    topProvider?.context_length,
    meta?.n_ctx,
    meta?.n_ctx_train,
  ];
  for (const value of candidates) {
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number > 0) return number;
  }
  return undefined;
}

/** OpenRouter's `pricing: { prompt, completion, input_cache_read? }` in USD per token, as strings. */
function endpointPrice(pricing: unknown): ModelPrice | undefined {
  if (typeof pricing !== 'object' || pricing === null) return undefined;
  const { prompt, completion, input_cache_read: cacheRead } = pricing as { prompt?: unknown; completion?: unknown; input_cache_read?: unknown };
  const input = Number(prompt);
  const output = Number(completion);
  if (!Number.isFinite(input) || !Number.isFinite(output) || input < 0 || output < 0) return undefined;
  const cached = cacheRead === undefined ? NaN : Number(cacheRead);
  return {
    inputPerMillion: round(input * 1_000_000),
    outputPerMillion: round(output * 1_000_000),
    ...(Number.isFinite(cached) && cached >= 0 ? { cachedInputPerMillion: round(cached * 1_000_000) } : {}),
  };
}

function knownPrice(id: string): ModelPrice | undefined {
  const price = priceOf(id);
  return price.inputPerMillion === 0 && price.outputPerMillion === 0 ? undefined : price;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function withQuery(url: string, query: Readonly<Record<string, string>>): string {
  const entries = Object.entries(query);
  if (entries.length === 0) return url;
  const parsed = new URL(url);
  for (const [name, value] of entries) parsed.searchParams.set(name, value);
  return parsed.toString();
}

/** GET with a timeout; every failure becomes a ModelListError naming the URL and, when there is one, the server's words. */
export async function getJson(url: string, headers: Record<string, string>, options: ListOptions = {}): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: 'error' });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const why = timeout.aborted ? `no answer within ${Math.round((options.timeoutMs ?? 10_000) / 1000)} s` : causeOf(error);
    throw new ModelListError(`Could not reach ${url}: ${why}. Is the server running?`, url);
  }
  const text = await boundedText(response, MAX_LIST_BYTES).catch((error: unknown) => {
    throw new ModelListError(`${url} sent ${messageOf(error)}.`, url, response.status);
  });
  if (!response.ok) {
    const said = serverMessage(text);
    throw new ModelListError(`${url} answered HTTP ${response.status}${said ? `: ${said}` : ' with no error message'}.`, url, response.status);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ModelListError(`${url} did not answer with JSON (it began "${text.slice(0, 80)}").`, url, response.status);
  }
}

/** OpenRouter's full list is about 1 MB; past this a listing is not a listing. */
const MAX_LIST_BYTES = 8 * 1024 * 1024;

/** The body as text, refusing to hold more than `limit` bytes of it in memory. */
async function boundedText(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`more than ${limit / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The message from an error body of any common shape: `{error: {message}}`, `{error: "…"}`, `{message}`, `[{error: …}]`. */
export function serverMessage(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim().slice(0, 500) || undefined;
  }
  const first = Array.isArray(body) ? body[0] : body;
  const record = first as { error?: unknown; message?: unknown; detail?: unknown } | null;
  const error = record?.error as { message?: unknown } | string | undefined;
  const candidates = [typeof error === 'string' ? error : error?.message, record?.message, record?.detail];
  const found = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return found?.trim().slice(0, 500);
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? messageOf(error);
}

/** "131,072 tokens · $0.80 in / $4.00 out per 1M" — what a picker shows beside a model's name. */
export function describeModel(model: ModelInfo): string {
  const parts: string[] = [];
  if (model.contextWindow) parts.push(`${model.contextWindow.toLocaleString('en-US')} tokens`);
  if (model.price) {
    const usd = (value: number) => `$${value < 0.1 && value > 0 ? value.toPrecision(2) : value.toFixed(2)}`;
    parts.push(`${usd(model.price.inputPerMillion)} in / ${usd(model.price.outputPerMillion)} out per 1M`);
  }
  return parts.join(' · ');
}
