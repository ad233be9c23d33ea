/**
 * Stop during a slow model call: the model waits 30 s before its first byte; clicking Stop in
 * the chat ends the run (the turn says "Stopped by you") long before the model would have
 * answered. The latency is noted in the summary; its target (under a second) is a benchmark
 * figure, not a timed assertion that a loaded machine would fail.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, turn } from '../harness/glassbox-ui';
import { sampleProject } from './fixtures';

export const stopRun: UiScenario = {
  name: 'stop-run',
  title: 'Stop during a slow model call ends the run long before the model answers',
  files: sampleProject,
  turns: [[{ kind: 'delay', ms: 30_000 }, { kind: 'text', text: 'Too late: this answer should never be shown.' }]],
  async run(session) {
    const { page, shots, model } = session;
    const chat = await openChat(page);
    await askInChat(chat, 'Take your time and summarise everything.');
    const first = turn(chat, 0);
    await first.locator('.turn-footer .status.running').waitFor({ state: 'visible', timeout: 20_000 });
    // The request must really be in flight at the model before we stop it.
    const deadline = Date.now() + 20_000;
    while ((await model.requests()).requestCount === 0) {
      assert.ok(Date.now() < deadline, 'the model was never called');
      await page.waitForTimeout(100);
    }
    await shots.take(page, 'running');

    const stop = chat.locator('.composer button', { hasText: 'Stop' });
    const clicked = Date.now();
    await stop.click();
    // Far below the model's 30 s delay: only a cancelled request ends this soon.
    await first.locator('.turn-footer', { hasText: 'Stopped by you' }).waitFor({ timeout: 10_000 });
    const elapsed = Date.now() - clicked;
    session.notes.push(`Stop → "Stopped by you" in ${elapsed} ms`);
    await shots.take(page, 'stopped');
    assert.ok(!(await first.innerText()).includes('Too late'), 'no answer after Stop');
  },
};
