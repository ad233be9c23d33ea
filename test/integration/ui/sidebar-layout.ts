/**
 * The chat fits the side bar (issue 29 §2): at 240, 300 and 400 px, in the primary and the
 * secondary side bar, every element's box lies inside the view (nothing clipped at the edge,
 * nothing scrolled sideways), no button or label cuts its own text without an ellipsis, and the
 * header's title ends in an ellipsis with the full title on hover. The chat holds a turn with a
 * step, an answer, its account and "N files changed · Undo", so what is measured is what a
 * person sees after a first change.
 */
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { UiScenario } from '../harness/ui-scenario';
import { CHAT_INPUT, askInChat, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import { clickModalButton, runCommand, waitForModal, waitForWebviewWith } from '../harness/workbench';
import { sampleProject } from './fixtures';

const WIDTHS = [240, 300, 400] as const;
const TITLE = 'Add a changelog entry for the calculator release, with the date and a line per change';

export const sidebarLayout: UiScenario = {
  name: 'sidebar-layout',
  title: 'the chat fits 240/300/400 px in the primary and the secondary side bar: no element outside the view, titles end in an ellipsis',
  files: sampleProject,
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'write_file', args: { path: 'CHANGELOG.md', content: '# Changelog\n\n- First release.\n' } }] }],
    [{ kind: 'text', text: 'Created CHANGELOG.md with a first entry.' }],
  ],
  async run(session) {
    const { page, shots } = session;
    let chat = await openChat(page);
    await askInChat(chat, TITLE);
    await clickModalButton(await waitForModal(page), 'Allow once');
    await waitForAnswer(chat, 0, /CHANGELOG/);
    await turn(chat, 0).locator('.account-undo', { hasText: '1 file changed' }).waitFor({ state: 'visible', timeout: 15_000 });

    for (const width of WIDTHS) {
      await resizeBar(page, '.part.sidebar', 'right', width);
      await checkFits(chat, `primary side bar at ${width} px`, width);
      await shots.take(page, `primary-${width}`);
    }

    await moveChatToSecondaryBar(page);
    // Its palette command is now the new container's ("User View Container: Focus on Chat View").
    chat = await waitForWebviewWith(page, CHAT_INPUT, 30_000);
    for (const width of WIDTHS) {
      await resizeBar(page, '.part.auxiliarybar', 'left', width);
      await checkFits(chat, `secondary side bar at ${width} px`, width);
      await shots.take(page, `secondary-${width}`);
    }
  },
};

/** Drags the bar's sash until the bar is `width` px wide (its edge toward the editor moves). */
async function resizeBar(page: Page, part: string, edge: 'left' | 'right', width: number): Promise<void> {
  const bar = page.locator(part);
  await bar.waitFor({ state: 'visible', timeout: 15_000 });
  const widths: number[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const box = await bar.boundingBox();
    assert.ok(box, `${part} has no box`);
    widths.push(Math.round(box.width));
    if (Math.abs(box.width - width) <= 2) return;
    const y = box.y + box.height / 2;
    // The sash sits in the gap just outside the part's edge.
    const from = edge === 'right' ? box.x + box.width + 2 : box.x - 2;
    const to = edge === 'right' ? box.x + width + 2 : box.x + box.width - width - 2;
    await page.mouse.move(from, y);
    await page.mouse.down();
    await page.mouse.move((from + to) / 2, y, { steps: 4 });
    await page.mouse.move(to, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(300);
  }
  const box = await bar.boundingBox();
  assert.ok(box && Math.abs(box.width - width) <= 2, `${part} is ${box?.width} px wide, not ${width} (widths on the way: ${widths.join(', ')})`);
}

/** "View: Move View" on the chat, to a new entry of the secondary side bar. */
async function moveChatToSecondaryBar(page: Page): Promise<void> {
  await runCommand(page, 'View: Move View');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.fill('Chat');
  const view = widget.locator('[role="option"]', { hasText: /^Chat/ }).first();
  await view.waitFor({ state: 'visible', timeout: 10_000 });
  // The chat view of Glassbox (other extensions' "Chat" views are not installed here).
  await input.press('Enter');
  await input.fill('Secondary Side Bar');
  const destination = widget.locator('[role="option"]', { hasText: /New Secondary Side Bar Entry|Secondary Side Bar/ }).first();
  await destination.waitFor({ state: 'visible', timeout: 10_000 });
  await destination.click();
  await page.locator('.part.auxiliarybar').waitFor({ state: 'visible', timeout: 15_000 });
}

/** Measures every element of the chat page against the view; throws naming each overflow. */
async function checkFits(chat: Frame, where: string, width: number): Promise<void> {
  // Let the webview take its new size.
  await chat.waitForFunction((expected) => Math.abs(document.documentElement.clientWidth - expected) < 40, width, { timeout: 10_000 });
  const report = await chat.evaluate(() => {
    const viewWidth = document.documentElement.clientWidth;
    const problems: string[] = [];
    const name = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''}` +
      ` "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    const scrolling = document.scrollingElement ?? document.documentElement;
    if (scrolling.scrollWidth > viewWidth + 1) problems.push(`the page scrolls sideways (${scrolling.scrollWidth} > ${viewWidth})`);
    for (const element of document.querySelectorAll('body *')) {
      if (element.closest('.sr-only, pre, [hidden]')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > viewWidth + 0.5 || box.left < -0.5) problems.push(`${name(element)} spans ${Math.round(box.left)}–${Math.round(box.right)} of ${viewWidth}`);
    }
    // An ellipsis is drawn only by a block's own line: on a flex box text-overflow does nothing.
    const ellipsizes = (style: CSSStyleDeclaration) => style.textOverflow === 'ellipsis' && !style.display.includes('flex');
    for (const element of document.querySelectorAll('button, label, .title-text, .model-badge, .meter, .account-text')) {
      if (element.closest('[hidden]')) continue;
      const html = element as HTMLElement;
      if (html.scrollWidth > html.clientWidth + 1 && !ellipsizes(getComputedStyle(html))) {
        problems.push(`${name(element)} cuts its text (${html.scrollWidth} > ${html.clientWidth}) without an ellipsis`);
      }
    }
    // Inside the header and the composer, no element may stick out of a box that hides overflow.
    for (const element of document.querySelectorAll('.chat-header *, .composer *, .banners *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX === 'visible') continue;
        const outer = parent.getBoundingClientRect();
        if (box.right > outer.right + 0.5 || box.left < outer.left - 0.5) problems.push(`${name(element)} is cut off by ${name(parent)}`);
        break;
      }
    }
    const title = document.querySelector<HTMLElement>('.title-text');
    const titleButton = document.querySelector<HTMLElement>('.chat-title');
    return {
      viewWidth,
      problems,
      titleEllipsis: title ? getComputedStyle(title).textOverflow : 'missing',
      titleHover: titleButton?.title ?? '',
      titleShown: title ? title.clientWidth : 0,
    };
  });
  assert.deepEqual(report.problems, [], `${where} (view ${report.viewWidth} px): ${report.problems.join('; ')}`);
  assert.equal(report.titleEllipsis, 'ellipsis', `${where}: the title does not end in an ellipsis`);
  assert.ok(report.titleHover.startsWith('Add a changelog entry'), `${where}: the full title is not on hover (${report.titleHover})`);
  assert.ok(report.titleShown >= 40, `${where}: only ${report.titleShown} px of the title are shown`);
}
