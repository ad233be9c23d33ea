/**
 * Building blocks the dialects write their bytes with: SSE framing with a chosen line end and
 * `data:` spacing, chunk envelopes, and the read-then-answer conversation every dialect holds.
 */
import type { ChatRequestBody } from '../scripted-server';

/** The task every dialect is asked, and the file it must read to answer it. */
export const TASK = 'What is the launch code in notes.txt?';
export const FILE = 'notes.txt';
export const FILE_TEXT = 'Project notes\nThe launch code is 4242.\n';
/** In the answer only if the tool really ran and its result reached the model. */
export const ANSWER = 'The launch code in notes.txt is 4242.';
export const READ_ARGS = JSON.stringify({ path: FILE });

/** Tool results the model was sent: native `tool` messages, or results written back as text. */
export function toolResults(request: ChatRequestBody): string[] {
  return request.messages.flatMap((m) => {
    const content = typeof m.content === 'string' ? m.content : '';
    if (m.role === 'tool') return [content];
    if (m.role === 'user' && content.includes('<tool_response')) return [content];
    return [];
  });
}

/** The answer once the file has been read (the launch code only if the result carries it). */
export function answerFor(request: ChatRequestBody): string {
  return toolResults(request).some((r) => r.includes('4242')) ? ANSWER : 'I could not read notes.txt.';
}

export function isAnswerTurn(request: ChatRequestBody): boolean {
  return toolResults(request).length > 0;
}

export interface SseOptions {
  /** Line end: `\n` (most), `\r\n` (LiteLLM behind some proxies). */
  readonly eol?: string;
  /** `data: ` (the spec's usual form) or `data:` (some proxies). */
  readonly space?: boolean;
  /** End with `data: [DONE]` (default true). */
  readonly done?: boolean;
}

/** Each item an event: an object is sent as `data: <json>`, a string as written (comments, raw fields). */
export function sse(items: readonly (object | string)[], options: SseOptions = {}): string[] {
  const eol = options.eol ?? '\n';
  const prefix = options.space === false ? 'data:' : 'data: ';
  const pieces = items.map((item) => (typeof item === 'string' ? item.replace(/\n/g, eol) : `${prefix}${JSON.stringify(item)}${eol}${eol}`));
  if (options.done !== false) pieces.push(`${prefix}[DONE]${eol}${eol}`);
  return pieces;
}

export function includeUsage(request: ChatRequestBody): boolean {
  return request.stream_options?.include_usage === true;
}

/** A `chat.completion.chunk` with one choice. */
export function chunk(
  id: string,
  model: string,
  delta: object,
  finish: string | null = null,
  extra: object = {},
): object {
  return { id, object: 'chat.completion.chunk', created: 1764547200, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra };
}

/** About what a real tokenizer counts for this request (≈ 4 characters a token), so usage is honest. */
export function promptTokensOf(request: ChatRequestBody): number {
  return Math.round(JSON.stringify([request.messages, request.tools ?? []]).length / 4);
}

export function usageChunk(id: string, model: string, prompt: number, completion = 24): object {
  return { id, object: 'chat.completion.chunk', created: 1764547200, model, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } };
}

/** Word-sized content deltas, as a server streams tokens. */
export function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [text];
}

export function json(status: number, body: unknown): { status: number; body: string } {
  return { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
}
