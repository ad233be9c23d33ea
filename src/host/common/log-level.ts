/**
 * How much the "Glassbox" output channel writes, least severe first. The log channel (common)
 * owns the levels; the `glassbox.logLevel` setting only chooses one of them.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
