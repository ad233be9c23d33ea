/**
 * "Get started with Glassbox" done as a newcomer does it (issue 29 §3, §5): no settings, a model
 * server on a loopback port. Choose it in the chat, ask, open the trace, approve a small change
 * and Undo it; each walkthrough step is checked off by doing it. The restore is in the chat
 * ("Restored 1 file to before step 1 (CHANGELOG.md)", the answer marked undone), in the trace,
 * and in the next model request. The clipped screenshots are the walkthrough's images
 * (copied to media/walkthrough/).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, traceFrame, turn, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { clickModalButton, runCommand, waitForModal } from '../harness/workbench';
import { contentOf, sampleProject } from './fixtures';

const STEPS = ['chooseModel', 'askQuestion', 'openTrace', 'approveAndRestore'] as const;

export const walkthrough: UiScenario = {
  name: 'walkthrough',
  title: 'Get started walkthrough: choose the local model, ask, open the trace, approve and undo a change — each step checked off; the restore is in the chat, the trace and the next request',
  files: sampleProject,
  settings: { 'glassbox.baseUrl': undefined, 'glassbox.model': undefined },
  turns: [
    [{ kind: 'text', text: 'It is **a calculator library** with add and multiply.' }],
    [{ kind: 'tool-calls', calls: [{ name: 'write_file', args: { path: 'CHANGELOG.md', content: '# Changelog\n\n- First release.\n' } }] }],
    [{ kind: 'text', text: 'Created CHANGELOG.md with one entry.' }],
    [{ kind: 'text', text: 'No: it was restored away, so there is no changelog now.' }],
  ],
  async run(session) {
    const { page, shots, model, dirs, outDir } = session;
    const clip = (name: string, part = '.part.sidebar', width?: number) => clipShot(page, join(outDir, `walkthrough-${name}.png`), part, width);

    await openWalkthrough(page);
    await shots.take(page, 'walkthrough-open');

    // 1. Choose a model: the server running here, in one click.
    const chat = await openChat(page);
    const offer = chat.locator('.empty-state button.offer');
    await offer.waitFor({ state: 'visible', timeout: 20_000 });
    await clip('choose-model');
    await offer.click();
    await chat.locator('.model-badge', { hasText: 'scripted-model' }).waitFor({ state: 'visible', timeout: 15_000 });

    // 2. A first question.
    await askInChat(chat, 'What is this project?');
    await waitForAnswer(chat, 0, /calculator library/);
    await clip('first-answer');

    // 3. Its trace, from the Trace link.
    await turn(chat, 0).getByRole('button', { name: 'Trace' }).click();
    const trace = await traceFrame(page);
    await waitForTraceRows(trace, [/What is this project/i, /calculator library/i], 20_000);
    await clip('trace', 'body', 1000);

    // 4. A small change, approved, then undone from under the answer.
    await askInChat(chat, 'Add a CHANGELOG.md with one line.');
    await clickModalButton(await waitForModal(page), 'Allow once');
    await waitForAnswer(chat, 1, /Created CHANGELOG/);
    assert.ok(existsSync(join(dirs.workspace, 'CHANGELOG.md')));
    const second = turn(chat, 1);
    assert.match(await second.locator('.account-line').innerText(), /1 file changed \(CHANGELOG\.md\)/);
    await second.locator('.account-undo').getByRole('button', { name: 'Undo' }).click();
    const options = page.locator('.quick-input-widget [role="option"]');
    await options.filter({ hasText: 'Restore 1 file' }).click({ timeout: 20_000 });
    await second.locator('.answer.undone').waitFor({ state: 'visible', timeout: 15_000 });
    await second.locator('.undone-note').waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal(existsSync(join(dirs.workspace, 'CHANGELOG.md')), false, 'the restore removed the file the answer created');
    await second.locator('details.steps > summary.steps-summary').click();
    await second.locator('.step-items', { hasText: 'Restored 1 file to before step 1 (CHANGELOG.md).' }).waitFor({ state: 'visible', timeout: 10_000 });
    await clip('restore');
    await waitForTraceRows(trace, [/write_file/, /Restored 1 file to before step 1 \(CHANGELOG\.md\)/], 20_000);
    await shots.take(page, 'restore-in-chat-and-trace');

    // The next request tells the model what was put back.
    await askInChat(chat, 'Is the changelog still there?');
    await waitForAnswer(chat, 2, /restored away/);
    const { requests } = await model.requests();
    const last = requests.at(-1)!.messages.map((message) => contentOf(message)).join('\n');
    assert.match(last, /restored CHANGELOG\.md to its content before step 1/);

    // Every step of the walkthrough is checked off.
    await openWalkthrough(page);
    for (const step of STEPS) {
      // The step button says it is done with aria-checked (its check mark gets class `complete`).
      const button = page.locator(`.getting-started-step[data-step-id="glassbox.glassbox#firstMinute#${step}"]`);
      await page
        .locator(`.getting-started-step[data-step-id="glassbox.glassbox#firstMinute#${step}"][aria-checked="true"]`)
        .waitFor({ state: 'attached', timeout: 15_000 })
        .catch(async () => {
          const html = await button.evaluate((el) => el.outerHTML.slice(0, 300)).catch(() => '(no such step element)');
          throw new Error(`walkthrough step ${step} is not checked off: ${html}`);
        });
    }
    await shots.take(page, 'walkthrough-complete');
  },
};

async function openWalkthrough(page: Page): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const option = page.locator('.quick-input-widget [role="option"]', { hasText: 'Get started with Glassbox' }).first();
  await option.waitFor({ state: 'visible', timeout: 15_000 });
  await option.click();
  await page.locator('.getting-started-step').first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** A screenshot of one part of the workbench (the side bar), small enough to ship as a walkthrough image. */
async function clipShot(page: Page, path: string, part: string, width?: number): Promise<void> {
  const box = await page.locator(part).first().boundingBox();
  assert.ok(box, `${part} has no box`);
  await page.screenshot({ path, clip: { x: box.x, y: box.y, width: width ?? box.width, height: Math.min(box.height, 520) } });
}
