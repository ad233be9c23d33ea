/**
 * An OpenAI-compatible HTTP server of our own, for tests and benchmarks: it answers each
 * `POST /v1/chat/completions` with the next scripted turn, through the real wire format, so the
 * code under test talks to it with the real `openai` SDK. An extra model call fails loudly:
 * once the script is exhausted it answers 500 "script exhausted".
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChunkFactory,
  argumentFragments,
  argumentsText,
  startEventStream,
  textDeltas,
  wholeCompletion,
  writeEvent,
  type ScriptedToolCall,
  type ScriptedUsage,
  type WireFinishReason,
} from './sse';
import { PromptCache, type PromptCacheOptions, type PromptCount } from './prompt-cache';

export type { ScriptedToolCall, ScriptedUsage, WireFinishReason } from './sse';
export type { PromptCacheOptions, PromptCount } from './prompt-cache';

/** One thing the scripted model does, in order. */
export type ScriptStep =
  /** Streamed as several word-sized deltas. */
  | { readonly kind: 'text'; readonly text: string }
  /** One assistant message carrying these calls; arguments streamed in fragments after id+name. */
  | { readonly kind: 'tool-calls'; readonly calls: readonly ScriptedToolCall[] }
  /** Sent as the final chunk, only when the request asked `stream_options.include_usage`. */
  | ({ readonly kind: 'usage' } & ScriptedUsage)
  /** Sent where it stands; when absent, `tool_calls` or `stop` is sent after the last step. */
  | { readonly kind: 'finish'; readonly reason: WireFinishReason }
  /** A pause right here (before the headers if nothing was sent yet). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** A pause before every later chunk: a slow model. */
  | { readonly kind: 'chunk-delay'; readonly ms: number }
  /**
   * An HTTP error with an OpenAI-shaped JSON body. If chunks were already streamed, it becomes
   * an SSE error event instead and the stream ends.
   */
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly message: string;
      readonly type?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** The socket is destroyed here: no finish, no [DONE] (before headers: a connection reset). */
  | { readonly kind: 'cut' }
  /** The response ends cleanly here, but without a finish reason or [DONE]. */
  | { readonly kind: 'end' };

/** The request body as the client sent it (parsed JSON), typed loosely for assertions. */
export interface ChatRequestBody {
  readonly model?: string;
  readonly messages: readonly WireMessage[];
  readonly tools?: readonly { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  readonly tool_choice?: unknown;
  readonly stream?: boolean;
  readonly stream_options?: { include_usage?: boolean };
  readonly max_tokens?: number;
  readonly max_completion_tokens?: number;
  readonly temperature?: number;
  readonly [key: string]: unknown;
}

export interface WireMessage {
  readonly role: string;
  readonly content?: string | null | readonly unknown[];
  readonly tool_calls?: readonly { id: string; type: string; function: { name: string; arguments: string } }[];
  readonly tool_call_id?: string;
}

/** A turn: fixed steps, or steps computed from the request (answer dynamically). */
export type ScriptTurn =
  | readonly ScriptStep[]
  | ((request: ChatRequestBody, index: number) => readonly ScriptStep[] | Promise<readonly ScriptStep[]>);

export interface ScriptedServerOptions {
  readonly turns?: readonly ScriptTurn[];
  /**
   * Loop mode (benchmarks): once `turns` are used up, every request is answered by this,
   * forever, with no added latency.
   */
  readonly loop?: (request: ChatRequestBody, index: number) => readonly ScriptStep[];
  /** Listed by `GET /v1/models`; the first is used when a request names none. */
  readonly models?: readonly string[];
  /**
   * `GET /v1/models` answers with these entries as they stand instead (a server's own fields:
   * vLLM's `max_model_len`, OpenRouter's `pricing`…).
   */
  readonly modelEntries?: readonly Record<string, unknown>[];
  /** Keep every request body and its headers (default true; benchmarks may turn it off). */
  readonly recordRequests?: boolean;
  /**
   * Count every request's prompt and the part a prompt cache would serve (see prompt-cache.ts):
   * usage steps then report the server's own counts, in OpenAI's `prompt_tokens_details`.
   */
  readonly promptCache?: PromptCacheOptions | boolean;
  /**
   * Time to the first byte as a model server spends it reading the prompt: milliseconds per
   * 1,000 prompt tokens, cached ones (with `promptCache`) usually far cheaper.
   */
  readonly prefill?: { readonly msPerThousandTokens: number; readonly cachedMsPerThousandTokens: number };
}

export interface ScriptedServer {
  /** e.g. `http://127.0.0.1:41234/v1`, ready for `new OpenAI({ baseURL })`. */
  readonly baseURL: string;
  /** Every chat request body received, in order (including ones answered "exhausted"). */
  readonly requests: readonly ChatRequestBody[];
  /** The headers of each request in `requests`, same index. */
  readonly requestHeaders: readonly IncomingHttpHeaders[];
  /** The path and query of each request in `requests`, same index. */
  readonly requestUrls: readonly string[];
  /**
   * Every request on any route (model listings, `/props`, `/api/show`…), in arrival order: a
   * test that an endpoint got nothing at all, or never a given header, reads this.
   */
  readonly everyRequest: readonly { readonly method: string; readonly url: string; readonly headers: IncomingHttpHeaders }[];
  /** How many chat requests arrived (counted even when not recorded). */
  readonly requestCount: number;
  /** Scripted turns not yet used. */
  readonly pendingTurns: number;
  /** With `promptCache`: each request's prompt tokens and cached tokens, in order. */
  readonly promptCounts: readonly PromptCount[];
  /** Adds turns at the end of the script. */
  push(...turns: ScriptTurn[]): void;
  /** Stops listening and destroys open connections, ending any stream in progress. */
  close(): Promise<void>;
}

const defaultModel = 'scripted-model';

export async function startScriptedServer(
  script: readonly ScriptTurn[] | ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const options: ScriptedServerOptions = isTurnList(script) ? { turns: script } : script;
  const turns = [...(options.turns ?? [])];
  const models = options.models?.length ? options.models : [defaultModel];
  const recordRequests = options.recordRequests ?? true;
  const requests: ChatRequestBody[] = [];
  const requestHeaders: IncomingHttpHeaders[] = [];
  const requestUrls: string[] = [];
  const everyRequest: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  let requestCount = 0;
  let nextTurn = 0;
  const cache = options.promptCache ? new PromptCache(options.promptCache === true ? {} : options.promptCache) : undefined;
  const promptCounts: PromptCount[] = [];

  async function answerChat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const arrived = performance.now();
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      return sendError(res, 400, `Scripted server: request body is not JSON: ${raw.slice(0, 200)}`);
    }
    const index = requestCount++;
    if (recordRequests) {
      requests.push(body);
      requestHeaders.push(req.headers);
      requestUrls.push(req.url ?? '');
    }
    const counted = cache?.admit(body);
    if (counted) promptCounts.push(counted);
    const turn = nextTurn < turns.length ? turns[nextTurn++] : undefined;
    let steps: readonly ScriptStep[];
    try {
      if (turn) steps = typeof turn === 'function' ? await turn(body, index) : turn;
      else if (options.loop) steps = options.loop(body, index);
      else {
        const message =
          `Scripted server: script exhausted: request #${index + 1} arrived but only ` +
          `${turns.length} turn(s) were scripted. The code under test made an extra model call.`;
        return sendError(res, 500, message, 'script_exhausted');
      }
    } catch (error) {
      return sendError(res, 500, `Scripted server: the scripted turn threw: ${String(error)}`);
    }
    const model = body.model ?? models[0];
    // Sleeps end when the client goes away or the server closes, so nothing lingers.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const signal = AbortSignal.any([gone.signal, closing.signal]);
    if (counted) steps = steps.map((step) => (step.kind === 'usage' && !step.wire ? { ...step, promptTokens: counted.promptTokens, cachedTokens: counted.cachedTokens } : step));
    if (options.prefill) {
      const cached = counted?.cachedTokens ?? 0;
      const uncached = (counted?.promptTokens ?? 0) - cached;
      const prefillMs = (uncached * options.prefill.msPerThousandTokens + cached * options.prefill.cachedMsPerThousandTokens) / 1000;
      // Counting the prompt above was part of reading it: only the rest is slept.
      const remaining = prefillMs - (performance.now() - arrived);
      if (remaining > 0) steps = [{ kind: 'delay', ms: remaining }, ...steps];
    }
    const play = body.stream === true ? streamTurn : answerWhole;
    await play({ res, steps, model, index, signal, includeUsage: body.stream_options?.include_usage === true });
  }

  const server = createServer((req, res) => {
    if (recordRequests) everyRequest.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const path = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
    if (req.method === 'POST' && path.endsWith('/chat/completions')) {
      answerChat(req, res).catch((error: unknown) => {
        if (!isAbort(error) && !res.headersSent) sendError(res, 500, `Scripted server failed: ${String(error)}`);
        else if (!res.writableEnded) res.destroy();
      });
    } else if (req.method === 'GET' && path.endsWith('/models')) {
      const created = Math.floor(Date.now() / 1000);
      const data = options.modelEntries ?? models.map((id) => ({ id, object: 'model', created, owned_by: 'scripted' }));
      sendJson(res, 200, { object: 'list', data });
    } else if (req.method === 'GET' && path === '/_scripted/requests') {
      // For tests driving a standalone server process (scripted-server-main.ts).
      sendJson(res, 200, {
        requestCount,
        requests,
        pendingTurns: turns.length - nextTurn,
        // Which key each chat request carried, for tests that a key went where it belongs.
        authorizations: requestHeaders.map((headers) => headers.authorization ?? null),
      });
    } else {
      sendError(res, 404, `Scripted server: no route for ${req.method} ${req.url}`, 'not_found');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    requestHeaders,
    requestUrls,
    everyRequest,
    get requestCount() {
      return requestCount;
    },
    get pendingTurns() {
      return turns.length - nextTurn;
    },
    promptCounts,
    push: (...more) => void turns.push(...more),
    close: async () => {
      closing.abort();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Playback {
  readonly res: ServerResponse;
  readonly steps: readonly ScriptStep[];
  readonly model: string;
  readonly index: number;
  readonly signal: AbortSignal;
  readonly includeUsage: boolean;
}

async function streamTurn({ res, steps, model, index, signal, includeUsage }: Playback): Promise<void> {
  const chunks = new ChunkFactory(model, index + 1);
  let pace = 0;
  let toolCallCount = 0;
  let finished = false;
  let usage: ScriptedUsage | undefined;
  const send = async (chunk: object) => {
    if (pace > 0) await sleep(pace, undefined, { signal });
    if (!res.headersSent) startEventStream(res);
    writeEvent(res, chunk);
  };

  for (const step of steps) {
    switch (step.kind) {
      case 'text':
        for (const delta of textDeltas(step.text)) await send(chunks.text(delta));
        break;
      case 'tool-calls':
        for (const call of step.calls) {
          const at = toolCallCount++;
          await send(chunks.toolCallStart(at, call.id ?? `call_${index + 1}_${at}`, call.name));
          for (const fragment of argumentFragments(argumentsText(call))) await send(chunks.toolCallArguments(at, fragment));
        }
        break;
      case 'usage':
        usage = step;
        break;
      case 'finish':
        await send(chunks.finish(step.reason));
        finished = true;
        break;
      case 'delay':
        await sleep(step.ms, undefined, { signal });
        break;
      case 'chunk-delay':
        pace = step.ms;
        break;
      case 'error':
        if (!res.headersSent) return sendError(res, step.status, step.message, step.type, step.headers);
        writeEvent(res, chunks.error(step.message, step.type));
        return void res.end();
      case 'cut':
        return cutAfterFlush(res, signal);
      case 'end':
        return void res.end();
      default:
        throw new Error(`unknown script step ${JSON.stringify(step satisfies never)}`);
    }
  }
  if (!finished) await send(chunks.finish(toolCallCount > 0 ? 'tool_calls' : 'stop'));
  if (usage && includeUsage) await send(chunks.usage(usage));
  writeEvent(res, '[DONE]');
  res.end();
}

async function answerWhole({ res, steps, model, index, signal }: Playback): Promise<void> {
  let text = '';
  const toolCalls: (ScriptedToolCall & { id: string })[] = [];
  let finishReason: WireFinishReason | undefined;
  let usage: ScriptedUsage | undefined;
  for (const step of steps) {
    switch (step.kind) {
      case 'text':
        text += step.text;
        break;
      case 'tool-calls':
        for (const call of step.calls) toolCalls.push({ ...call, id: call.id ?? `call_${index + 1}_${toolCalls.length}` });
        break;
      case 'usage':
        usage = step;
        break;
      case 'finish':
        finishReason = step.reason;
        break;
      case 'delay':
      case 'chunk-delay':
        await sleep(step.ms, undefined, { signal });
        break;
      case 'error':
        return sendError(res, step.status, step.message, step.type, step.headers);
      case 'cut':
        return void res.destroy();
      case 'end':
        return void res.end();
      default:
        throw new Error(`unknown script step ${JSON.stringify(step satisfies never)}`);
    }
  }
  finishReason ??= toolCalls.length > 0 ? 'tool_calls' : 'stop';
  sendJson(res, 200, wholeCompletion(model, index + 1, { text, toolCalls, finishReason, usage }));
}

/**
 * Destroys the socket once what was written has had time to reach the client, so the client
 * really sees part of an answer and then a dropped connection (destroying at once would
 * discard the unsent part, and the client would only see a reset).
 */
async function cutAfterFlush(res: ServerResponse, signal: AbortSignal): Promise<void> {
  if (res.headersSent) {
    await new Promise<void>((resolve) => res.write('', () => resolve()));
    await sleep(20, undefined, { signal });
  }
  res.destroy();
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, type?: string, headers?: Readonly<Record<string, string>>): void {
  const body = { error: { message, type: type ?? errorTypeFor(status), code: null, param: null } };
  sendJson(res, status, body, { ...headers });
}

function errorTypeFor(status: number): string {
  if (status === 401) return 'invalid_authentication';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function isTurnList(script: readonly ScriptTurn[] | ScriptedServerOptions): script is readonly ScriptTurn[] {
  return Array.isArray(script);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

// ---- Builders: the turns tests write most ----

export const text = (value: string): ScriptStep => ({ kind: 'text', text: value });
export const usage = (promptTokens: number, completionTokens: number): ScriptStep => ({ kind: 'usage', promptTokens, completionTokens });
export const delay = (ms: number): ScriptStep => ({ kind: 'delay', ms });
export const finish = (reason: WireFinishReason): ScriptStep => ({ kind: 'finish', reason });

/** An answer in text, with usage when given (absent: the client must estimate). */
export function textTurn(value: string, tokens?: ScriptedUsage): ScriptStep[] {
  return tokens ? [text(value), { kind: 'usage', ...tokens }] : [text(value)];
}

/** A text answer streamed slowly: `msPerChunk` before every chunk. */
export function slowTextTurn(value: string, msPerChunk: number): ScriptStep[] {
  return [{ kind: 'chunk-delay', ms: msPerChunk }, text(value)];
}

/** One message calling tools: `toolCallTurn('read_file', { path })` or `toolCallTurn(call, call, …)`. */
export function toolCallTurn(name: string, args: unknown): ScriptStep[];
export function toolCallTurn(...calls: ScriptedToolCall[]): ScriptStep[];
export function toolCallTurn(...input: unknown[]): ScriptStep[] {
  const calls =
    typeof input[0] === 'string' ? [{ name: input[0], args: input[1] }] : (input as ScriptedToolCall[]);
  if (calls.length === 0) throw new Error('toolCallTurn needs at least one call');
  return [{ kind: 'tool-calls', calls }];
}

/** An HTTP error; `retryAfter` (seconds, or an HTTP date) becomes the Retry-After header. */
export function errorTurn(status: number, message = `Scripted HTTP ${status} error`, retryAfter?: number | string): ScriptStep[] {
  const headers = retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) };
  return [{ kind: 'error', status, message, headers }];
}

/** Streams `before` (if any) then destroys the socket: a dropped connection mid-answer. */
export function cutTurn(before = ''): ScriptStep[] {
  return before ? [text(before), { kind: 'cut' }] : [{ kind: 'cut' }];
}
