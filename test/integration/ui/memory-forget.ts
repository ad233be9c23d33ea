/**
 * Memory through the extension's own UI: "Glassbox: Remember a Fact" (input box, then the scope
 * pick) adds a fact, the Memory view lists it, a related question recalls it (the chat says so
 * and the model's system prompt carries it); the tree item's Forget button asks with a modal,
 * and after "Forget" the view is empty and the next question is sent without the fact.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import type { RecordedRequest } from '../harness/scripted-model';
import { clickModalButton, runCommand, waitForInputBox, waitForModal } from '../harness/workbench';
import { contentOf, sampleProject } from './fixtures';

const FACT = 'Integration tests need docker compose up before they run.';
const RELATED_TASK = 'How do I run the integration tests?';

export const memoryForget: UiScenario = {
  name: 'memory-forget',
  title: 'Memory view: a fact added by hand is recalled; Forget (confirmed in the modal) removes it from the view and from recall',
  files: sampleProject,
  turns: [[{ kind: 'text', text: 'Start docker compose first, then run them.' }], [{ kind: 'text', text: 'Run them with the test script.' }]],
  async run(session) {
    const { page, shots, model } = session;
    await runCommand(page, 'Glassbox: Remember a Fact');
    const input = await waitForInputBox(page, 'Remember a Fact');
    await input.fill(FACT);
    await acceptFactThenPickScope(page);

    await runCommand(page, 'Glassbox: Show Memory');
    const row = memoryRow(page);
    await row.waitFor({ timeout: 15_000 });
    await shots.take(page, 'fact-added');

    const chat = await openChat(page);
    await askInChat(chat, RELATED_TASK);
    await waitForAnswer(chat, 0, /docker compose first/);
    const recalledItem = turn(chat, 0).locator('.step-item.memory');
    await recalledItem.waitFor({ state: 'attached', timeout: 5_000 });
    assert.match((await recalledItem.textContent()) ?? '', /Recalled 1 fact from memory.*docker compose up/s);
    assert.ok(systemPrompt((await model.requests()).requests[0]).includes(FACT), 'the recalled fact is not in the model request');
    await shots.take(page, 'recalled');

    // The tree item's inline Forget button (shown on hover), then the modal's "Forget".
    await runCommand(page, 'Glassbox: Show Memory');
    await row.hover();
    await row.locator('.action-label[aria-label="Forget"]').click();
    const dialog = await waitForModal(page, 10_000);
    assert.match(await dialog.innerText(), /Forget this fact\?/);
    await shots.take(page, 'confirm-forget');
    await clickModalButton(dialog, 'Forget');
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await memoryPane(page).getByText('Nothing remembered yet', { exact: false }).waitFor({ timeout: 10_000 });
    await shots.take(page, 'forgotten');

    const chatAgain = await openChat(page);
    await askInChat(chatAgain, RELATED_TASK);
    await waitForAnswer(chatAgain, 1, /test script/);
    assert.equal(await turn(chatAgain, 1).locator('.step-item.memory').count(), 0, 'a forgotten fact was recalled');
    const { requests } = await model.requests();
    assert.equal(requests.length, 2);
    assert.ok(!systemPrompt(requests[1]).includes(FACT), 'a forgotten fact was still sent to the model');
    await shots.take(page, 'asked-again');
  },
};

/**
 * Enter in the fact's input box, then "This workspace" in the scope pick that follows. Enter is
 * ignored while the extension host validates the text, so it is pressed again while the input
 * box is still the one open; never once the pick is up (it would pick its first item).
 */
export async function acceptFactThenPickScope(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const factBox = widget.locator('.quick-input-title', { hasText: 'Remember a Fact' });
  const scopePick = widget.locator('.quick-input-title', { hasText: 'Where should Glassbox recall it?' });
  const deadline = Date.now() + 20_000;
  while (!(await scopePick.isVisible())) {
    assert.ok(Date.now() < deadline, 'the scope pick never followed the fact input box');
    if (await factBox.isVisible()) await widget.locator('.quick-input-box input').press('Enter');
    await scopePick.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
  }
  await widget.locator('[role="option"]', { hasText: 'This workspace' }).click();
  await scopePick.waitFor({ state: 'hidden', timeout: 10_000 });
}

function memoryPane(page: Page) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Memory/ }) });
}

function memoryRow(page: Page) {
  return memoryPane(page).locator('.monaco-list-row', { hasText: FACT.slice(0, 40) });
}

function systemPrompt(request: RecordedRequest | undefined): string {
  assert.ok(request, 'the model was not called');
  return contentOf(request.messages.find((message) => message.role === 'system'));
}
