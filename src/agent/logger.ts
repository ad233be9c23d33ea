/**
 * Shaped like VS Code's LogOutputChannel so the host can pass one straight in, yet free of
 * `vscode`: the CLI writes to stderr, tests collect lines.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
