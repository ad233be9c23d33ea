/**
 * What a person can do about a failed model request. The error event's code and status say
 * most of it; two fixes hide inside codes that mean several things — a context window that
 * is too small (an `endpoint` refusal) and an account out of quota (`rate-limited`, HTTP 402)
 * — and servers say those only in words, so those words are read here, in one place.
 */
import type { RunErrorCode } from '../events';

export type EndpointProblem =
  /** The key was refused: set another. */
  | 'key-rejected'
  /** The model (or the URL) is unknown: pick a model the endpoint has. */
  | 'unknown-model'
  /** Nothing answered: is the server running? */
  | 'unreachable'
  /** The prompt is larger than the model's window: set the window, or start a new chat. */
  | 'context-exceeded'
  /** The account's quota or credit is used up. */
  | 'quota';

export interface FailedRequest {
  readonly code: RunErrorCode;
  readonly status?: number;
  readonly message: string;
}

const CONTEXT_WORDS =
  /context[_ ]length|context window|maximum context|context size|n_ctx|too many (input )?tokens|prompt is too long|input is too long|exceeds? the (model'?s? )?(maximum|context|max)|reduce the length|maximum (prompt|input) length/i;
const QUOTA_WORDS = /quota|billing|insufficient[_ ](balance|credits|funds)|credit balance|out of credits|payment required|exceeded your current/i;

/** The fix a failed request calls for, or undefined when there is none to offer. */
export function endpointProblemOf(failure: FailedRequest): EndpointProblem | undefined {
  switch (failure.code) {
    case 'auth':
      return 'key-rejected';
    case 'not-found':
      return 'unknown-model';
    case 'unreachable':
      return 'unreachable';
    case 'rate-limited':
      return QUOTA_WORDS.test(failure.message) ? 'quota' : undefined;
    case 'endpoint':
      if (failure.status === 402 || (failure.status !== undefined && failure.status < 500 && QUOTA_WORDS.test(failure.message))) return 'quota';
      if (CONTEXT_WORDS.test(failure.message)) return 'context-exceeded';
      // Some servers answer an unknown model with 400 or 422 instead of 404.
      if (failure.status !== undefined && failure.status < 500 && /model\b.*\b(not found|does not exist|not exist|unknown|is not available|invalid)|no such model|model_not_found/i.test(failure.message)) {
        return 'unknown-model';
      }
      return undefined;
    case 'configuration':
    case 'internal':
    case 'unread-tool-call':
      return undefined;
    default:
      return undefined;
  }
}

/** The SDK's placeholder for an error without a body, said as a person would. */
export function readableEndpointMessage(message: string): string {
  return message.replace(/\b(\d{3}) status code \(no body\)|\bstatus code \(no body\)/g, (_whole, status?: string) =>
    status ? `HTTP ${status}, and the server sent no error message` : 'the server sent no error message',
  );
}
