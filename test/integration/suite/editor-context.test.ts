/**
 * The editor beyond the language servers, in the real extension host: the person's terminal
 * read through shell integration (a real bash), and the active editor's place offered when
 * nothing is selected.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { silentLogger } from '../../../src/agent/logger';
import type { ToolContext, ToolResult } from '../../../src/agent/tool';
import { activeEditorContext, questionWithActiveEditor } from '../../../src/host/editor/active-editor';
import { TerminalReader } from '../../../src/host/editor/terminal-reader';
import { terminalCommandRunner } from '../../../src/host/editor/terminal-command-runner';
import { VscodeEditorPort } from '../../../src/host/editor/vscode-editor-port';
import { createHostSearcher } from '../../../src/host/workspace/host-searcher';
import { VscodeWorkspaceFs } from '../../../src/host/workspace/vscode-workspace-fs';
import { createTools } from '../../../src/tools';
import { e2eEnv } from './env';

describe('the editor beyond the language servers', function () {
  this.timeout(90_000);
  const disposables: vscode.Disposable[] = [];
  after(() => {
    for (const disposable of disposables.splice(0)) disposable.dispose();
  });

  it('terminal_output reads the last command of the active terminal and its output, through shell integration', async () => {
    const reader = new TerminalReader();
    disposables.push(reader);
    const terminal = vscode.window.createTerminal({ name: 'Glassbox test shell', shellPath: '/bin/bash', cwd: e2eEnv('GLASSBOX_E2E_WORKSPACE') });
    disposables.push(terminal);
    terminal.show(false);
    const integration = terminal.shellIntegration ?? (await nextEvent(vscode.window.onDidChangeTerminalShellIntegration, (e) => e.terminal === terminal, 45_000)).shellIntegration;
    const ended = nextEvent(vscode.window.onDidEndTerminalShellExecution, (e) => e.terminal === terminal, 30_000);
    // As a person's command: it prints a moment after it starts (a command done before VS Code
    // reports its start has no output to read; see the reader).
    integration.executeCommand('sleep 1; printf "glassbox says %s\\n" $((6 * 7)); false');
    await ended;

    const fs = new VscodeWorkspaceFs();
    const tools = createTools({ searcher: await createHostSearcher(fs, silentLogger), editor: { port: new VscodeEditorPort(fs, { terminal: reader }), problemsAfterEdits: false } });
    const tool = tools.find((t) => t.name === 'terminal_output');
    assert.ok(tool, 'terminal_output is offered where there is a terminal reader');
    const context: ToolContext = { signal: AbortSignal.timeout(10_000), fs, log: silentLogger, runId: 'run', callId: 'call' };
    // The reader records the command when its end event has been handled; give it its turn.
    let result: ToolResult | string = '';
    for (let attempt = 0; attempt < 50 && !/glassbox says/.test(typeof result === 'string' ? result : result.output); attempt++) {
      result = await tool.execute({}, context);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const output = typeof result === 'string' ? result : result.output;
    assert.match(output, /^Terminal "Glassbox test shell": `sleep 1; printf "glassbox says %s\\n" \$\(\(6 \* 7\)\); false`(?: in .*)? — exit code 1\nglassbox says 42$/);
    assert.doesNotMatch(output, /\x1b|\]633;/, 'escape sequences are removed');
  });

  describe('run_command with runIn: terminal', () => {
    const runIn = async (shellPath: string | undefined, args: Record<string, unknown>): Promise<string> => {
      const fs = new VscodeWorkspaceFs();
      const tools = createTools({
        searcher: await createHostSearcher(fs, silentLogger),
        editor: { port: new VscodeEditorPort(fs), problemsAfterEdits: false, runCommandsVisibly: terminalCommandRunner({ shellPath }) },
      });
      const tool = tools.find((t) => t.name === 'run_command')!;
      const context: ToolContext = { signal: AbortSignal.timeout(60_000), fs, log: silentLogger, runId: 'run', callId: 'call' };
      const result = (await tool.execute(tool.input.parse(args), context)) as ToolResult;
      return result.output;
    };

    it('runs in a visible Glassbox terminal with its exit code and output', async () => {
      const output = await runIn('/bin/bash', { command: 'printf "from the %s\\n" terminal; (exit 3)' });
      assert.match(output, /^exit code 3 · .* · in the Glassbox terminal\nfrom the terminal\n?$/);
      assert.ok(vscode.window.terminals.some((t) => t.name === 'Glassbox'), 'the terminal stays for the person to see');
    });

    it('a timeout stops the command and the process that left its group, as with a child process', async () => {
      await assert.rejects(runIn('/bin/bash', { command: 'setsid sleep 121 & sleep 30', timeout_ms: 2_000 }), (error: Error) => {
        assert.match(error.message, /timed out after 2 s/);
        assert.match(error.message, /processes that had left its process group were stopped: \d+ sleep 121/);
        return true;
      });
    });

    it('a shell without shell integration falls back to a child process and says so', async () => {
      const output = await runIn('/bin/sh', { command: 'echo fallback' });
      assert.match(output, /^exit code 0 · .* · as a child process \(the terminal has no shell integration\)\nfallback/);
    });
  });

  it('with nothing selected, the active editor offers its file, language and visible lines', async () => {
    const root = e2eEnv('GLASSBOX_E2E_WORKSPACE');
    const lines = Array.from({ length: 300 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    writeFileSync(join(root, 'src/long.ts'), lines);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root, 'src/long.ts')));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    editor.revealRange(new vscode.Range(150, 0, 150, 0), vscode.TextEditorRevealType.AtTop);
    await waitUntil(() => (editor.visibleRanges[0]?.start.line ?? 0) >= 100);
    const context = activeEditorContext();
    assert.ok(context);
    assert.equal(context.path, 'src/long.ts');
    assert.equal(context.languageId, 'typescript');
    assert.ok(context.firstVisibleLine > 100 && context.lastVisibleLine > context.firstVisibleLine, JSON.stringify(context));
    assert.match(questionWithActiveEditor('What is v151?', context), /^What is v151\?\n\nOpen in the editor \(nothing selected\): src\/long\.ts \(typescript\), lines \d+–\d+ visible\.$/);
  });
});

function nextEvent<T>(event: vscode.Event<T>, matches: (value: T) => boolean, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no matching event within ${ms} ms`));
    }, ms);
    const listener = event((value) => {
      if (!matches(value)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    });
  });
}

async function waitUntil(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
