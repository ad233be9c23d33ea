/**
 * Webview speed on long runs: the built trace bundle, in real Chromium (playwright-core), on a
 * standalone test page (test/bench/fixtures/, with a stub acquireVsCodeApi), fed 5,000 synthetic
 * but realistic events. Measures:
 * - time to paint a 5,000-event snapshot (traceState): from posting the message to the frame after
 *   the panel rendered it;
 * - time to paint the same events arriving live as 5,000 traceEvent messages at once;
 * - frame times while the run streams in (25 events a frame) and during a scripted scroll from
 *   top to bottom and back (p50/p95/max of requestAnimationFrame intervals);
 * - DOM nodes in the page (virtualization keeps it bounded however long the run).
 * Also saves screenshots of the trace panel and the chat view to bench-results/ for a look.
 *
 * Run alone after a build: `node dist-test/test/bench/webview.js` (needs /usr/bin/chromium;
 * env WEBVIEW_BENCH_EVENTS changes the size, WEBVIEW_BENCH_ROUNDS the repeats).
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { AgentEvent } from '../../src/agent/events';
import type { ChatState, ToChatViewMessage, ToTracePanelMessage } from '../../src/shared/protocol';
import { syntheticRun } from './fixtures/synthetic-run';

const root = resolve(__dirname, '../../..');
const EVENTS = Number(process.env.WEBVIEW_BENCH_EVENTS ?? 5_000);
const ROUNDS = Number(process.env.WEBVIEW_BENCH_ROUNDS ?? 5);
const PAINT_TARGET_MS = 300;
const FRAME_TARGET_MS = 16.7;
const outDir = join(root, 'bench-results');

declare global {
  interface Window {
    __posts: unknown[];
  }
}

async function openPage(page: Page, name: 'trace' | 'chat'): Promise<void> {
  await page.goto(pathToFileURL(join(root, 'test/bench/fixtures', `${name}-page.html`)).href);
  await page.waitForFunction(() => window.__posts.some((m) => (m as { type?: string }).type === 'ready'));
}

/** Posts a message the way the host does and resolves after the next frame has painted. */
async function postAndPaint(page: Page, messages: readonly unknown[]): Promise<number> {
  return page.evaluate(async (batch) => {
    const start = performance.now();
    for (const message of batch) window.postMessage(message, '*');
    // Messages are delivered as tasks; the panel renders in a frame; the timeout after that
    // frame's rAF runs once it has been painted.
    await new Promise<void>((done) => {
      const waitForQueue = () => setTimeout(() => requestAnimationFrame(() => setTimeout(done, 0)), 0);
      waitForQueue();
    });
    return performance.now() - start;
  }, messages);
}

/** What the page does on each frame while frame times are measured. */
type FrameScript = { kind: 'scroll'; pixels: number; turnAt: number } | { kind: 'stream'; perFrame: number };

/** Runs `script` on each of `frames` animation frames; returns the intervals between them. */
async function frameTimes(page: Page, frames: number, script: FrameScript): Promise<{ intervals: number[]; maxNodes: number }> {
  return page.evaluate(
    async ({ frames, script }) => {
      const list = document.querySelector<HTMLElement>('.vlist')!;
      const events = (window as unknown as { __events?: AgentEvent[] }).__events ?? [];
      const step = (frame: number) => {
        if (script.kind === 'scroll') list.scrollTop += frame < script.turnAt ? script.pixels : -script.pixels;
        else {
          for (const event of events.slice(frame * script.perFrame, (frame + 1) * script.perFrame)) {
            window.postMessage({ type: 'traceEvent', runId: event.runId, event }, '*');
          }
        }
      };
      const intervals: number[] = [];
      let maxNodes = 0;
      await new Promise<void>((done) => {
        let last = 0;
        let frame = 0;
        const tick = (now: number) => {
          if (last !== 0) intervals.push(now - last);
          last = now;
          maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length);
          if (frame === frames) return done();
          step(frame++);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      return { intervals, maxNodes };
    },
    { frames, script },
  );
}

const domNodes = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);
const median = (values: number[]) => percentile(values, 50);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const events = syntheticRun({ runId: 'run-bench', targetEvents: EVENTS });
  const runs = [{ runId: 'run-bench', task: (events[0] as { task?: string }).task ?? '', startedAt: events[0]!.time }];
  const snapshot: ToTracePanelMessage = { type: 'traceState', runs, selectedRunId: 'run-bench', events };
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const rows: [string, string, string][] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });

    // 1. A snapshot of the whole run.
    const paints: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await openPage(page, 'trace');
      paints.push(await postAndPaint(page, [snapshot]));
    }
    const rowCount = await page.evaluate(() => document.querySelectorAll('.trow').length);
    const nodesAfterSnapshot = await domNodes(page);
    rows.push([`Paint ${EVENTS.toLocaleString()}-event snapshot (median of ${ROUNDS})`, ms(median(paints)), `≤ ${PAINT_TARGET_MS} ms`]);
    rows.push(['DOM nodes in the page after it', String(nodesAfterSnapshot), `bounded (${rowCount} rows rendered)`]);
    await page.screenshot({ path: join(outDir, 'trace-top.png') });

    // 2. Scripted scroll: down the whole run, then back up.
    const scrollHeight = await page.evaluate(() => document.querySelector('.vlist')!.scrollHeight);
    const perFrame = Math.ceil(scrollHeight / 120);
    const scroll = await frameTimes(page, 240, { kind: 'scroll', pixels: perFrame, turnAt: 120 });
    rows.push([`Scroll frame time p50 / p95 (240 frames, ${perFrame} px each)`, `${ms(median(scroll.intervals))} / ${ms(percentile(scroll.intervals, 95))}`, `p95 ≤ ${FRAME_TARGET_MS} ms`]);
    rows.push(['Scroll frame time max', ms(Math.max(...scroll.intervals)), '']);
    rows.push(['DOM nodes, most during the scroll', String(scroll.maxNodes), 'bounded']);

    // Expanded rows re-measure: open the first few tool rows, including a tainted one.
    await page.evaluate(() => {
      const list = document.querySelector<HTMLElement>('.vlist')!;
      list.scrollTop = 0;
    });
    await page.waitForTimeout(100);
    for (const selector of ['.kind-model-call .trow-line', '.kind-tool .trow-line', '.kind-tool.tainted .trow-line']) {
      const line = page.locator(selector).first();
      if ((await line.count()) > 0) {
        await line.scrollIntoViewIfNeeded();
        await line.click();
      }
    }
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(outDir, 'trace-expanded.png') });

    // 3. The same run arriving live, all 5,000 messages at once.
    const live: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await openPage(page, 'trace');
      live.push(await postAndPaint(page, events.map((event) => ({ type: 'traceEvent', runId: event.runId, event }))));
    }
    rows.push([`Paint ${EVENTS.toLocaleString()} live traceEvent messages (median of ${ROUNDS})`, ms(median(live)), `≤ ${PAINT_TARGET_MS} ms`]);

    // 4. A live run streaming in: 25 events a frame, following the end.
    await openPage(page, 'trace');
    await page.evaluate((all) => ((window as unknown as { __events: AgentEvent[] }).__events = all), events);
    const frames = Math.ceil(EVENTS / 25);
    const streaming = await frameTimes(page, frames, { kind: 'stream', perFrame: 25 });
    rows.push([`Frame time while streaming (25 events/frame, ${frames} frames) p50 / p95`, `${ms(median(streaming.intervals))} / ${ms(percentile(streaming.intervals, 95))}`, `p95 ≤ ${FRAME_TARGET_MS} ms`]);
    rows.push(['DOM nodes, most while streaming', String(streaming.maxNodes), 'bounded']);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(outDir, 'trace-live-end.png') });

    // 5. The chat view with a few turns, for a look.
    await openPage(page, 'chat');
    await page.setViewportSize({ width: 420, height: 900 });
    await postAndPaint(page, [{ type: 'state', state: chatState() } satisfies ToChatViewMessage]);
    await page.locator('.steps > summary').first().click();
    await page.locator('.tool .tool-summary').first().click();
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(outDir, 'chat.png') });
  } finally {
    await browser.close();
  }
  const chat = statSync(join(root, 'dist/webview/chat.js')).size;
  const trace = statSync(join(root, 'dist/webview/trace.js')).size;
  rows.push(['Bundle chat.js + trace.js (minified)', `${(chat / 1024).toFixed(1)} KiB + ${(trace / 1024).toFixed(1)} KiB = ${((chat + trace) / 1024).toFixed(1)} KiB (${(chat + trace).toLocaleString()} bytes)`, '< 150 KB']);

  console.log(`\n### Webview (trace panel, ${EVENTS.toLocaleString()} events; Chromium ${browser.version()})\n`);
  console.log('| Measure | Result | Target |');
  console.log('| --- | --- | --- |');
  for (const [measure, result, target] of rows) console.log(`| ${measure} | ${result} | ${target} |`);
  console.log(`\nScreenshots: ${outDir}/{trace-top,trace-expanded,trace-live-end,chat}.png`);
}

/** Three turns: two answered (one with a code block and a denied write), one still running. */
function chatState(): ChatState {
  const first = syntheticRun({ runId: 'run-a', targetEvents: 40, seed: 3, task: 'Why does the build fail on Windows?' });
  const second = syntheticRun({ runId: 'run-b', targetEvents: 60, seed: 7, task: 'Fix it and add a test.' });
  const third = syntheticRun({ runId: 'run-c', targetEvents: 30, seed: 11, task: 'Now run the whole test suite.' });
  const running = third.slice(0, third.findIndex((event) => event.type === 'tool-result') + 1);
  return {
    chatId: 'chat-1',
    title: 'Windows build failure',
    model: 'gpt-4o-mini',
    turns: [
      { runId: 'run-a', question: 'Why does the build fail on Windows?', events: first },
      { runId: 'run-b', question: 'Fix it and add a test.', events: second },
      { runId: 'run-c', question: 'Now run the whole test suite.', events: running },
    ],
    runningRunId: 'run-c',
    totals: { inputTokens: 48_210, outputTokens: 2_305, costUsd: 0.0086 },
    pastChats: [],
    allowances: [{ tool: 'edit_file', pattern: 'src/build/**', grantedAt: Date.now() }],
    restricted: false,
    configured: true,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
