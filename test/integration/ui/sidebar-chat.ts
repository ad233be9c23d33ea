/**
 * Sidebar chat: ask, watch the steps stream in (a slow model: the turn shows its running state
 * and the tool step before the answer), then a follow-up question whose model request carries
 * the earlier question and answer.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import { contentOf, sampleProject } from './fixtures';

export const sidebarChat: UiScenario = {
  name: 'sidebar-chat',
  title: 'sidebar chat: steps stream, a follow-up uses the earlier turn',
  files: sampleProject,
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'read_file', args: { path: 'src/math.ts' } }] }],
    [
      { kind: 'chunk-delay', ms: 250 },
      { kind: 'text', text: 'The function add returns the sum of its two numbers, a plus b, as one number.' },
    ],
    [{ kind: 'text', text: 'It is called add, as I said in my previous answer.' }],
  ],
  async run(session) {
    const { page, shots, model } = session;
    const chat = await openChat(page);
    await shots.take(page, 'chat-empty');
    await askInChat(chat, 'What does add do?');

    // Mid-run: the step list already shows the read_file call while the answer is still streaming.
    const first = turn(chat, 0);
    await first.locator('.turn-footer .status.running').waitFor({ state: 'visible', timeout: 20_000 });
    await first.locator('.tool-name', { hasText: 'read_file' }).waitFor({ state: 'attached', timeout: 20_000 });
    await first.locator('.answer', { hasText: /The function/ }).waitFor({ timeout: 20_000 });
    const partial = await first.locator('.answer').innerText();
    await shots.take(page, 'streaming');
    assert.ok(!partial.includes('as one number'), `the answer should still be streaming, but it was complete: ${partial}`);

    await waitForAnswer(chat, 0, /as one number/);
    await shots.take(page, 'first-answer');

    await askInChat(chat, 'And what was its name again?');
    await waitForAnswer(chat, 1, /previous answer/);
    await shots.take(page, 'follow-up-answer');

    const { requests } = await model.requests();
    assert.equal(requests.length, 3);
    const followUp = requests[2].messages.map((message) => `${message.role}: ${contentOf(message)}`).join('\n');
    assert.match(followUp, /user: What does add do\?/, 'the follow-up request carries the first question');
    assert.match(followUp, /assistant: The function add returns the sum/, 'and the first answer');
    assert.match(followUp, /user: And what was its name again\?/);
  },
};
