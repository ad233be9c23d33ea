import { z } from 'zod';
import type { TerminalCommand } from '../agent/editor/editor-port';
import { defineTool } from '../agent/tool';
import { EDITOR_TOOL_TIMEOUT_MS } from './editor-places';

/** terminal_output: what the person last ran in their terminal, and what it printed. */
export const terminalOutput = (lastCommand: (signal: AbortSignal) => Promise<TerminalCommand | undefined>) =>
  defineTool({
    name: 'terminal_output',
    description:
      'The last command the user ran in their active VS Code terminal, its exit code and its output (the end of it). ' +
      'Use it when the user refers to something in their terminal ("this error", "the failing test") instead of ' +
      'running the command again with run_command.',
    risk: 'read',
    timeoutMs: EDITOR_TOOL_TIMEOUT_MS,
    truncationHint: 'The start of the output was cut; ask the user or re-run the command filtered.',
    input: z.object({}),
    async execute(_args, ctx) {
      const last = await lastCommand(ctx.signal);
      if (!last) {
        return 'No finished command is known in the active terminal (none has run since Glassbox started, or the shell has no VS Code shell integration).';
      }
      const exit = last.exitCode === undefined ? 'exit code unknown' : `exit code ${last.exitCode}`;
      const where = last.cwd ? ` in ${last.cwd}` : '';
      return {
        output: `Terminal "${last.terminal}": \`${last.command}\`${where} — ${exit}\n${last.output.trim() || '(no output)'}`,
        taintSource: `output of \`${last.command.slice(0, 80)}\` in the terminal`,
      };
    },
  });
