/**
 * The Model the loop uses, over the official `openai` SDK and any OpenAI-compatible endpoint
 * (OpenAI, Ollama, llama.cpp, vLLM, LM Studio…). The only file in src/agent that talks to
 * chat completions. It streams, retries what waiting can fix, and stops promptly on abort.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { registerCredential } from '../safety/known-credentials';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { CancelledError, ModelRequestError, messageOf } from '../errors';
import { formatDuration } from '../../shared/format';
import { silentLogger, type Logger } from '../logger';
import type { ChatMessage, FinishReason, Model, ModelChunk, ModelRequest } from './model';
import { readUsage } from './provider-usage';
import {
  backoffDelayMs,
  defaultRetryPolicy,
  isRetryableStatus,
  requestedRetryDelayMs,
  type RetryPolicy,
} from './retry-policy';

export interface OpenAIModelOptions {
  /** e.g. `http://127.0.0.1:11434/v1`. Empty or absent: OpenAI's own endpoint. */
  readonly baseURL?: string;
  /** Local servers often need none; a placeholder is sent then (the SDK insists on one). */
  readonly apiKey?: string;
  readonly model: string;
  /** Sent with every request (e.g. an organisation or proxy header); `null` removes one the SDK sends. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** Added to every request URL (Azure's `api-version`). */
  readonly query?: Readonly<Record<string, string>>;
  /** Attempts per model call in total, the first included (default 4). */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, doubled after (default 500 ms). */
  readonly retryBaseDelayMs?: number;
  /** Longest Retry-After honoured; a longer one fails the call (default 30 s). */
  readonly maxRetryAfterMs?: number;
  /** How long to wait for the response to start (default 10 minutes, the SDK's). */
  readonly requestTimeoutMs?: number;
  /**
   * Longest silence inside a stream before it counts as dropped and is retried (default
   * 5 minutes: a local model may think for a long time before its first token).
   */
  readonly streamIdleTimeoutMs?: number;
  readonly logger?: Logger;
}

/** A client set up the way Glassbox needs it: no SDK retries (we retry), a key even if none. */
export function createOpenAIClient(
  options: Pick<OpenAIModelOptions, 'baseURL' | 'apiKey' | 'headers' | 'query' | 'requestTimeoutMs'>,
): OpenAI {
  // From here on the key is redacted wherever it shows up, and no command is handed it.
  registerCredential(options.apiKey);
  return new OpenAI({
    baseURL: options.baseURL?.trim() || undefined,
    apiKey: options.apiKey?.trim() || 'no-key-needed',
    defaultHeaders: options.headers,
    defaultQuery: options.query,
    // All retrying happens in OpenAIModel, so attempts never stack (4 of ours × 3 of the SDK's).
    maxRetries: 0,
    timeout: options.requestTimeoutMs ?? 10 * 60_000,
  });
}

/** An attempt failed in a way another attempt may fix. */
class RetryableFailure extends Error {
  constructor(
    readonly reason: string,
    readonly status?: number,
    readonly requestedDelayMs?: number,
    /** No connection could be made at all (as opposed to an answer that failed). */
    readonly unreachable = false,
  ) {
    super(reason);
  }
}

export class OpenAIModel implements Model {
  readonly name: string;
  readonly #client: OpenAI;
  readonly #endpoint: string;
  readonly #policy: RetryPolicy;
  readonly #idleTimeoutMs: number;
  readonly #logger: Logger;
  readonly #isOpenAI: boolean;

  constructor(options: OpenAIModelOptions) {
    if (!options.model.trim()) throw new ModelRequestError('No model name is set: choose the model the endpoint should run.');
    const maxAttempts = options.maxAttempts ?? defaultRetryPolicy.maxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${maxAttempts}`);
    }
    this.name = options.model.trim();
    this.#client = createOpenAIClient(options);
    this.#endpoint = this.#client.baseURL;
    this.#isOpenAI = /^https:\/\/api\.openai\.com(\/|$)/.test(this.#endpoint);
    this.#policy = {
      ...defaultRetryPolicy,
      maxAttempts,
      baseDelayMs: options.retryBaseDelayMs ?? defaultRetryPolicy.baseDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? defaultRetryPolicy.maxRetryAfterMs,
    };
    this.#idleTimeoutMs = options.streamIdleTimeoutMs ?? 5 * 60_000;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * One assistant turn. Text is yielded as it arrives; tool calls whole, once the stream is
   * complete; then usage (when reported) and finish. Before each retry a `retry` chunk names
   * the attempt about to start (2, 3, …), the wait and why. Throws CancelledError on abort,
   * ModelRequestError when the endpoint refuses or the attempts run out.
   */
  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelChunk> {
    const body = this.#requestBody(request);
    this.#logger.debug(
      `model call: ${this.name} at ${this.#endpoint}, ${body.messages.length} messages, ${request.tools.length} tools`,
    );
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new CancelledError();
      let failure: RetryableFailure;
      try {
        yield* this.#attempt(body, signal);
        return;
      } catch (error) {
        if (signal.aborted) throw new CancelledError();
        if (!(error instanceof RetryableFailure)) throw error;
        failure = error;
      }
      if (attempt >= this.#policy.maxAttempts) {
        throw new ModelRequestError(
          `The model request to ${this.#endpoint} failed ${attempt} time${attempt === 1 ? '' : 's'}; ` +
            `giving up. Last error: ${failure.reason}`,
          failure.status,
          failure.unreachable ? 'unreachable' : undefined,
        );
      }
      const delayMs = this.#retryDelay(failure, attempt);
      this.#logger.warn(`model call attempt ${attempt} failed (${failure.reason}); retrying in ${delayMs} ms`);
      yield { type: 'retry', attempt: attempt + 1, delayMs, reason: failure.reason };
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        throw new CancelledError();
      }
    }
  }

  /** One HTTP request and its stream. Throws RetryableFailure for what another try may fix. */
  async *#attempt(body: ChatCompletionCreateParamsStreaming, signal: AbortSignal): AsyncGenerator<ModelChunk> {
    // Our own controller too, so a stalled stream can be torn down without cancelling the run.
    const attempt = new AbortController();
    // The caller's abort reaches the request through our controller (cheaper than AbortSignal.any).
    const onCallerAbort = () => attempt.abort();
    if (signal.aborted) attempt.abort();
    else signal.addEventListener('abort', onCallerAbort, { once: true });
    let stalled = false;
    // One timer for the whole stream: a chunk only stamps the time, and the timer re-arms
    // itself for what is left (re-creating a timer per chunk showed up in profiles).
    let idleTimer: NodeJS.Timeout | undefined;
    let lastChunkAt = 0;
    const checkIdle = () => {
      const silentFor = performance.now() - lastChunkAt;
      if (silentFor >= this.#idleTimeoutMs) {
        stalled = true;
        attempt.abort();
      } else {
        idleTimer = setTimeout(checkIdle, this.#idleTimeoutMs - silentFor);
      }
    };
    const watchIdle = () => {
      lastChunkAt = performance.now();
      idleTimer ??= setTimeout(checkIdle, this.#idleTimeoutMs);
    };
    const stalledFailure = () =>
      new RetryableFailure(`the stream went silent for ${formatDuration(this.#idleTimeoutMs)}`);

    const toolCalls = new ToolCallAccumulator();
    let finish: string | undefined;
    let usage: unknown;
    let timingsChunk: unknown;
    try {
      let stream: AsyncIterable<ChatCompletionChunk>;
      try {
        stream = await this.#client.chat.completions.create(body, {
          signal: attempt.signal,
        });
      } catch (error) {
        if (stalled) throw stalledFailure();
        throw this.#classify(error);
      }
      // The response has begun (requestTimeoutMs covered the wait for it); now watch for silence.
      watchIdle();
      try {
        for await (const chunk of stream) {
          watchIdle();
          // llama.cpp reports its prompt-cache reuse in `timings`, not always on the usage chunk.
          if ((chunk as { timings?: unknown }).timings) timingsChunk = chunk;
          // Some servers report usage on every chunk, OpenAI on a last one: keep the latest.
          if (chunk.usage) usage = chunk.usage;
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          if (choice.delta?.content) yield { type: 'text', text: choice.delta.content };
          for (const fragment of choice.delta?.tool_calls ?? []) toolCalls.add(fragment);
          if (choice.finish_reason) finish = choice.finish_reason;
        }
      } catch (error) {
        if (signal.aborted) throw new CancelledError();
        if (stalled) throw stalledFailure();
        throw error instanceof APIError && error.status === undefined
          ? new RetryableFailure(`the endpoint reported an error mid-stream: ${error.message}`)
          : new RetryableFailure(`the stream broke off: ${describeCause(error)}`);
      }
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', onCallerAbort);
    }
    // The SDK ends the iteration quietly when its signal aborts: find out why it ended.
    if (signal.aborted) throw new CancelledError();
    if (stalled) throw stalledFailure();
    if (finish === undefined) throw new RetryableFailure('the stream ended before the model finished its answer');

    const calls = toolCalls.complete();
    for (const call of calls) yield { type: 'tool-call', callId: call.id, name: call.name, argsJson: call.args };
    const reported = usage === undefined ? undefined : readUsage(usage, timingsChunk);
    if (reported) {
      yield {
        type: 'usage',
        inputTokens: reported.inputTokens,
        outputTokens: reported.outputTokens,
        ...(reported.cachedInputTokens === undefined ? {} : { cachedInputTokens: reported.cachedInputTokens }),
      };
    }
    yield { type: 'finish', reason: mapFinishReason(finish, calls.length > 0) };
  }

  #requestBody(request: ModelRequest): ChatCompletionCreateParamsStreaming {
    const body: ChatCompletionCreateParamsStreaming = {
      model: this.name,
      messages: request.messages.map(toWireMessage),
      stream: true,
      stream_options: { include_usage: true },
    };
    if (request.tools.length > 0) {
      body.tools = request.tools.map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.parameters },
      }));
      body.tool_choice = 'auto';
    }
    if (request.maxOutputTokens !== undefined) {
      // OpenAI's reasoning models refuse `max_tokens`; most local servers only know it.
      if (this.#isOpenAI) body.max_completion_tokens = request.maxOutputTokens;
      else body.max_tokens = request.maxOutputTokens;
    }
    if (request.temperature !== undefined) body.temperature = request.temperature;
    return body;
  }

  /** Turns an SDK error raised before the stream began into a retry or a final error. */
  #classify(error: unknown): Error {
    if (error instanceof APIUserAbortError) return new CancelledError();
    if (error instanceof APIConnectionError) {
      return new RetryableFailure(`could not reach ${this.#endpoint}: ${describeCause(error)}`, undefined, undefined, true);
    }
    if (!(error instanceof APIError) || error.status === undefined) {
      return new RetryableFailure(`the request failed: ${describeCause(error)}`);
    }
    const status = error.status;
    const detail = endpointMessage(error);
    // Endpoints may say explicitly (a header the SDK obeys too) whether a retry can help.
    const hint = error.headers?.get('x-should-retry');
    const retryable = hint === 'true' || (hint !== 'false' && isRetryableStatus(status));
    if (retryable) return new RetryableFailure(`HTTP ${status}: ${detail}`, status, requestedRetryDelayMs(error.headers));
    if (status === 401 || status === 403) {
      return new ModelRequestError(
        `The API key was rejected by ${this.#endpoint} (HTTP ${status}): ${detail}. Check the key set for this endpoint.`,
        status,
      );
    }
    if (status === 404) {
      return new ModelRequestError(
        `Model "${this.name}" or the URL ${this.#endpoint} was not found (HTTP 404): ${detail}. ` +
          'Check the model name and the base URL (it usually ends in /v1).',
        status,
      );
    }
    return new ModelRequestError(`The endpoint ${this.#endpoint} refused the request (HTTP ${status}): ${detail}`, status);
  }

  #retryDelay(failure: RetryableFailure, attempt: number): number {
    const requested = failure.requestedDelayMs;
    if (requested === undefined) return backoffDelayMs(attempt, this.#policy);
    if (requested > this.#policy.maxRetryAfterMs) {
      throw new ModelRequestError(
        `${this.#endpoint} asked to wait ${formatDuration(Math.ceil(requested / 1000) * 1000)} before trying again (${failure.reason}); ` +
          `Glassbox waits at most ${formatDuration(this.#policy.maxRetryAfterMs)}. Try again later.`,
        failure.status,
        'rate-limited',
      );
    }
    return Math.round(requested);
  }
}

/** Streamed tool calls arrive as fragments keyed by index: id and name first, then arguments. */
class ToolCallAccumulator {
  readonly #calls = new Map<number, { id: string; name: string; args: string }>();

  add(fragment: ChatCompletionChunk.Choice.Delta.ToolCall): void {
    // A few servers omit `index`; a fresh id then marks a new call.
    let index = fragment.index;
    if (typeof index !== 'number') {
      const last = [...this.#calls.keys()].pop();
      const isNewCall = last === undefined || (fragment.id !== undefined && fragment.id !== this.#calls.get(last)?.id);
      index = isNewCall ? (last ?? -1) + 1 : last;
    }
    const call = this.#calls.get(index) ?? { id: '', name: '', args: '' };
    if (fragment.id) call.id = fragment.id;
    if (fragment.function?.name) call.name += fragment.function.name;
    if (fragment.function?.arguments) call.args += fragment.function.arguments;
    this.#calls.set(index, call);
  }

  complete(): { id: string; name: string; args: string }[] {
    return [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({
        ...call,
        // Some local servers send no id; the loop still needs one to pair the result with.
        id: call.id || `call_${index}_${Math.random().toString(36).slice(2, 10)}`,
        args: call.args.trim() === '' ? '{}' : call.args,
      }));
  }
}

function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.argumentsJson },
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    default:
      throw new Error(`unknown message role ${JSON.stringify(message satisfies never)}`);
  }
}

function mapFinishReason(reason: string, hasToolCalls: boolean): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'content-filter';
  // Some servers say "stop" even when the message carries tool calls: the calls decide.
  if (hasToolCalls || reason === 'tool_calls' || reason === 'function_call') return 'tool-calls';
  return 'stop';
}

/** The endpoint's own words, from an OpenAI-shaped error body when there is one. */
function endpointMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (typeof body?.message === 'string' && body.message.trim()) return body.message.trim();
  return error.message.replace(/^\d{3}\s*/, '') || 'no error message';
}

/** Fetch hides the real reason ("terminated", ECONNRESET) in `cause`. */
function describeCause(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const outer = messageOf(error);
  return cause === undefined ? outer : `${outer} (${messageOf(cause)})`;
}
