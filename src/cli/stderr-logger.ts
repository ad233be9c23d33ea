import { visible } from './terminal-text';
import type { Logger } from '../agent/logger';

/** The CLI's log: warnings and errors always, debug detail with --verbose; all on stderr. */
export function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string) => process.stderr.write(`[${level}] ${visible(message)}\n`);
  const quiet = () => undefined;
  return {
    trace: verbose ? write('trace') : quiet,
    debug: verbose ? write('debug') : quiet,
    info: verbose ? write('info') : quiet,
    warn: write('warn'),
    error: write('error'),
  };
}
