/**
 * A `fetch` for the `openai` SDK that keeps the server's words in every error. The SDK reads
 * only `{"error": {"message"}}` bodies and says "400 status code (no body)" for a vLLM flat
 * body, a Gemini array, an Ollama string or a proxy's HTML page. Here an error response's body
 * is rewritten into that one shape (keeping code, type, param and Groq's failed_generation),
 * so the SDK's APIError carries what the server said.
 */
import { parseErrorBody } from './error-body';

export function fetchKeepingErrorBodies(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    const parsed = parseErrorBody(text);
    const error = {
      message: parsed?.message ?? `HTTP ${response.status} ${response.statusText} with an empty body`.replace(/\s+with/, ' with'),
      type: parsed?.type ?? null,
      code: parsed?.code ?? null,
      param: parsed?.param ?? null,
      ...(parsed?.failedGeneration !== undefined ? { failed_generation: parsed.failedGeneration } : {}),
    };
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    headers.set('content-type', 'application/json');
    return new Response(JSON.stringify({ error }), { status: response.status, statusText: response.statusText, headers });
  };
}
