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

/** The run must stop: configuration is wrong (bad key, unknown endpoint, bad settings). */
export class ConfigurationError extends AgentError {
  readonly recoverable = false;
}

/** The model endpoint failed for good (after retries, or a status that retrying cannot fix). */
export class ModelRequestError extends AgentError {
  readonly recoverable = false;
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** Thrown where work stops because the caller's signal aborted. */
export class CancelledError extends AgentError {
  readonly recoverable = false;
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
