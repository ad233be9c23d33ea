/**
 * Reasoning is never part of the answer: a model that thinks inside `<think>…</think>` (Qwen3,
 * R1 distills through Ollama, LM Studio) gets a collapsed "Thinking" block in the chat, which
 * opens to show the reasoning, while the answer holds only the answer.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import { sampleProject } from './fixtures';

const REASONING = 'The user asks what add does. I have the file in view: it returns a plus b.';

export const thinking: UiScenario = {
  name: 'thinking',
  title: 'a reply that thinks in <think> tags shows a collapsed Thinking block, and the answer without it',
  files: sampleProject,
  turns: [[{ kind: 'text', text: `<think>${REASONING}</think>add returns the sum of its two arguments.` }]],
  async run(session) {
    const { page, shots } = session;
    const chat = await openChat(page);
    await askInChat(chat, 'What does add do?');
    await waitForAnswer(chat, 0, /returns the sum/);
    const first = turn(chat, 0);
    const answer = await first.locator('.answer').innerText();
    assert.ok(!answer.includes('<think>') && !answer.includes('I have the file in view'), `the answer holds the reasoning: ${answer}`);

    const block = first.locator('details.thinking');
    await block.waitFor({ state: 'attached', timeout: 10_000 });
    // The block sits in the turn's step list, which may be collapsed once the turn is answered.
    const steps = first.locator('details.steps').first();
    if (!(await steps.evaluate((d) => (d as HTMLDetailsElement).open))) await first.locator('summary.steps-summary').click();
    assert.equal(await block.evaluate((d) => (d as HTMLDetailsElement).open), false, 'Thinking starts collapsed');
    await shots.take(page, 'thinking-collapsed');
    await block.locator('summary').click();
    await first.locator('.thinking-text', { hasText: 'I have the file in view' }).waitFor({ timeout: 10_000 });
    await shots.take(page, 'thinking-open');
  },
};
