import * as vscode from 'vscode';
import { messageOf } from '../../agent/format';
import type { Logger } from '../../agent/logger';
import { userFilePath } from '../run/host-instructions';
import { VscodeWorkspaceFs } from '../workspace/vscode-workspace-fs';

/**
 * Opens an instructions file a turn names. The path comes from the page, so it is opened only
 * when it is the user's own file (`glassbox.instructions.userFile`) or confined to the workspace
 * like any tool's path; anything else is refused.
 */
export async function openInstructionFile(path: string, logger: Logger): Promise<void> {
  const setting = vscode.workspace.getConfiguration('glassbox').get<string>('instructions.userFile')?.trim();
  try {
    const uri = setting && path === userFilePath(setting) ? vscode.Uri.file(path) : await new VscodeWorkspaceFs().uriOf(path);
    await vscode.window.showTextDocument(uri, { preview: true });
  } catch (error) {
    logger.warn(`Could not open the instructions file ${path}: ${messageOf(error)}`);
    void vscode.window.showWarningMessage(`Glassbox: could not open ${path}: ${messageOf(error)}`);
  }
}
