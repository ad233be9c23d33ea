/**
 * The server's own words from an error body of any shape. OpenAI-compatible servers disagree
 * on the shape of an error, and the `openai` SDK only reads `{"error": {"message"}}`: for the
 * others it says "400 status code (no body)", which tells the user nothing. The shapes seen on
 * real servers:
 *
 * - OpenAI, Groq, Mistral, OpenRouter, LiteLLM: `{"error": {"message", "type", "code", "param"}}`
 *   (Groq adds `failed_generation`; OpenRouter adds `metadata.raw` with the upstream's words)
 * - vLLM, FastChat: flat `{"object": "error", "message", "type", "code"}`
 * - Gemini's OpenAI-compatible endpoint: an array, `[{"error": {"code", "message", "status"}}]`
 * - llama.cpp: `{"error": {"code": 500, "message", "type": "server_error"}}`
 * - Ollama: `{"error": "model \"x\" not found, try pulling it first"}` (a bare string)
 * - FastAPI-style proxies: `{"detail": "…"}` or `{"detail": [{"msg": "…", "loc": […]}]}`
 * - Mistral's 422: `{"object": "error", "message": {"detail": [{"msg": …}]}, "type": …}`
 * - Plain text or HTML from a reverse proxy ("502 Bad Gateway").
 */

export interface ErrorBody {
  /** What the server said, trimmed to a readable length; never empty. */
  readonly message: string;
  /** The server's machine-readable code, when it sent one (`tool_use_failed`, `context_length_exceeded`). */
  readonly code?: string;
  /** The server's error type (`invalid_request_error`, `BadRequestError`, `INVALID_ARGUMENT`). */
  readonly type?: string;
  /** The request field the server blamed, when it named one (`tools`, `stream_options`). */
  readonly param?: string;
  /** Groq's `failed_generation`: the model's own text when its tool call did not parse. */
  readonly failedGeneration?: string;
}

const MAX_MESSAGE_CHARS = 2_000;

/**
 * Reads an error body: raw text (as the server sent it) or an already parsed value. Returns
 * undefined only when there is nothing at all to say (an empty body).
 */
export function parseErrorBody(body: unknown): ErrorBody | undefined {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed === '') return undefined;
    try {
      return parseErrorBody(JSON.parse(trimmed)) ?? { message: clip(trimmed) };
    } catch {
      return { message: clip(plainText(trimmed)) };
    }
  }
  if (body === null || body === undefined) return undefined;
  if (Array.isArray(body)) {
    // Gemini wraps its error in a one-element array.
    for (const item of body) {
      const parsed = parseErrorBody(item);
      if (parsed) return parsed;
    }
    return undefined;
  }
  if (typeof body !== 'object') return { message: clip(String(body)) };
  const record = body as Record<string, unknown>;
  const inner = record.error;
  if (typeof inner === 'string' && inner.trim()) {
    return withFields({ message: clip(inner.trim()) }, record);
  }
  if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
    const parsed = fromRecord(inner as Record<string, unknown>);
    if (parsed) return parsed;
  }
  return fromRecord(record);
}

/** `message`, `detail` or `msg` at this level, with code/type/param beside it. */
function fromRecord(record: Record<string, unknown>): ErrorBody | undefined {
  const message = messageText(record.message) ?? messageText(record.detail) ?? messageText(record.msg);
  if (message === undefined) return undefined;
  const upstream = upstreamMessage(record);
  return withFields({ message: clip(upstream && !message.includes(upstream) ? `${message}: ${upstream}` : message) }, record);
}

function withFields(base: { message: string }, record: Record<string, unknown>): ErrorBody {
  const code = scalar(record.code) ?? scalar(record.status);
  const type = scalar(record.type);
  const param = scalar(record.param);
  const failedGeneration = typeof record.failed_generation === 'string' ? record.failed_generation : undefined;
  return {
    ...base,
    ...(code !== undefined ? { code } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(param !== undefined ? { param } : {}),
    ...(failedGeneration !== undefined ? { failedGeneration } : {}),
  };
}

/** A message may itself be a string, a FastAPI `detail` list, or an object holding one of those. */
function messageText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    const parts = value
      .map((item) => {
        if (typeof item === 'string') return item;
        if (item && typeof item === 'object') {
          const entry = item as Record<string, unknown>;
          const text = messageText(entry.msg) ?? messageText(entry.message);
          const at = Array.isArray(entry.loc) ? entry.loc.map(String).join('.') : undefined;
          return text && at ? `${at}: ${text}` : text;
        }
        return undefined;
      })
      .filter((part): part is string => part !== undefined && part !== '');
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return messageText(record.detail) ?? messageText(record.message) ?? messageText(record.msg);
  }
  return undefined;
}

/** OpenRouter passes the upstream provider's own words in `metadata.raw`. */
function upstreamMessage(record: Record<string, unknown>): string | undefined {
  const metadata = record.metadata;
  if (!metadata || typeof metadata !== 'object') return undefined;
  const raw = (metadata as Record<string, unknown>).raw;
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  return parseErrorBody(raw)?.message;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An HTML error page from a proxy: its text, not its markup. */
function plainText(text: string): string {
  if (!/^<(!doctype|html|head|body|center|h1)/i.test(text)) return text;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  const stripped = text
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return title && !stripped.startsWith(title) ? `${title}: ${stripped}` : stripped || title || text;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}
