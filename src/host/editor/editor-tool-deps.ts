import type { EditorToolDeps } from '../../tools';
import type { GlassboxSettings } from '../settings/settings-values';
import type { VscodeWorkspaceFs } from '../workspace/vscode-workspace-fs';
import type { TerminalReader } from './terminal-reader';
import { VscodeEditorPort } from './vscode-editor-port';
import { terminalCommandRunner } from './terminal-command-runner';

/** What a run's tools get from the editor: the port over VS Code, and the person's settings for it. */
export function editorToolDeps(fs: VscodeWorkspaceFs, settings: GlassboxSettings, terminal: TerminalReader | undefined): EditorToolDeps {
  return {
    port: new VscodeEditorPort(fs, { terminal }),
    problemsAfterEdits: settings.editor.problemsAfterEdits,
    problemsWaitMs: settings.editor.problemsWaitMs,
    navigationForSmallModels: settings.editor.toolsForSmallModels,
    ...(settings.commands.runIn === 'terminal' ? { runCommandsVisibly: terminalCommandRunner() } : {}),
  };
}
