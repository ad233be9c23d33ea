import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { INSTRUCTION_NAMES, type InstructionSettings } from '../agent/instructions/instruction-settings';
import { MAX_INSTRUCTION_BYTES } from '../agent/instructions/read-instruction-file';

/**
 * The CLI's instructions: every kind of repository file (the CLI runs where the person chose,
 * so the workspace counts as trusted, as it does for the tools) and the user's own file,
 * $XDG_CONFIG_HOME/glassbox/AGENTS.md (else ~/.config/glassbox/AGENTS.md). `--no-instructions`
 * reads none.
 */
export function cliInstructions(enabled: boolean, env: NodeJS.ProcessEnv = process.env): InstructionSettings {
  if (!enabled) return { enabled: false, names: [], trustRepository: false };
  const path = join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'glassbox', 'AGENTS.md');
  const user = readUserFile(path);
  return { enabled: true, names: [...INSTRUCTION_NAMES], trustRepository: true, ...(user !== undefined ? { user: { path, text: user } } : {}) };
}

function readUserFile(path: string): string | undefined {
  try {
    // The token budget cuts it further; this only bounds what is held in memory.
    return readFileSync(path, 'utf8').slice(0, MAX_INSTRUCTION_BYTES);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    process.stderr.write(`glassbox: could not read your instructions file ${path}: ${(error as Error).message}\n`);
    return undefined;
  }
}
