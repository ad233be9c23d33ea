/**
 * Problems after every edit, in real VS Code with its TypeScript server: asked to add a function
 * returning the user's age, the scripted model first writes one with a type error; the write's
 * result tells it ts(2322), its second edit fixes it and that result says the problem is gone.
 * The chat step shows the red count (and the list, opened), the trace a row per check.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, traceFrame, turn, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { runCommand } from '../harness/workbench';
import { contentOf, sampleProject } from './fixtures';

const WRONG = "import type { User } from './user';\n\n/** The user's age in whole years. */\nexport function userAge(user: User, now = new Date()): number {\n  return String(now.getFullYear() - user.birthYear);\n}\n";

export const problemsAfterEdit: UiScenario = {
  name: 'problems-after-edit',
  title: 'a type error the model writes is reported to it and fixed in a second edit, visible in the chat step and the trace',
  files: {
    ...sampleProject,
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'commonjs' } }),
    'src/user.ts': 'export interface User {\n  name: string;\n  birthYear: number;\n}\n',
    'src/warm.ts': 'export const warm: number = "not yet";\n',
  },
  // The machine running the tests is shared and loaded (load average 15 on 2 cores seen), where
  // TypeScript took over 2 s to answer for a new file: the wait is raised, not the behaviour.
  settings: { 'glassbox.autoApprove.write': true, 'glassbox.taintApproval': false, 'glassbox.editor.problemsWaitSeconds': 15 },
  turns: [
    [
      { kind: 'text', text: 'I will add userAge in src/age.ts.' },
      { kind: 'tool-calls', calls: [{ name: 'write_file', args: { path: 'src/age.ts', content: WRONG } }] },
    ],
    [
      { kind: 'text', text: 'The result is a number, not a string: fixing it.' },
      {
        kind: 'tool-calls',
        calls: [{ name: 'edit_file', args: { path: 'src/age.ts', old_text: 'return String(now.getFullYear() - user.birthYear);', new_text: 'return now.getFullYear() - user.birthYear;' } }],
      },
    ],
    [{ kind: 'text', text: 'Added userAge(user) in src/age.ts; the type error is fixed.' }],
  ],
  async run(session) {
    const { page, shots, model } = session;
    // The TypeScript server loads the project once; a person's editor has it loaded already.
    await openFile(page, 'src/warm.ts');
    await page.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 90_000 });

    const chat = await openChat(page);
    await askInChat(chat, "Add a function that returns the user's age");
    await waitForAnswer(chat, 0, /the type error is fixed/, 60_000);

    const { requests } = await model.requests();
    assert.equal(requests.length, 3);
    const afterWrite = contentOf(requests[1].messages.filter((m) => m.role === 'tool').at(-1));
    assert.match(afterWrite, /New:\n {2}src\/age\.ts:5:3 error: Type 'string' is not assignable to type 'number'\. ts\(2322\)/, afterWrite);
    const afterFix = contentOf(requests[2].messages.filter((m) => m.role === 'tool').at(-1));
    assert.match(afterFix, /now 0 errors.*\nFixed:\n {2}src\/age\.ts:5:3 error: Type 'string' is not assignable to type 'number'\. ts\(2322\)/, afterFix);

    const first = turn(chat, 0);
    const steps = first.locator('details.steps').first();
    if (!(await steps.evaluate((d) => (d as HTMLDetailsElement).open))) await first.locator('summary.steps-summary').click();
    const toolStep = (name: string) => first.locator('details.step-item.tool').filter({ has: chat.locator('.tool-name', { hasText: new RegExp(`^${name}$`) }) });
    const write = toolStep('write_file');
    await write.locator('.badge.problems-errors', { hasText: '1' }).waitFor({ timeout: 10_000 });
    const edit = toolStep('edit_file');
    await edit.locator('.badge.problems-fixed', { hasText: '1 fixed' }).waitFor({ timeout: 10_000 });
    await shots.take(page, 'chat-problem-counts');
    await write.locator('summary.tool-summary').first().click();
    await write.locator('details.problems > summary').click();
    await write.locator('li.problem.error', { hasText: "Type 'string' is not assignable to type 'number'." }).waitFor({ timeout: 10_000 });
    await shots.take(page, 'chat-problems-open');

    await runCommand(page, 'Glassbox: Show Trace');
    const trace = await traceFrame(page);
    await waitForTraceRows(trace, [/write_file/, /Problems after write_file.*1 new error.*src\/age\.ts: now 1 error/, /edit_file/, /Problems after edit_file.*1 fixed.*now 0 errors/, /Answered/]);
    await shots.take(page, 'trace-problem-rows');
  },
};

/** Opens a workspace file through Quick Open, as a person would. */
async function openFile(page: Page, path: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(path);
  await page.locator('.quick-input-widget [role="option"]').first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: path.split('/').at(-1)! }).waitFor({ timeout: 15_000 });
}
