/**
 * Playwright steps in Glassbox's own UI: the sidebar chat (webview view `glassbox.chat`) and
 * the "Glassbox Trace" panel. Selectors are the classes the webview bundles render
 * (src/webview/chat-*.ts, trace-*.ts); each waits with a timeout and fails with what it saw.
 */
import type { Frame, Page } from 'playwright-core';
import { runCommand, waitForWebviewWith } from './workbench';

export const CHAT_INPUT = '.composer-input';
export const TRACE_TOOLBAR = '.trace-toolbar';

/** Opens the Glassbox sidebar on its Chat view and returns the chat's content frame. */
export async function openChat(page: Page): Promise<Frame> {
  await runCommand(page, 'Glassbox: Focus on Chat View');
  return waitForWebviewWith(page, CHAT_INPUT, 30_000);
}

export async function traceFrame(page: Page): Promise<Frame> {
  return waitForWebviewWith(page, TRACE_TOOLBAR, 30_000);
}

/** Types a question into the chat and sends it with Enter. */
export async function askInChat(chat: Frame, question: string): Promise<void> {
  const input = chat.locator(CHAT_INPUT);
  await input.click();
  await input.fill(question);
  await input.press('Enter');
}

/** The n-th (0-based) turn of the chat transcript. */
export function turn(chat: Frame, index: number) {
  return chat.locator('article.turn').nth(index);
}

/** Waits until turn `index` shows an answer containing `text`, and has finished. */
export async function waitForAnswer(chat: Frame, index: number, text: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const answer = turn(chat, index).locator('.answer');
  await answer.filter({ hasText: text }).waitFor({ state: 'visible', timeout: timeoutMs });
  await turn(chat, index).locator('.turn-footer .status.running').waitFor({ state: 'detached', timeout: timeoutMs });
}

/** The one-line texts of the trace rows currently rendered, top to bottom. */
export async function traceRowTexts(trace: Frame): Promise<string[]> {
  const texts = await trace.locator('.trow .trow-main').allInnerTexts();
  return texts.map((text) => text.replace(/\s+/g, ' ').trim());
}

/** Waits until the trace's rows include one whose summary matches each pattern, in order. */
export async function waitForTraceRows(trace: Frame, patterns: readonly RegExp[], timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  for (;;) {
    rows = await traceRowTexts(trace).catch(() => []);
    if (inOrder(rows, patterns)) return rows;
    if (Date.now() > deadline) {
      throw new Error(`trace rows never matched ${patterns.join(' → ')}; rows were:\n  ${rows.join('\n  ')}`);
    }
    await trace.page().waitForTimeout(200);
  }
}

function inOrder(rows: readonly string[], patterns: readonly RegExp[]): boolean {
  let at = 0;
  for (const pattern of patterns) {
    while (at < rows.length && !pattern.test(rows[at])) at++;
    if (at === rows.length) return false;
    at++;
  }
  return true;
}
