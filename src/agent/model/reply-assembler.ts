/**
 * Turns what a chat-completions endpoint sent (streamed chunks, or one whole completion) into
 * our ModelChunks, whatever dialect it speaks: reasoning in `reasoning_content` (DeepSeek,
 * llama.cpp), `reasoning` (vLLM, OpenRouter) or a leading `<think>` block (LM Studio, Qwen3 via
 * Ollama); usage at the top level or under `x_groq`; chunks with `choices: []` (Azure's
 * `prompt_filter_results`); errors inside a 200 stream (OpenRouter's `finish_reason: "error"`,
 * llama.cpp's `error` event); tool calls in any of the fragment shapes ToolCallAccumulator reads.
 */
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { isRetryableStatus } from './retry-policy';
import { parseErrorBody } from './error-body';
import { readUsage } from './provider-usage';
import type { FinishReason } from '../events';
import type { ModelChunk } from './model';
import { ThinkSplitter } from './think-splitter';
import { ToolCallAccumulator } from './tool-call-accumulator';

/** An error the endpoint sent inside the stream, in its own words. */
export class StreamErrorEvent extends Error {
  constructor(
    message: string,
    /** Whether trying again may help (a server error or overload, not a refused request). */
    readonly retryable: boolean,
    readonly status?: number,
    /** The server sent it (an error object), rather than the stream just stopping. */
    readonly fromServer = true,
  ) {
    super(message);
  }
}

export class ReplyAssembler {
  readonly #calls = new ToolCallAccumulator();
  readonly #think = new ThinkSplitter();
  #finish: string | undefined;
  #usage: unknown;
  /** llama.cpp reports its prompt-cache reuse in `timings`, not always on the usage chunk. */
  #timings: unknown;
  /** Reasoning that came in `reasoning_content`: DeepSeek wants it back on tool-call turns. */
  #reasoningContent = '';
  sawDone = false;

  /** One streamed chunk (parsed JSON). `asError`: it came on an SSE `error:` field. */
  *chunk(data: unknown, asError = false): Generator<ModelChunk> {
    if (!data || typeof data !== 'object') return;
    const chunk = data as Record<string, unknown>;
    if (asError || chunk.error !== undefined) throw streamError(asError && chunk.error === undefined ? { error: chunk } : chunk);
    this.#readUsage(chunk);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice = choices[0] as Record<string, unknown> | undefined;
    if (!choice) return; // Azure's first chunk: prompt_filter_results only
    const delta = (choice.delta ?? {}) as Record<string, unknown>;
    yield* this.#readMessage(delta);
    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
      if (choice.finish_reason === 'error') throw new StreamErrorEvent('the endpoint ended the answer with an error', true);
      this.#finish = choice.finish_reason;
    }
  }

  /** A whole (non-streamed) completion. */
  *whole(completion: ChatCompletion): Generator<ModelChunk> {
    const record = completion as unknown as Record<string, unknown>;
    if (record.error !== undefined) throw streamError(record);
    this.#readUsage(record);
    const choice = completion.choices?.[0] as unknown as Record<string, unknown> | undefined;
    if (!choice) return;
    yield* this.#readMessage((choice.message ?? {}) as Record<string, unknown>);
    this.#finish = typeof choice.finish_reason === 'string' ? choice.finish_reason : 'stop';
  }

  /** After the last chunk: tool calls whole, usage, finish. */
  *end(): Generator<ModelChunk> {
    for (const piece of this.#think.flush()) yield { type: piece.kind, text: piece.text };
    // [DONE] without a finish reason: the server said it is done, so it is.
    if (this.#finish === undefined && this.sawDone) this.#finish = 'stop';
    if (this.#finish === undefined) {
      throw new StreamErrorEvent('the stream ended before the model finished its answer', true, undefined, false);
    }
    const calls = this.#calls.complete();
    for (const call of calls) {
      yield {
        type: 'tool-call',
        callId: call.id,
        name: call.name,
        argsJson: call.args,
        ...(call.providerFields ? { providerFields: call.providerFields } : {}),
      };
    }
    const usage = this.#usageChunk();
    if (usage) yield usage;
    const messageFields = calls.length > 0 && this.#reasoningContent ? { reasoning_content: this.#reasoningContent } : undefined;
    yield { type: 'finish', reason: mapFinishReason(this.#finish, calls.length > 0), ...(messageFields ? { messageFields } : {}) };
  }

  *#readMessage(message: Record<string, unknown>): Generator<ModelChunk> {
    if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
      this.#reasoningContent += message.reasoning_content;
      yield { type: 'reasoning', text: message.reasoning_content };
    } else if (typeof message.reasoning === 'string' && message.reasoning !== '') {
      yield { type: 'reasoning', text: message.reasoning };
    }
    if (typeof message.content === 'string' && message.content !== '') {
      for (const piece of this.#think.push(message.content)) yield { type: piece.kind, text: piece.text };
    }
    if (Array.isArray(message.tool_calls)) for (const fragment of message.tool_calls) this.#calls.add(fragment);
  }

  #readUsage(chunk: Record<string, unknown>): void {
    if (chunk.timings) this.#timings = chunk;
    // Some servers report usage on every chunk, OpenAI on a last one, Groq under x_groq: keep the latest.
    const groq = chunk.x_groq as Record<string, unknown> | undefined;
    const usage = chunk.usage ?? groq?.usage;
    if (usage && typeof usage === 'object') this.#usage = usage;
  }

  #usageChunk(): ModelChunk | undefined {
    const reported = this.#usage === undefined ? undefined : readUsage(this.#usage, this.#timings);
    if (!reported) return undefined;
    return {
      type: 'usage',
      inputTokens: reported.inputTokens,
      outputTokens: reported.outputTokens,
      ...(reported.cachedInputTokens === undefined ? {} : { cachedInputTokens: reported.cachedInputTokens }),
    };
  }
}

function streamError(record: Record<string, unknown>): StreamErrorEvent {
  const body = parseErrorBody(record);
  const message = body?.message ?? 'the endpoint reported an error';
  const numeric = body?.code !== undefined && /^\d{3}$/.test(body.code) ? Number(body.code) : undefined;
  const kind = `${body?.code ?? ''} ${body?.type ?? ''}`;
  // A numeric code says it plainly; otherwise words like server_error or overloaded do.
  const retryable =
    numeric !== undefined
      ? isRetryableStatus(numeric)
      : body?.code === undefined && body?.type === undefined
        ? true
        : /server|overload|unavailable|timeout|rate.?limit|internal/i.test(kind);
  return new StreamErrorEvent(message, retryable, numeric);
}

export function mapFinishReason(reason: string, hasToolCalls: boolean): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'content-filter';
  // Some servers say "stop" even when the message carries tool calls: the calls decide.
  if (hasToolCalls || reason === 'tool_calls' || reason === 'function_call') return 'tool-calls';
  return 'stop';
}
