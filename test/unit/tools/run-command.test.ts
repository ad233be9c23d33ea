import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError, ToolError } from '../../../src/agent/errors';
import { silentLogger } from '../../../src/agent/logger';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import type { ToolContext, ToolResult } from '../../../src/agent/tool';
import { HeadTailBuffer, runCommand } from '../../../src/tools/run-command';
import { wrappedFs } from '../../support/wrapped-fs';

const posixOnly = { skip: process.platform === 'win32' ? 'process groups are POSIX' : false };

function setup(t: { after(fn: () => void): void }) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'glassbox-run-')));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const fs = new NodeWorkspaceFs([root]);
  const controller = new AbortController();
  const ctx: ToolContext = { signal: controller.signal, fs, log: silentLogger, runId: 'run', callId: 'call' };
  const run = async (args: { command: string; cwd?: string; timeout_ms?: number }, context = ctx) =>
    (await runCommand.execute(runCommand.input.parse(args), context)) as ToolResult;
  return { root, fs, ctx, controller, run };
}

/** Dead, or a zombie waiting for a parent that will never reap it (PID 1 in some containers). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 200 && !existsSync(path); i++) await sleep(25);
  await sleep(25);
  return readFileSync(path, 'utf8').trim();
}

test('output of stdout and stderr comes back in order, with the exit code and a taint source', posixOnly, async (t) => {
  const { run } = setup(t);
  const result = await run({ command: 'echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; exit 3' });
  assert.match(result.output, /^exit code 3 · \d+(\.\d)? (ms|s)\none\ntwo\nthree\n$/);
  assert.equal(result.taintSource, 'output of `echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; exit 3`');
  assert.match((await run({ command: 'true' })).output, /^exit code 0 · .*\n\(no output\)$/);
});

test('it runs in the given workspace folder, and refuses folders outside or files', posixOnly, async (t) => {
  const { root, run } = setup(t);
  mkdirSync(join(root, 'pkg'));
  writeFileSync(join(root, 'file.txt'), 'x');
  const result = await run({ command: 'pwd', cwd: './pkg' });
  assert.match(result.output, new RegExp(`· in pkg\\n${join(root, 'pkg')}\\n$`));
  await assert.rejects(run({ command: 'pwd', cwd: '..' }), { name: 'PathOutsideWorkspaceError' });
  await assert.rejects(run({ command: 'pwd', cwd: 'file.txt' }), /cwd "file\.txt" is not a folder/);
});

test('the preview shows the exact command line, folder and timeout', async (t) => {
  const { root, ctx } = setup(t);
  const preview = await runCommand.preview!(runCommand.input.parse({ command: 'npm test -- --grep "a b"', timeout_ms: 90_000 }), ctx);
  assert.equal(preview.summary, 'Run `npm test -- --grep "a b"`');
  // With what the shell parser found it runs: one command, its quoted argument one word.
  assert.deepEqual(preview.command, {
    line: 'npm test -- --grep "a b"',
    cwd: '.',
    analysis: { readable: true, parts: [{ text: 'npm test -- --grep "a b"', words: ['npm', 'test', '--', '--grep', 'a b'] }], writes: [] },
  });
  assert.match(preview.detail, new RegExp(`^Command: npm test -- --grep "a b"\\nFolder: \\. \\(${root}\\)\\nTimeout: 1 min 30 s\\n`));
});

test('a command over its time limit is stopped and reported as timed out', posixOnly, async (t) => {
  const { run } = setup(t);
  const started = Date.now();
  await assert.rejects(run({ command: 'echo started; sleep 30', timeout_ms: 1_000 }), (error: unknown) => {
    assert.ok(error instanceof ToolError);
    assert.match(error.message, /timed out after 1 s; it and everything it started were stopped/);
    assert.match(error.message, /started/);
    return true;
  });
  assert.ok(Date.now() - started < 10_000);
});

test('cancelling kills the whole process group, background children included', posixOnly, async (t) => {
  const { root, ctx, controller, run } = setup(t);
  const pending = run({ command: 'sleep 30 & echo $! > child.pid; wait' }, ctx);
  const pid = Number(await waitForFile(join(root, 'child.pid')));
  assert.equal(isGone(pid), false, 'the child is running before the cancel');
  controller.abort();
  await assert.rejects(pending, (error: unknown) => error instanceof CancelledError);
  assert.equal(isGone(pid), true, `child ${pid} must be dead once the call returns`);
});

test('a group that ignores SIGTERM is killed with SIGKILL', posixOnly, async (t) => {
  const { root, ctx, controller, run } = setup(t);
  // An ignored signal stays ignored in children: both the shell and sleep shrug off SIGTERM.
  const pending = run({ command: "trap '' TERM; sleep 30 & echo $! > child.pid; wait" }, ctx);
  const pid = Number(await waitForFile(join(root, 'child.pid')));
  controller.abort();
  await assert.rejects(pending, (error: unknown) => error instanceof CancelledError);
  assert.equal(isGone(pid), true, `child ${pid} must be dead once the call returns`);
});

test('processes a finished command left in the background are stopped too', posixOnly, async (t) => {
  const { root, run } = setup(t);
  const result = await run({ command: 'sleep 30 >/dev/null 2>&1 & echo $! > child.pid; echo done' });
  const pid = Number(readFileSync(join(root, 'child.pid'), 'utf8').trim());
  assert.match(result.output, /processes it left running in the background were stopped\)\ndone\n$/);
  assert.equal(isGone(pid), true);
});

test('long output keeps its head and tail and says how much was cut', posixOnly, async (t) => {
  const { run } = setup(t);
  const result = await run({ command: 'i=0; while [ $i -lt 20000 ]; do echo "line $i"; i=$((i+1)); done' });
  assert.match(result.output, /\nline 0\nline 1\n/);
  assert.match(result.output, /line 19999\n$/);
  assert.match(result.output, /\[… \d+ bytes \(\d+ lines\) of output cut here …\]/);
  assert.ok(result.output.length < 40_000, `${result.output.length} characters`);
});

test('a workspace without a local disk path is refused clearly', async (t) => {
  const { fs, ctx } = setup(t);
  const virtual = wrappedFs(fs, { localPath: async () => undefined });
  await assert.rejects(
    runCommand.execute(runCommand.input.parse({ command: 'ls' }), { ...ctx, fs: virtual }),
    /remote or virtual file system, so commands cannot run here/,
  );
});

test('the timeout is bounded by the schema', () => {
  assert.equal(runCommand.input.parse({ command: 'x' }).timeout_ms, 60_000);
  assert.equal(runCommand.input.safeParse({ command: 'x', timeout_ms: 11 * 60_000 }).success, false);
  assert.equal(runCommand.input.safeParse({ command: '' }).success, false);
});

test('the head-and-tail buffer keeps exactly its limits and counts the cut', () => {
  const buffer = new HeadTailBuffer(4, 6);
  for (const piece of ['ab', 'cd\nef', '\ngh', 'ij', 'klmnop']) buffer.push(Buffer.from(piece));
  assert.equal(buffer.text(), 'abcd\n[… 8 bytes (2 lines) of output cut here …]\nklmnop');
  const small = new HeadTailBuffer(4, 6);
  small.push(Buffer.from('abcdefgh'));
  assert.equal(small.text(), 'abcdefgh');
});
