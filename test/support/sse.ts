/**
 * The wire shapes an OpenAI-compatible chat endpoint sends, built from a scripted turn: streamed
 * `chat.completion.chunk` objects (as Server-Sent Events) or one whole `chat.completion`.
 * Kept apart from the HTTP server so the shapes can be read in one place.
 */
import type { ServerResponse } from 'node:http';

export interface ScriptedToolCall {
  readonly name: string;
  /** An object is sent as its JSON; a string is sent verbatim (e.g. to script malformed JSON). */
  readonly args: unknown;
  /** Generated (`call_<n>`) when absent. */
  readonly id?: string;
}

export interface ScriptedUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Sent as `prompt_tokens_details.cached_tokens`, as OpenAI reports prompt-cache hits. */
  readonly cachedTokens?: number;
  /**
   * Fields sent verbatim instead of the OpenAI-shaped `usage`, on the same chunk: a provider's
   * own bytes, e.g. `{ usage: { …, prompt_cache_hit_tokens: 1024 } }` or llama.cpp's `timings`.
   */
  readonly wire?: Readonly<Record<string, unknown>>;
}

export type WireFinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter';

export function argumentsText(call: ScriptedToolCall): string {
  return typeof call.args === 'string' ? call.args : JSON.stringify(call.args ?? {});
}

/** Splits text into word-sized deltas ("Hello", " world") the way real endpoints stream tokens. */
export function textDeltas(text: string): string[] {
  const pieces: string[] = [...(text.match(/\s*\S+/g) ?? [])];
  const covered = pieces.join('').length;
  if (covered < text.length) pieces.push(text.slice(covered)); // trailing whitespace
  return pieces;
}

/** Splits tool-call arguments into `count` fragments that only make JSON once joined. */
export function argumentFragments(json: string, count = 3): string[] {
  if (json.length === 0) return [''];
  const size = Math.max(1, Math.ceil(json.length / count));
  const fragments: string[] = [];
  for (let at = 0; at < json.length; at += size) fragments.push(json.slice(at, at + size));
  return fragments;
}

/** Builds the chunks of one streamed completion, all sharing an id, model and timestamp. */
export class ChunkFactory {
  readonly #id: string;
  readonly #created = Math.floor(Date.now() / 1000);
  #sentRole = false;

  constructor(
    readonly model: string,
    completionNumber: number,
  ) {
    this.#id = `chatcmpl-scripted-${completionNumber}`;
  }

  text(content: string): object {
    return this.#chunk({ ...this.#role(), content });
  }

  toolCallStart(index: number, id: string, name: string): object {
    return this.#chunk({
      ...this.#role(),
      tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }],
    });
  }

  toolCallArguments(index: number, fragment: string): object {
    return this.#chunk({ tool_calls: [{ index, function: { arguments: fragment } }] });
  }

  finish(reason: WireFinishReason): object {
    return this.#chunk({}, reason);
  }

  /** The usage chunk: sent last, with no choices, only when the request asked for it. */
  usage(usage: ScriptedUsage): object {
    return { ...this.#envelope(), choices: [], ...(usage.wire ?? { usage: wireUsage(usage) }) };
  }

  /** A mid-stream error, as some endpoints send one inside an SSE event. */
  error(message: string, type = 'server_error'): object {
    return { error: { message, type, code: null, param: null } };
  }

  // The first delta of a message names the role, as OpenAI's do.
  #role(): { role?: 'assistant' } {
    if (this.#sentRole) return {};
    this.#sentRole = true;
    return { role: 'assistant' };
  }

  #chunk(delta: object, finishReason: WireFinishReason | null = null): object {
    return { ...this.#envelope(), choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  }

  #envelope() {
    return { id: this.#id, object: 'chat.completion.chunk', created: this.#created, model: this.model };
  }
}

export interface WholeCompletion {
  readonly text: string;
  readonly toolCalls: readonly (ScriptedToolCall & { readonly id: string })[];
  readonly finishReason: WireFinishReason;
  readonly usage?: ScriptedUsage;
}

/** One non-streamed `chat.completion` body. */
export function wholeCompletion(model: string, completionNumber: number, turn: WholeCompletion): object {
  const toolCalls = turn.toolCalls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: argumentsText(call) },
  }));
  return {
    id: `chatcmpl-scripted-${completionNumber}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.text.length > 0 || toolCalls.length === 0 ? turn.text : null,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: turn.finishReason,
      },
    ],
    ...(turn.usage ? (turn.usage.wire ?? { usage: wireUsage(turn.usage) }) : {}),
  };
}

function wireUsage(usage: ScriptedUsage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    ...(usage.cachedTokens === undefined ? {} : { prompt_tokens_details: { cached_tokens: usage.cachedTokens } }),
  };
}

export function startEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  // Send the headers now: a client waiting on a slow first chunk must already see a 200.
  res.flushHeaders();
}

export function writeEvent(res: ServerResponse, data: object | '[DONE]'): void {
  res.write(`data: ${data === '[DONE]' ? data : JSON.stringify(data)}\n\n`);
}
