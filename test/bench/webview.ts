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
 * Wall-clock times swing with whatever else runs on the machine, so each measure is also taken as
 * main-thread CPU time from a Chromium trace (thread time of the renderer's tasks, per frame):
 * that is the work the page itself costs, and what the frame budget is about. The load average
 * is printed beside the table.
 *
 * Run alone after a build: `node dist-test/test/bench/webview.js` (needs /usr/bin/chromium;
 * env WEBVIEW_BENCH_EVENTS changes the size, WEBVIEW_BENCH_ROUNDS the repeats).
 */
import { mkdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AgentEvent } from '../../src/agent/events';
import type { ChatState, ToChatViewMessage, ToTracePanelMessage } from '../../src/shared/protocol';
import { syntheticRun } from './fixtures/synthetic-run';

const root = resolve(__dirname, '../../..');
const EVENTS = Number(process.env.WEBVIEW_BENCH_EVENTS ?? 5_000);
const ROUNDS = Number(process.env.WEBVIEW_BENCH_ROUNDS ?? 5);
const PAINT_TARGET_MS = 300;
const FRAME_TARGET_MS = 16.7;
const outDir = join(root, 'bench-results');
const cpus = availableParallelism();

declare global {
  interface Window {
    __posts: unknown[];
  }
}

async function openPage(page: Page, name: 'trace' | 'chat'): Promise<void> {
  await page.goto(pathToFileURL(join(root, 'test/bench/fixtures', `${name}-page.html`)).href);
  await page.waitForFunction(() => window.__posts.some((m) => (m as { type?: string }).type === 'ready'));
}

/**
 * Posts messages the way the host does and resolves after the next frame has painted. The
 * messages are handed to the page first (outside any measurement: moving megabytes through the
 * DevTools protocol is the harness's cost, not the panel's).
 */
async function postAndPaint(page: Page, messages: readonly unknown[], measure: <T>(work: () => Promise<T>) => Promise<T> = (work) => work()): Promise<number> {
  await page.evaluate((batch) => ((window as unknown as { __staged: readonly unknown[] }).__staged = batch), messages);
  return measure(() =>
    page.evaluate(async () => {
      const batch = (window as unknown as { __staged: unknown[] }).__staged;
      const start = performance.now();
      for (const message of batch) window.postMessage(message, '*');
      // Messages are delivered as tasks; the panel renders in a frame; the timeout after that
      // frame's rAF runs once it has been painted.
      await new Promise<void>((done) => setTimeout(() => requestAnimationFrame(() => setTimeout(done, 0)), 0));
      return performance.now() - start;
    }),
  );
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

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly name?: string };
}

/**
 * Runs `work` under a Chromium trace and returns the renderer main thread's CPU time (thread
 * time, so time spent descheduled by other processes is left out): in total, and per frame (every
 * task up to and including the one that ran a frame's animation callbacks, style, layout and paint).
 */
async function mainThreadCpu<T>(browser: Browser, page: Page, work: () => Promise<T>): Promise<{ result: T; totalMs: number; perFrameMs: number[] }> {
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  const result = await work();
  const buffer = await browser.stopTracing();
  const parsed = JSON.parse(buffer.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const frames = events.filter((e) => e.name === 'FireAnimationFrame' && mainThreads.has(`${e.pid}:${e.tid}`));
  const busiest = [...mainThreads].sort((a, b) => frames.filter((f) => `${f.pid}:${f.tid}` === b).length - frames.filter((f) => `${f.pid}:${f.tid}` === a).length)[0];
  const onMain = (e: TraceEvent) => `${e.pid}:${e.tid}` === busiest;
  // Top-level tasks are "ThreadControllerImpl::RunTask" in the toplevel category ("RunTask" in older builds).
  const tasks = events.filter((e) => e.ph === 'X' && /(^|::)RunTask$/.test(e.name) && onMain(e)).sort((a, b) => a.ts - b.ts);
  if (tasks.length === 0 || frames.length === 0) throw new Error('The Chromium trace has no main-thread tasks or frames: the trace categories may have changed.');
  const frameTimes = frames.filter(onMain).map((e) => e.ts);
  const perFrameMs: number[] = [];
  let totalMs = 0;
  let pending = 0;
  let lastEnd = -Infinity;
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    if (task.ts < lastEnd) continue; // nested in the previous task
    lastEnd = end;
    const cpu = (task.tdur ?? task.dur ?? 0) / 1_000;
    totalMs += cpu;
    pending += cpu;
    if (frameTimes.some((time) => time >= task.ts && time <= end)) {
      perFrameMs.push(pending);
      pending = 0;
    }
  }
  return { result, totalMs, perFrameMs };
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
  const count = events.length.toLocaleString();
  const runs = [{ runId: 'run-bench', task: (events[0] as { task?: string }).task ?? '', startedAt: events[0]!.time }];
  const snapshot: ToTracePanelMessage = { type: 'traceState', runs, selectedRunId: 'run-bench', events };
  const liveMessages = events.map((event): ToTracePanelMessage => ({ type: 'traceEvent', runId: event.runId, event }));
  const load = loadavg()[0]!;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const rows: [string, string, string, string][] = [];
  const both = (wall: string, cpu: string, measure: string, target: string) => rows.push([measure, wall, cpu, target]);
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // 0. How noisy the machine is: frame intervals of a page doing nothing.
    await page.setContent('<!DOCTYPE html><p>idle</p>');
    const idle = await page.evaluate(
      () =>
        new Promise<number[]>((done) => {
          const intervals: number[] = [];
          let last = 0;
          const tick = (now: number) => {
            if (last !== 0) intervals.push(now - last);
            last = now;
            if (intervals.length < 120) requestAnimationFrame(tick);
            else done(intervals);
          };
          requestAnimationFrame(tick);
        }),
    );
    both(`${ms(median(idle))} / ${ms(percentile(idle, 95))}`, '', 'Calibration: frame p50 / p95 of an idle page (machine noise)', '');

    // 1. A snapshot of the whole run.
    const paints: number[] = [];
    const paintCpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await openPage(page, 'trace');
      let cpu = 0;
      paints.push(await postAndPaint(page, [snapshot], async (work) => {
        const measured = await mainThreadCpu(browser, page, work);
        cpu = measured.totalMs;
        return measured.result;
      }));
      paintCpu.push(cpu);
    }
    const rowCount = await page.evaluate(() => document.querySelectorAll('.trow').length);
    const nodesAfterSnapshot = await domNodes(page);
    both(ms(median(paints)), ms(median(paintCpu)), `Paint a ${count}-event snapshot (median of ${ROUNDS})`, `≤ ${PAINT_TARGET_MS} ms`);
    both(String(nodesAfterSnapshot), '', `DOM nodes in the page after it (${rowCount} rows rendered)`, 'bounded');
    await page.screenshot({ path: join(outDir, 'trace-top.png') });

    // 2. Scripted scroll: down the whole run, then back up.
    const scrollHeight = await page.evaluate(() => document.querySelector('.vlist')!.scrollHeight);
    const perFrame = Math.ceil(scrollHeight / 120);
    const scroll = await mainThreadCpu(browser, page, () => frameTimes(page, 240, { kind: 'scroll', pixels: perFrame, turnAt: 120 }));
    both(
      `${ms(median(scroll.result.intervals))} / ${ms(percentile(scroll.result.intervals, 95))}`,
      `${ms(median(scroll.perFrameMs))} / ${ms(percentile(scroll.perFrameMs, 95))}`,
      `Scroll frame p50 / p95 (240 frames, ${perFrame} px each, top to bottom and back)`,
      `≤ ${FRAME_TARGET_MS} ms`,
    );
    both(String(scroll.result.maxNodes), '', 'DOM nodes, most during the scroll', 'bounded');

    // Expanded rows re-measure: open a model call, a tool call and a tainted tool call.
    await page.evaluate(() => (document.querySelector<HTMLElement>('.vlist')!.scrollTop = 0));
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
    const liveCpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await openPage(page, 'trace');
      let cpu = 0;
      live.push(await postAndPaint(page, liveMessages, async (work) => {
        const measured = await mainThreadCpu(browser, page, work);
        cpu = measured.totalMs;
        return measured.result;
      }));
      liveCpu.push(cpu);
    }
    both(ms(median(live)), ms(median(liveCpu)), `Paint ${count} live traceEvent messages posted at once (median of ${ROUNDS})`, `≤ ${PAINT_TARGET_MS} ms`);

    // 4. A live run streaming in: 25 events a frame, following the end.
    await openPage(page, 'trace');
    await page.evaluate((all) => ((window as unknown as { __events: AgentEvent[] }).__events = all), events);
    const frames = Math.ceil(events.length / 25);
    const streaming = await mainThreadCpu(browser, page, () => frameTimes(page, frames, { kind: 'stream', perFrame: 25 }));
    both(
      `${ms(median(streaming.result.intervals))} / ${ms(percentile(streaming.result.intervals, 95))}`,
      `${ms(median(streaming.perFrameMs))} / ${ms(percentile(streaming.perFrameMs, 95))}`,
      `Frame p50 / p95 while a run streams in (25 events a frame, ${frames} frames)`,
      `≤ ${FRAME_TARGET_MS} ms`,
    );
    both(String(streaming.result.maxNodes), '', 'DOM nodes, most while streaming', 'bounded');
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(outDir, 'trace-live-end.png') });

    // 5. The chat view with a few turns, for a look.
    await page.setViewportSize({ width: 420, height: 900 });
    await openPage(page, 'chat');
    await postAndPaint(page, [{ type: 'state', state: chatState() } satisfies ToChatViewMessage]);
    await page.locator('.steps > summary').first().click();
    await page.locator('.tool .tool-summary').first().click();
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(outDir, 'chat.png') });

    // 6. A new chat in Restricted Mode without a key, the past chats open.
    await openPage(page, 'chat');
    const past = (id: string, title: string, daysAgo: number) => ({
      id, title, created: Date.now() - daysAgo * 86_400_000, updated: Date.now() - daysAgo * 86_400_000,
      messageCount: 6, inputTokens: 12_000 * (daysAgo + 1), outputTokens: 900, costUsd: 0.002 * (daysAgo + 1), bytes: 40_000,
    });
    const fresh: ChatState = {
      ...chatState(), chatId: 'chat-new', title: 'New chat', turns: [], runningRunId: undefined, allowances: [],
      totals: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      pastChats: [past('chat-1', 'Windows build failure', 0), past('chat-0', 'Explain the approval policy', 2), past('chat-x', 'Rename the CLI flags', 9)],
      restricted: true, restrictedReason: 'This workspace is not trusted: the agent can read files but not edit them, run commands or use the network.', configured: false,
    };
    await postAndPaint(page, [{ type: 'state', state: fresh } satisfies ToChatViewMessage]);
    await page.locator('.chat-title').click();
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(outDir, 'chat-empty-restricted.png') });
    if (errors.length > 0) throw new Error(`The page reported errors:\n${errors.join('\n')}`);
  } finally {
    await browser.close();
  }
  const chat = statSync(join(root, 'dist/webview/chat.js')).size;
  const trace = statSync(join(root, 'dist/webview/trace.js')).size;
  rows.push([
    'Bundles chat.js + trace.js, minified',
    `${(chat / 1024).toFixed(1)} + ${(trace / 1024).toFixed(1)} = ${((chat + trace) / 1024).toFixed(1)} KiB (${(chat + trace).toLocaleString()} bytes)`,
    '',
    '< 150 KB',
  ]);

  console.log(`\n### Webview: trace panel with ${count} events (headless Chromium, load average ${load.toFixed(1)} on ${cpus} cores)\n`);
  console.log('| Measure | Wall clock | Main-thread CPU | Target |');
  console.log('| --- | --- | --- | --- |');
  for (const [measure, wall, cpu, target] of rows) console.log(`| ${measure} | ${wall} | ${cpu} | ${target} |`);
  console.log(`\nScreenshots: ${outDir}/{trace-top,trace-expanded,trace-live-end,chat,chat-empty-restricted}.png`);
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
    provider: 'OpenAI',
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
