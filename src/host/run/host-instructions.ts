import * as os from 'node:os';
import * as vscode from 'vscode';
import { messageOf } from '../../agent/format';
import type { InstructionSettings } from '../../agent/instructions/instruction-settings';
import { MAX_INSTRUCTION_BYTES } from '../../agent/instructions/read-instruction-file';
import type { Logger } from '../../agent/logger';
import type { GlassboxSettings } from '../settings/settings-values';

/**
 * The run's instructions from `glassbox.instructions.*`. In Restricted Mode the repository's
 * files are not read (the loop's `instructions` event says so); the user's own file still is,
 * being the person's and not the repository's.
 */
export async function hostInstructions(settings: GlassboxSettings, restricted: boolean, logger: Logger): Promise<InstructionSettings> {
  const { enabled, files, userFile } = settings.instructions;
  if (!enabled) return { enabled: false, names: [], trustRepository: false };
  const path = userFile ? userFilePath(userFile) : undefined;
  const text = path ? await readUserFile(path, logger) : undefined;
  return { enabled: true, names: files, trustRepository: !restricted, ...(path && text !== undefined ? { user: { path, text } } : {}) };
}

/** `~/x` as the home folder's x. */
export function userFilePath(setting: string): string {
  return setting.startsWith('~/') ? `${os.homedir()}/${setting.slice(2)}` : setting;
}

async function readUserFile(path: string, logger: Logger): Promise<string | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(path));
    return new TextDecoder().decode(bytes.subarray(0, MAX_INSTRUCTION_BYTES));
  } catch (error) {
    logger.warn(`glassbox.instructions.userFile: could not read ${path}: ${messageOf(error)}`);
    void vscode.window.showWarningMessage(`Glassbox: could not read your instructions file ${path} (glassbox.instructions.userFile).`);
    return undefined;
  }
}
