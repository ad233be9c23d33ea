import * as vscode from 'vscode';
import type { Logger } from '../../agent/logger';
import { LOG_LEVELS, type LogLevel } from './log-level';

/** Makes text safe to write down (secrets replaced); identity when none is given. */
export type Redactor = (text: string) => string;

/**
 * The "Glassbox" output channel (a LogOutputChannel, so VS Code adds timestamps and levels),
 * adapted to the core's Logger. Two filters apply: VS Code's own log level for the channel and
 * the `glassbox.logLevel` setting, which people find more easily. Every line is redacted
 * before it is written: tool output and model text can carry keys.
 */
export class LogChannel implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  #threshold: number;

  constructor(
    level: LogLevel,
    private readonly redact: Redactor = (text) => text,
  ) {
    this.channel = vscode.window.createOutputChannel('Glassbox', { log: true });
    this.#threshold = LOG_LEVELS.indexOf(level);
  }

  set level(level: LogLevel) {
    this.#threshold = LOG_LEVELS.indexOf(level);
  }

  trace(message: string): void {
    if (this.#allows('trace')) this.channel.trace(this.redact(message));
  }
  debug(message: string): void {
    if (this.#allows('debug')) this.channel.debug(this.redact(message));
  }
  info(message: string): void {
    if (this.#allows('info')) this.channel.info(this.redact(message));
  }
  warn(message: string): void {
    if (this.#allows('warn')) this.channel.warn(this.redact(message));
  }
  error(message: string): void {
    if (this.#allows('error')) this.channel.error(this.redact(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  #allows(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.#threshold;
  }
}
