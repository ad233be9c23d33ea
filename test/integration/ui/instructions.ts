/**
 * The repository's instructions files in the extension: a question whose run reads src/math.ts
 * gets the root AGENTS.md and .github/copilot-instructions.md at its start, then src/AGENTS.md
 * (nested) and the TypeScript applyTo file after the read; docs/AGENTS.md never. The chat shows
 * "Using AGENTS.md +3" on the turn (outside the folded steps), opening to the files with why and their tokens, a click
 * opens the file in an editor; the trace has a row for each; the model got exactly those files.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, traceFrame, turn, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { runCommand } from '../harness/workbench';
import { contentOf, sampleProject } from './fixtures';

export const instructions: UiScenario = {
  name: 'instructions',
  title: 'AGENTS.md and its kin: root files at the start, the nested and applyTo ones after the read; named in the chat (click opens the file) and in the trace',
  files: {
    ...sampleProject,
    'AGENTS.md': '# Agent rules\nROOT-AGENTS: answer in one sentence.\n',
    '.github/copilot-instructions.md': 'COPILOT-RULES: name the file you read.\n',
    '.github/instructions/ts.instructions.md': '---\napplyTo: "src/**/*.ts"\n---\nTS-SCOPED: arrow functions only.\n',
    'src/AGENTS.md': 'NESTED-SRC: math helpers stay pure.\n',
    'docs/AGENTS.md': 'NESTED-DOCS: never sent here.\n',
  },
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'read_file', args: { path: 'src/math.ts' } }] }],
    [{ kind: 'text', text: 'src/math.ts exports add, a pure helper.' }],
  ],
  async run(session) {
    const { page, shots, model } = session;
    const chat = await openChat(page);
    await askInChat(chat, 'What does src/math.ts do?');
    await waitForAnswer(chat, 0, /pure helper/);

    // One line on the turn, outside the folded steps: every file the run followed.
    const item = turn(chat, 0).locator('.turn-context .step-item.instructions');
    assert.equal(await item.count(), 1);
    assert.match(oneLine(await item.locator('summary').innerText()), /^Using AGENTS\.md \+3 · \d+ tokens$/);
    await item.locator('summary').click();
    const listed = (await item.locator('li').allInnerTexts()).map(oneLine);
    assert.equal(listed.length, 4, listed.join('\n'));
    assert.match(listed[0], /^AGENTS\.md \(root, \d+ tokens\)$/);
    assert.match(listed[1], /^\.github\/copilot-instructions\.md \(root, \d+ tokens\)$/);
    assert.match(listed[2], /^src\/AGENTS\.md \(nested for src\/math\.ts, \d+ tokens\)$/);
    assert.match(listed[3], /^\.github\/instructions\/ts\.instructions\.md \(applyTo src\/\*\*\/\*\.ts for src\/math\.ts, \d+ tokens\)$/);
    await shots.take(page, 'chat-instructions');

    // A click opens the file in an editor.
    await item.locator('a.instruction-file', { hasText: 'src/AGENTS.md' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'AGENTS.md' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: 'NESTED-SRC' }).first().waitFor({ timeout: 15_000 });
    await shots.take(page, 'opened-file');

    const { requests } = await model.requests();
    assert.equal(requests.length, 2);
    const first = requests[0].messages.map(contentOf).join('\n');
    const second = requests[1].messages.map(contentOf).join('\n');
    assert.match(first, /ROOT-AGENTS[\s\S]*COPILOT-RULES/);
    assert.ok(!first.includes('NESTED-SRC') && !first.includes('TS-SCOPED'), 'scoped files were sent before the read');
    assert.match(second, /NESTED-SRC[\s\S]*TS-SCOPED/);
    assert.ok(!second.includes('NESTED-DOCS'), 'docs/AGENTS.md was sent for a file outside docs/');

    await runCommand(page, 'Glassbox: Show Trace');
    const trace = await traceFrame(page);
    await waitForTraceRows(trace, [
      /Run started/,
      /Instructions: 2 files AGENTS\.md, \.github\/copilot-instructions\.md · \d+ tokens/,
      /Model call 1/,
      /read_file/,
      /Instructions: 2 files src\/AGENTS\.md, \.github\/instructions\/ts\.instructions\.md · \d+ tokens/,
      /Answered/,
    ]);
    await trace.locator('.trow', { hasText: 'src/AGENTS.md' }).locator('.trow-main').first().click();
    await trace.getByText('NESTED-SRC: math helpers stay pure.').first().waitFor({ timeout: 10_000 });
    await shots.take(page, 'trace-instructions');
  },
};

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
