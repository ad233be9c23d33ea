/**
 * Plan first in the sidebar chat: the toggle on, a question, the proposed plan as a checklist
 * that is edited (a step reworded, one removed) and approved; progress while the first step runs
 * (it hands a question to a research helper); the answer; the helper nested under its call in
 * the chat, and the steps and the helper nested in the trace panel. The model was sent the plan
 * as edited.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, traceFrame, turn, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { contentOf, sampleProject } from './fixtures';

export const planFirst: UiScenario = {
  name: 'plan-first',
  title: 'plan first: checklist edited and approved, progress, a research helper nested in chat and trace',
  files: sampleProject,
  turns: [
    // Planning.
    [
      {
        kind: 'tool-calls',
        calls: [
          {
            name: 'submit_plan',
            args: {
              goal: 'Explain src/math.ts',
              steps: [
                { id: 'look', title: 'Look at src/math.ts', readOnly: true },
                { id: 'extra', title: 'Write a poem about it' },
                { id: 'sum', title: 'Summarise', dependsOn: ['look'] },
              ],
            },
          },
        ],
      },
    ],
    [{ kind: 'text', text: 'Plan submitted.' }],
    // Step "look": asks a research helper, which reads the file.
    [{ kind: 'tool-calls', calls: [{ name: 'research', args: { question: 'What does add in src/math.ts do?', paths: ['src/math.ts'] } }] }],
    [{ kind: 'delay', ms: 1500 }, { kind: 'tool-calls', calls: [{ name: 'read_file', args: { path: 'src/math.ts' } }] }],
    [{ kind: 'text', text: 'add returns a + b (src/math.ts:1).' }],
    [{ kind: 'chunk-delay', ms: 150 }, { kind: 'text', text: 'The helper found that add returns the sum a + b.' }],
    // Step "sum" (reworded by the person).
    [{ kind: 'text', text: 'src/math.ts exports add, which returns a + b.' }],
  ],
  async run(session) {
    const { page, shots, model } = session;
    const chat = await openChat(page);
    await chat.locator('label.plan-first').click();
    await askInChat(chat, 'Explain src/math.ts');

    const first = turn(chat, 0);
    const plan = first.locator('.plan.plan-pending');
    await plan.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await plan.locator('.plan-step-input').count(), 3);
    await shots.take(page, 'plan-proposed');

    // Edit: reword the last step, remove the poem.
    await plan.locator('.plan-step-input').nth(2).fill('Summarise in one sentence');
    await plan.getByRole('button', { name: 'Remove step 2' }).click();
    assert.equal(await first.locator('.plan-step-input').count(), 2);
    await shots.take(page, 'plan-edited');
    await first.locator('.plan-approve').click();

    // Progress: the first step runs (its helper is still reading) while the second waits.
    await first.locator('.plan-step.status-running[data-step="look"]').waitFor({ state: 'visible', timeout: 30_000 });
    await first.locator('.plan-step.status-pending[data-step="sum"]').waitFor({ state: 'visible', timeout: 5_000 });
    await shots.take(page, 'plan-running');

    await waitForAnswer(chat, 0, /exports add, which returns a \+ b/, 60_000);
    await first.locator('.plan-step.status-done[data-step="sum"]').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await first.locator('.plan-step[data-step="sum"]').innerText(), /Summarise in one sentence/, 'progress shows the step as the person worded it');
    assert.match(await first.locator('.plan-head').innerText(), /approved with edits/);

    // The helper nested under the research call, inside the step.
    await first.locator('.plan-step-run > summary').first().click();
    const helper = first.locator('.child-run').first();
    await helper.waitFor({ state: 'visible', timeout: 10_000 });
    await helper.locator(':scope > summary').click();
    await helper.locator('.tool-name', { hasText: 'read_file' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await helper.innerText(), /add returns a \+ b/);
    await shots.take(page, 'chat-nested-helper');

    // The trace: the plan, its steps, and inside the first step the helper's own rows.
    await first.locator('.turn-footer button', { hasText: 'Trace' }).click();
    const trace = await traceFrame(page);
    await waitForTraceRows(trace, [/Plan.*approved with edits/, /Step look.*done/, /Step sum.*done/, /Answered/]);
    await trace.locator('.trow.kind-plan-step .trow-line').first().click();
    const research = trace.locator('.child-trace .trow.kind-tool', { hasText: 'research' }).first();
    await research.waitFor({ state: 'visible', timeout: 10_000 });
    await research.locator('.trow-line').click();
    await trace.locator('.child-trace .child-trace .trow.kind-tool', { hasText: 'read_file' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await shots.take(page, 'trace-nested');

    const { requests } = await model.requests();
    assert.equal(requests.length, 7, 'planning 2, step look 2, helper 2, step sum 1');
    const sumTask = requests[6].messages.map((m) => contentOf(m)).join('\n');
    assert.match(sumTask, /Your step: \[sum\] Summarise in one sentence/);
    assert.ok(!sumTask.includes('poem'), 'the removed step is not in the plan the model was sent');
    assert.match(sumTask, /The helper found that add returns the sum a \+ b\./);
    const helperTask = requests[3].messages.map((m) => `${m.role}: ${contentOf(m)}`).join('\n');
    assert.match(helperTask, /^system: You are a research helper/);
    assert.ok(!helperTask.includes('Explain src/math.ts'), 'the helper gets a fresh context');
  },
};
