/**
 * Errors callers branch on by class, never by message text. `recoverable` errors become a
 * tool result the model reads and adjusts to; the others end the run.
 */
export abstract class AgentError extends Error {
  abstract readonly recoverable: boolean;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tool was asked for something it cannot or may not do; the model is told why. */
export class ToolError extends AgentError {
  readonly recoverable = true;
}

export class PathOutsideWorkspaceError extends ToolError {
  constructor(readonly path: string, reason: string) {
    super(`Refused: "${path}" ${reason}. Only files inside the workspace can be used.`);
  }
}

export class FileNotFoundError extends ToolError {
  constructor(readonly path: string) {
    super(`No file or folder at "${path}".`);
  }
}

export class FileTooLargeError extends ToolError {
  constructor(readonly path: string, readonly size: number, readonly limit: number) {
    super(`"${path}" is ${size} bytes, over the ${limit}-byte limit. Read it as a line range instead.`);
  }
}

/** A FIFO, socket or device: reading could block or never end, writing could block. */
export class SpecialFileError extends ToolError {
  constructor(readonly path: string, what: string) {
    super(`"${path}" is ${what}, not a regular file; only regular files are read or written.`);
  }
}

/** The run must stop: configuration is wrong (bad key, unknown endpoint, bad settings). */
export class ConfigurationError extends AgentError {
  readonly recoverable = false;
}

/**
 * Why a model request failed for good, for hosts to offer the fix (set the key, pick a model,
 * start the server) without reading the message.
 */
export type ModelErrorCode =
  /** The endpoint rejected the API key (HTTP 401/403). */
  | 'auth'
  /** The model or the URL is unknown to the endpoint (HTTP 404). */
  | 'not-found'
  /** Too many requests or out of quota, after the retries (HTTP 429), or asked to wait too long. */
  | 'rate-limited'
  /** No connection could be made to the endpoint. */
  | 'unreachable'
  /** Any other refusal or failure of the endpoint. */
  | 'endpoint';

/** The model endpoint failed for good (after retries, or a status that retrying cannot fix). */
export class ModelRequestError extends AgentError {
  readonly recoverable = false;
  readonly code: ModelErrorCode;
  constructor(message: string, readonly status?: number, code?: ModelErrorCode) {
    super(message);
    this.code = code ?? modelErrorCodeFor(status);
  }
}

function modelErrorCodeFor(status: number | undefined): ModelErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  return 'endpoint';
}

/** Thrown where work stops because the caller's signal aborted. */
export class CancelledError extends AgentError {
  readonly recoverable = false;
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

