/**
 * The Model the loop uses, over the official `openai` SDK and any OpenAI-compatible endpoint
 * (OpenAI, Azure, Ollama, llama.cpp, vLLM, LM Studio, OpenRouter, Groq, DeepSeek, Mistral,
 * Gemini, LiteLLM…). The only file in src/agent that talks to chat completions. It streams,
 * retries what waiting can fix, adapts to what an endpoint has shown it cannot take
 * (endpoint-quirks.ts), and stops promptly on abort. The SDK sends the request and raises HTTP
 * errors; the stream is read by sse-events.ts and reply-assembler.ts, which know the dialects.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { registerCredential } from '../safety/known-credentials';
import type { ChatCompletion, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { CancelledError, ModelRequestError } from '../errors';
import { formatDuration, messageOf } from '../format';
import { silentLogger, type Logger } from '../logger';
import { newCallId } from './call-id';
import { adaptationFor, quirksFor, type EndpointQuirks } from './endpoint-quirks';
import { parseErrorBody, type ErrorBody } from './error-body';
import { fetchKeepingErrorBodies } from './keep-error-bodies';
import type { Model, ModelChunk, ModelNoticeCode, ModelRequest } from './model';
import { ReplyAssembler, StreamErrorEvent } from './reply-assembler';
import {
  backoffDelayMs,
  defaultRetryPolicy,
  isRetryableStatus,
  requestedRetryDelayMs,
  type RetryPolicy,
} from './retry-policy';
import { readSseEvents } from './sse-events';
import { parseTextToolCalls } from './text-tool-calls';
import { toWireMessages } from './wire-messages';

export type ToolCallMode = 'auto' | 'native' | 'prompt';

export interface OpenAIModelOptions {
  /** e.g. `http://127.0.0.1:11434/v1`. Empty or absent: OpenAI's own endpoint. */
  readonly baseURL?: string;
  /** Local servers often need none; a placeholder is sent then (the SDK insists on one). */
  readonly apiKey?: string;
  readonly model: string;
  /** Sent with every request (e.g. an organisation or proxy header, Azure's `api-key`); `null` removes one the SDK sends. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** Added to every request URL (Azure's `api-version`). */
  readonly query?: Readonly<Record<string, string>>;
  /**
   * How tools are offered: `auto` (natively; described in the prompt once the endpoint refuses
   * them), `native` (never in the prompt: a refusal is an error), `prompt` (always in the prompt).
   */
  readonly toolCalls?: ToolCallMode;
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
    // The SDK reads only `{"error": {"message"}}` bodies; this keeps the words of every other shape.
    fetch: fetchKeepingErrorBodies(),
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

/** The endpoint asked, by its error, for a different request: sent again at once, not a retry. */
class AdaptRequest extends Error {
  constructor(readonly notice: { type: 'notice'; code: ModelNoticeCode; message: string }) {
    super(notice.message);
  }
}

/** Groq's 400 `tool_use_failed`: the model's call is in `failed_generation`. */
class ToolUseFailed extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

interface SentRequest {
  readonly streamed: boolean;
  readonly sentStreamOptions: boolean;
  readonly sentTools: boolean;
}

const NOTICE_FOR_QUIRK: Record<keyof EndpointQuirks, ModelNoticeCode> = {
  noStreamingWithTools: 'no-streaming',
  noStreamOptions: 'no-stream-options',
  toolsInPrompt: 'tools-in-prompt',
};

export class OpenAIModel implements Model {
  readonly name: string;
  readonly #client: OpenAI;
  readonly #endpoint: string;
  readonly #policy: RetryPolicy;
  readonly #idleTimeoutMs: number;
  readonly #logger: Logger;
  readonly #isOpenAI: boolean;
  readonly #quirks: EndpointQuirks;
  readonly #toolCallMode: ToolCallMode;

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
    this.#quirks = quirksFor(this.#endpoint, this.name);
    this.#toolCallMode = options.toolCalls ?? 'auto';
  }

  /** The endpoint gets the tools in the system prompt and writes its calls as text. */
  get toolsInPrompt(): boolean {
    return this.#toolCallMode === 'prompt' || (this.#toolCallMode === 'auto' && this.#quirks.toolsInPrompt);
  }

  /** The SDK client (for /models look-ups on the same endpoint, with the same key and headers). */
  get client(): OpenAI {
    return this.#client;
  }

  /**
   * One assistant turn. Text and reasoning are yielded as they arrive; tool calls whole, once
   * the stream is complete; then usage (when reported) and finish. Before each retry a `retry`
   * chunk names the attempt about to start (2, 3, …), the wait and why; when the endpoint needs
   * a different request, a `notice` says so once. Throws CancelledError on abort,
   * ModelRequestError when the endpoint refuses or the attempts run out.
   */
  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelChunk> {
    this.#logger.debug(
      `model call: ${this.name} at ${this.#endpoint}, ${request.messages.length} messages, ${request.tools.length} tools`,
    );
    // Each quirk is learnt once, so adapting ends after a few re-sends at most.
    for (let attempt = 1, adaptations = 0; ; attempt++) {
      if (signal.aborted) throw new CancelledError();
      let failure: RetryableFailure;
      try {
        yield* this.#attempt(request, signal);
        return;
      } catch (error) {
        if (signal.aborted) throw new CancelledError();
        if (error instanceof AdaptRequest && adaptations++ < 3) {
          this.#logger.debug(error.notice.message);
          yield error.notice;
          attempt--;
          continue;
        }
        if (error instanceof ToolUseFailed) {
          const recovered = this.#recoverFailedGeneration(error.body, request);
          if (recovered) {
            yield* recovered;
            return;
          }
          failure = new RetryableFailure(`the endpoint could not read the model's tool call (${error.body.message})`, 400);
        } else if (error instanceof RetryableFailure) {
          failure = error;
        } else {
          throw error;
        }
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

  /**
   * Groq refuses a reply whose tool call its parser could not read, and puts the model's text in
   * `failed_generation`: usually a call in a format we read (`<function=…>`, `<tool_call>`, JSON).
   */
  #recoverFailedGeneration(body: ErrorBody, request: ModelRequest): ModelChunk[] | undefined {
    const text = body.failedGeneration?.trim();
    if (!text) return undefined;
    const parsed = parseTextToolCalls(text, { toolNames: new Set(request.tools.map((t) => t.name)), unmarked: true });
    if (!parsed) return undefined;
    return [
      {
        type: 'notice',
        code: 'tool-call-recovered',
        message: `The endpoint could not parse the model's tool call ("${body.message}"); Glassbox read the call from the model's text.`,
      },
      ...(parsed.prose ? [{ type: 'text' as const, text: parsed.prose }] : []),
      ...parsed.calls.map((call): ModelChunk => ({ type: 'tool-call', callId: newCallId(), name: call.name, argsJson: call.argumentsJson })),
      { type: 'finish', reason: 'tool-calls' },
    ];
  }

  /** One HTTP request and its reply. Throws RetryableFailure for what another try may fix. */
  async *#attempt(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelChunk> {
    const body = this.#requestBody(request);
    const streamed = body.stream === true;
    const sent: SentRequest = { streamed, sentStreamOptions: body.stream_options !== undefined, sentTools: body.tools !== undefined };
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

    const reply = new ReplyAssembler();
    try {
      let response: Response;
      try {
        response = await this.#client.chat.completions.create(body, { signal: attempt.signal }).asResponse();
      } catch (error) {
        if (stalled) throw stalledFailure();
        throw this.#classify(error, sent);
      }
      watchIdle();
      try {
        if (!streamed) {
          yield* reply.whole((await response.json()) as ChatCompletion);
        } else if (response.body) {
          for await (const event of readSseEvents(response.body)) {
            watchIdle();
            if (event.kind === 'done') {
              reply.sawDone = true;
              break;
            }
            yield* reply.chunk(event.data, event.field === 'error');
          }
        }
        yield* reply.end();
      } catch (error) {
        if (signal.aborted) throw new CancelledError();
        if (stalled) throw stalledFailure();
        if (error instanceof StreamErrorEvent) throw this.#streamFailure(error);
        throw new RetryableFailure(`the ${streamed ? 'stream' : 'response'} broke off: ${describeCause(error)}`);
      } finally {
        attempt.abort(); // releases the connection when we stopped at [DONE]
      }
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', onCallerAbort);
    }
  }

  #streamFailure(error: StreamErrorEvent): Error {
    if (error.retryable) {
      return new RetryableFailure(error.fromServer ? `the endpoint reported an error mid-stream: ${error.message}` : error.message, error.status);
    }
    return new ModelRequestError(`The endpoint ${this.#endpoint} reported an error: ${error.message}${serverFix(error.message)}`, error.status);
  }

  #requestBody(request: ModelRequest): ChatCompletionCreateParamsStreaming {
    const toolsInPrompt = this.toolsInPrompt && request.tools.length > 0;
    const nativeTools = request.tools.length > 0 && !toolsInPrompt;
    const stream = !(nativeTools && this.#quirks.noStreamingWithTools);
    const body: ChatCompletionCreateParamsStreaming = {
      model: this.name,
      messages: toWireMessages(request.messages, toolsInPrompt ? request.tools : undefined),
      stream: true,
    };
    // The same body type either way: a non-streamed request only differs in these two fields.
    if (!stream) (body as { stream: boolean }).stream = false;
    else if (!this.#quirks.noStreamOptions) body.stream_options = { include_usage: true };
    if (nativeTools) {
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

  /** Turns an SDK error raised before the reply began into an adaptation, a retry or a final error. */
  #classify(error: unknown, sent: SentRequest): Error {
    if (error instanceof APIUserAbortError) return new CancelledError();
    if (error instanceof APIConnectionError) {
      return new RetryableFailure(`could not reach ${this.#endpoint}: ${describeCause(error)}`, undefined, undefined, true);
    }
    if (!(error instanceof APIError) || error.status === undefined) {
      return new RetryableFailure(`the request failed: ${describeCause(error)}`);
    }
    const status = error.status;
    const detail = endpointMessage(error);
    const body = parseErrorBody(error.error);
    const adaptation = adaptationFor(status, body, sent);
    if (adaptation && !(adaptation.quirk === 'toolsInPrompt' && this.#toolCallMode === 'native') && !this.#quirks[adaptation.quirk]) {
      this.#quirks[adaptation.quirk] = true;
      return new AdaptRequest({ type: 'notice', code: NOTICE_FOR_QUIRK[adaptation.quirk], message: adaptation.notice });
    }
    if (status === 400 && body?.code === 'tool_use_failed') return new ToolUseFailed(body);
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
    return new ModelRequestError(`The endpoint ${this.#endpoint} refused the request (HTTP ${status}): ${detail}${serverFix(detail)}`, status);
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

/** The endpoint's own words (error bodies of every shape arrive normalised by keep-error-bodies.ts). */
function endpointMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (typeof body?.message === 'string' && body.message.trim()) return body.message.trim();
  return error.message.replace(/^\d{3}\s*/, '') || 'no error message';
}

/** What to change on the server, for errors whose fix we know. */
function serverFix(message: string): string {
  if (/--jinja/.test(message)) return ' Start llama-server with --jinja to use tool calls.';
  if (/enable-auto-tool-choice|tool-call-parser/.test(message)) {
    return ' Start vLLM with --enable-auto-tool-choice --tool-call-parser <parser for this model>.';
  }
  if (/exceed.*context|context (size|length|window)/i.test(message)) {
    return ' The prompt is larger than the model\'s context window: raise the server\'s context size (e.g. Ollama num_ctx, llama-server -c) or lower glassbox.contextWindow.';
  }
  return '';
}

/** Fetch hides the real reason ("terminated", ECONNRESET) in `cause`. */
function describeCause(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const outer = messageOf(error);
  return cause === undefined ? outer : `${outer} (${messageOf(cause)})`;
}
