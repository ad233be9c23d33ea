// When and how long to wait before trying a model call again. Plain functions, so the rules
// can be read (and tested) apart from the HTTP client that follows them.

export interface RetryPolicy {
  /** Attempts per model call in total, the first included. */
  readonly maxAttempts: number;
  /** Backoff before the first retry; doubled for each later one. */
  readonly baseDelayMs: number;
  /** Ceiling of the computed backoff. */
  readonly maxDelayMs: number;
  /**
   * The longest wait an endpoint may ask for (Retry-After). Longer requests fail at once with
   * a clear message rather than leaving the user staring at a silent run.
   */
  readonly maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

/**
 * Statuses worth another try: the same set the `openai` SDK retries (timeouts, lock conflicts,
 * rate limits, server errors). 400/401/403/404/422 cannot get better by waiting.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Anything with a case-insensitive `get`, like fetch's `Headers`. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * The wait an endpoint asked for, in ms: `retry-after-ms` (OpenAI's, precise), else
 * `retry-after` as seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function requestedRetryDelayMs(headers: HeaderLookup | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const precise = headers.get('retry-after-ms');
  if (precise !== null && precise.trim() !== '') {
    const ms = Number(precise);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter for retry number `retry` (1 for the first retry). Jitter
 * takes off up to a quarter, so clients that failed together do not retry together.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, retry - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (1 - 0.25 * random()));
}
