/**
 * The first minute as a newcomer lives it (issue 29): no Glassbox settings, a model server
 * already answering on a loopback port. The chat's empty state offers that server in one click
 * (no URL typed, no OpenAI key asked for); a question asked before choosing starts no run and
 * goes back into the box; after the click it is answered, with the account of what happened
 * under the answer. The trace panel did not open by itself (it would cover the editor); the
 * Trace link opens it on a run that ended before the panel had loaded, and it is not blank.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { CHAT_INPUT, askInChat, openChat, traceFrame, turn, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { sampleProject } from './fixtures';

export const firstMinute: UiScenario = {
  name: 'first-minute',
  title: 'first run: the local server is offered in one click, answered with its account; the trace opens only when asked and is never blank',
  files: sampleProject,
  // No endpoint set: Glassbox starts from its defaults (OpenAI, no key), as after an install.
  settings: { 'glassbox.baseUrl': undefined, 'glassbox.model': undefined },
  turns: [[{ kind: 'text', text: 'It is **a calculator library**.' }]],
  async run(session) {
    const { page, shots, model } = session;
    const port = new URL(model.baseURL).port;
    const chat = await openChat(page);
    const offer = chat.locator('.empty-state button.offer', { hasText: `at 127.0.0.1:${port} — scripted-model` });
    await offer.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal((await chat.locator('.model-badge').innerText()).trim(), 'No model chosen', 'the unchosen default is not shown as the model');
    for (const name of ['Select Provider', 'Set API Key']) await chat.getByRole('button', { name }).first().waitFor({ state: 'visible', timeout: 5_000 });
    await shots.take(page, 'empty-state-offers-local-server');

    // Asked before choosing: no run, no key prompt; the chat says to choose and keeps the question.
    await askInChat(chat, 'What is this project?');
    await chat.locator('.banner.setup', { hasText: 'Choose a model first' }).waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await chat.locator(CHAT_INPUT).inputValue(), 'What is this project?');
    assert.equal(await page.locator('.notifications-center .notification-list-item', { hasText: 'needs an API key' }).count(), 0);
    await shots.take(page, 'asked-before-choosing');

    await chat.locator('.banner.setup button.offer').first().click();
    await chat.locator('.model-badge', { hasText: 'scripted-model' }).waitFor({ state: 'visible', timeout: 15_000 });
    await chat.locator('.banner.setup').waitFor({ state: 'detached', timeout: 15_000 });
    await chat.locator(CHAT_INPUT).press('Enter');
    await waitForAnswer(chat, 0, /calculator library/);
    const account = turn(chat, 0).locator('.account-line');
    assert.match(await account.innerText(), /What happened: No files changed/);
    await shots.take(page, 'answered-with-account');

    // Nothing opened the trace: the editor area keeps what the person had.
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'Glassbox Trace' }).count(), 0, 'the trace panel opened unasked');
    const { requests } = await model.requests();
    assert.equal(requests.length, 1, 'the question asked before choosing did not reach any model');

    // The run has ended before the panel exists: it must show the run, not a blank page.
    await turn(chat, 0).getByRole('button', { name: 'Trace' }).click();
    const trace = await traceFrame(page);
    await waitForTraceRows(trace, [/What is this project/i, /calculator library/i], 20_000);
    await shots.take(page, 'trace-opened-after-fast-run');
  },
};
