/**
 * Server-Sent Events from a chat-completions response, read leniently. We read the stream
 * ourselves instead of through the SDK's iterator because real servers bend the format in ways
 * that iterator drops on the floor: llama.cpp used to send its errors on an `error:` field
 * (which the SDK ignores, so the stream just looks cut short), and a user must see those words.
 * Also tolerated: comment lines (`: OPENROUTER PROCESSING`, `: keep-alive`), CRLF or bare CR
 * line ends, `data:` without a space, a stream that ends without `[DONE]`.
 */

export type SseEvent =
  /** A JSON payload from a `data:` field (or from an `error:` field, as llama.cpp sent). */
  | { readonly kind: 'data'; readonly data: unknown; readonly field: 'data' | 'error'; readonly event?: string }
  | { readonly kind: 'done' };

export class SseParseError extends Error {}

/** Yields each event as its blank line arrives. Ends when the body ends or `[DONE]` comes. */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let errorData: string[] = [];
  let event: string | undefined;
  const reader = body.getReader();

  function* dispatch(): Generator<SseEvent> {
    const fields: [string[], 'data' | 'error'][] = [
      [errorData, 'error'],
      [data, 'data'],
    ];
    for (const [lines, field] of fields) {
      if (lines.length === 0) continue;
      const text = lines.join('\n');
      if (text.trim() === '[DONE]') {
        yield { kind: 'done' };
        continue;
      }
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new SseParseError(`the endpoint sent an event that is not JSON: ${text.slice(0, 200)}`);
      }
      yield { kind: 'data', data: parsed, field, ...(event !== undefined ? { event } : {}) };
    }
    data = [];
    errorData = [];
    event = undefined;
  }

  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // Lines end in \n, \r\n or \r. A trailing \r may be half of a \r\n still in flight.
      let start = 0;
      for (let at = 0; at < buffer.length; at++) {
        const ch = buffer[at];
        if (ch !== '\n' && ch !== '\r') continue;
        if (ch === '\r' && at === buffer.length - 1 && !done) break;
        const line = buffer.slice(start, at);
        if (ch === '\r' && buffer[at + 1] === '\n') at++;
        start = at + 1;
        for (const out of handleLine(line)) {
          yield out;
          if (out.kind === 'done') return;
        }
      }
      buffer = buffer.slice(start);
      if (done) {
        if (buffer !== '') for (const out of handleLine(buffer)) yield out;
        for (const out of dispatch()) yield out;
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }

  function* handleLine(line: string): Generator<SseEvent> {
    if (line === '') {
      yield* dispatch();
      return;
    }
    if (line.startsWith(':')) return; // a comment: keep-alive or "processing"
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') {
      // Some servers never send the blank line between events: a second complete JSON line
      // would make the joined data invalid, so each complete line is dispatched on its own.
      if (data.length > 0 && isCompleteJson(data.join('\n'))) yield* dispatch();
      data.push(value);
    } else if (name === 'error') errorData.push(value);
    else if (name === 'event') event = value;
  }
}

function isCompleteJson(text: string): boolean {
  if (text.trim() === '[DONE]') return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
