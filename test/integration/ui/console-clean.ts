/**
 * The extension host's console and the workbench's (the browser's) stay free of Glassbox's
 * errors through activation, a question with a tool call, and the trace panel, with the
 * packaged VSIX installed as a person installs it. Before zod was configured jitless, every
 * activation logged "PendingMigrationError: navigator is now a global in nodejs" from
 * extension.js; an empty `{}` in the manifest's menus had VS Code reject the view toolbars,
 * said only in the workbench console.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UiScenario } from '../harness/ui-scenario';
import { extensionHostLogLines } from '../harness/extension-host-console';
import { openChat, askInChat, traceFrame, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { runCommand } from '../harness/workbench';
import { sampleProject } from './fixtures';

export const consoleClean: UiScenario = {
  name: 'console-clean',
  title: 'installed VSIX: activation, a run and the trace write no errors to the extension host or workbench console',
  files: sampleProject,
  installed: true,
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'list_files', args: { path: '.' } }] }],
    [{ kind: 'text', text: 'The project holds a README and src/math.ts.' }],
  ],
  async run(session) {
    const { page, shots, dirs } = session;
    const chat = await openChat(page);
    await askInChat(chat, 'What files are here?');
    await waitForAnswer(chat, 0, /README and src\/math\.ts/);
    await runCommand(page, 'Glassbox: Show Trace');
    await waitForTraceRows(await traceFrame(page), [/Run started/, /list_files/, /Answered/]);
    await shots.take(page, 'after-run');

    // VS Code files an error the extension raised (an uncaught one, or the PendingMigrationError
    // its `navigator` getter raises) under the extension's runtime status, shown here.
    await runCommand(page, 'Developer: Show Running Extensions');
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Glassbox' }).first();
    await row.waitFor({ timeout: 30_000 });
    const rowText = (await row.innerText()).replace(/\s+/g, ' ');
    writeFileSync(join(session.outDir, 'running-extension-row.txt'), rowText);
    await shots.take(page, 'running-extensions');

    const lines = extensionHostLogLines(dirs.userData);
    // Kept beside the screenshots, to read what the check saw.
    writeFileSync(join(session.outDir, 'extension-host-logs.txt'), lines.map(({ file, line }) => `${file}: ${line}`).join('\n'));
    assert.ok(lines.length > 0, 'the extension host wrote a log (else this check would prove nothing)');
    const ours = lines.filter(({ line }) => isError(line) && /glassbox|PendingMigrationError|navigator/i.test(line));
    assert.deepEqual(ours.map(({ file, line }) => `${file}: ${line}`), [], 'errors from Glassbox in the extension host console');
    // The browser's console carries the extension host's forwarded errors as well.
    const forwarded = session.consoleLines.filter((line) => /PendingMigrationError|\[Extension Host\].*glassbox.*error/i.test(line));
    assert.deepEqual(forwarded, [], 'extension host errors forwarded to the browser console');
    // The workbench's own console: where VS Code says it rejected part of the manifest (an
    // empty menu entry once hid every view's toolbar, "property `submenu` is mandatory").
    const workbench = session.consoleLines.filter((line) => /^\[(console\.error|pageerror)\]/.test(line) && /glassbox/i.test(line));
    assert.deepEqual(workbench, [], 'errors naming Glassbox in the workbench console');
  },
};

function isError(line: string): boolean {
  return /\[error\]|\berror\b|Error:/i.test(line);
}
