/**
 * Playwright helpers for the VS Code workbench: wait for it, run a command from the palette,
 * answer the modal dialog, find a Glassbox webview's content frame, take numbered screenshots.
 * Selectors are VS Code's own DOM classes (stable across recent versions).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';

export const EXTENSION_ID = 'glassbox.glassbox';

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The status bar appears once the workbench has restored its parts.
  await page.locator('.part.statusbar').waitFor({ timeout: 30_000 });
}

/**
 * Runs a command by its palette title ("Glassbox: Ask Agent"). Contributed commands are listed
 * only once the extension host is up, so a miss is retried for up to `timeoutMs`.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const option = page
      .locator('.quick-input-widget [role="option"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      // Short: the palette may close at once (a view taking focus after a reload); retry then.
      await input.fill(`>${title}`, { timeout: 3_000 });
      await option.first().waitFor({ state: 'visible', timeout: 3_000 });
      // The list re-renders while the extension host registers commands, so the row may never
      // be "stable" enough for a click on a busy machine; Enter on the focused row is the same pick.
      const focused = page.locator('.quick-input-widget [role="option"].focused');
      if ((await focused.getAttribute('aria-label', { timeout: 1_000 }).catch(() => null))?.startsWith(title)) {
        await page.keyboard.press('Enter');
      } else {
        await option.first().click({ timeout: 3_000 });
      }
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`"${title}" never appeared in the command palette: ${String(error)}`);
    }
  }
}

/**
 * Presses Enter in an open input box until it closes. An extension's `validateInput` answers
 * from the extension host, and Enter is ignored while that answer is pending, which on a busy
 * machine can take a while; so a box still open after a moment gets Enter again.
 */
export async function submitInputBox(page: Page): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (!(await input.isVisible())) return;
    await input.press('Enter', { timeout: 2_000 }).catch(() => undefined);
    try {
      await input.waitFor({ state: 'hidden', timeout: 2_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the input box did not accept Enter: ${String(error)}`);
    }
  }
}

/**
 * The input box an extension opened with `title` (showInputBox). Waiting for the title matters:
 * right after a palette pick the same widget still shows the palette's own input for a moment.
 */
export async function waitForInputBox(page: Page, title: string): Promise<Locator> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 15_000 });
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  return input;
}

/** The modal dialog (approval): `.monaco-dialog-box`, waited for. */
export async function waitForModal(page: Page, timeoutMs = 30_000): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  return dialog;
}

export async function clickModalButton(dialog: Locator, name: string | RegExp): Promise<void> {
  await dialog.getByRole('button', { name }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * The content frames of Glassbox's webviews. Each webview is an outer `iframe.webview` whose
 * URL names the extension and an inner `#active-frame` holding the page the extension wrote.
 */
export function glassboxWebviewFrames(page: Page): Frame[] {
  return page.frames().filter((frame) => frame.parentFrame()?.url().includes(`extensionId=${EXTENSION_ID}`) ?? false);
}

/**
 * Waits until a Glassbox webview frame has an element matching `selector` and returns that frame
 * (the chat view and the trace panel are told apart by what they contain).
 */
export async function waitForWebviewWith(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of glassboxWebviewFrames(page)) {
      const found = await frame.locator(selector).count().catch(() => 0);
      if (found > 0) return frame;
    }
    if (Date.now() > deadline) {
      const urls = page.frames().map((frame) => frame.url()).join('\n  ');
      throw new Error(`no Glassbox webview contains ${selector} after ${timeoutMs} ms; frames:\n  ${urls}`);
    }
    await page.waitForTimeout(200);
  }
}

/** Numbered screenshots of one scenario into test-results/e2e/<scenario>/. */
export class Screenshots {
  #count = 0;
  readonly taken: string[] = [];
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async take(page: Page, label: string): Promise<string> {
    const path = join(this.dir, `${String(++this.#count).padStart(2, '0')}-${label}.png`);
    await page.screenshot({ path });
    this.taken.push(path);
    return path;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Waits until the notification center lists a message containing `text`. (In code-server's
 * headless workbench the messages reach the center but no toast is drawn, so the center is
 * the reliable place to read them.) Leaves the center open; `clearNotifications` empties it.
 */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const center = page.locator('.notifications-center');
  const item = center.locator('.notification-list-item', { hasText: text }).first();
  const deadline = Date.now() + timeoutMs;
  // The center does not open while it is empty, so it is (re)opened until the message is there.
  while (!(await item.isVisible())) {
    if (Date.now() > deadline) {
      const listed = (await center.innerText().catch(() => '')) || '(nothing)';
      throw new Error(`no notification matching ${String(text)} within ${timeoutMs} ms; the center listed: ${listed}`);
    }
    if (!(await center.isVisible())) await runCommand(page, 'Notifications: Show Notifications');
    await page.waitForTimeout(300);
  }
  return item.innerText();
}

/** Clears every notification and closes the center. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.keyboard.press('Escape');
}

/**
 * "Developer: Reload Window", as a person would: the workbench shuts down properly (saving its
 * state, which a bare page reload skips), the extension host restarts, and we wait for the new
 * workbench.
 */
export async function reloadWindow(page: Page): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await navigated;
  await waitForWorkbench(page);
}
