/**
 * Bounded work on any input: special files are refused before they are opened, search stays
 * linear on huge lines, a reply cannot flood the next prompt (calls, arguments, text), and
 * processes a command sneaks out of its group are found and stopped.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SpecialFileError } from '../../../src/agent/errors';
import { MAX_KEPT_ARGUMENT_CHARS, MAX_REPLY_CHARS } from '../../../src/agent/loop/model-turn';
import { MAX_CALLS_PER_REPLY } from '../../../src/agent/loop/tool-step';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../../src/agent/workspace/search/node-searcher';
import { RipgrepSearcher } from '../../../src/agent/workspace/search/ripgrep-searcher';
import { readFile } from '../../../src/tools/read-file';
import { runCommand } from '../../../src/tools/run-command';
import { writeFile } from '../../../src/tools/write-file';
import { runScripted } from '../../support/agent-harness';
import { text, textTurn, toolCallTurn } from '../../support/scripted-server';
import { requireRipgrep } from '../../support/workspace-fixture';
import { catTool, linesTool } from '../../support/test-tools';

function workspace(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bounded-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const ctxFor = (fs: NodeWorkspaceFs) => ({ fs, signal: new AbortController().signal, log: console, runId: 'r', callId: 'c' }) as never;

test('a FIFO is refused for reading and writing before it is opened (no blocked open)', async (t) => {
  const dir = workspace(t);
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  const fs = new NodeWorkspaceFs([dir]);
  await assert.rejects(readFile.execute({ path: 'pipe' }, ctxFor(fs)), (e: unknown) => e instanceof SpecialFileError && /named pipe \(FIFO\)/.test(e.message));
  await assert.rejects(readFile.execute({ path: 'pipe', start_line: 1, end_line: 2 }, ctxFor(fs)), SpecialFileError);
  // write_file's preview reads the old content: it must not block on the pipe either.
  await assert.rejects(writeFile().preview!({ path: 'pipe', content: 'x' }, ctxFor(fs)), SpecialFileError);
  await assert.rejects(fs.writeFile('pipe', new Uint8Array([1])), SpecialFileError);
});

test('a character device inside the workspace is refused, not read without end', { skip: process.getuid?.() !== 0 && 'needs root for mknod' }, async (t) => {
  const dir = workspace(t);
  execFileSync('mknod', [join(dir, 'zero'), 'c', '1', '5']);
  const fs = new NodeWorkspaceFs([dir]);
  await assert.rejects(readFile.execute({ path: 'zero', start_line: 1, end_line: 5 }, ctxFor(fs)), (e: unknown) => e instanceof SpecialFileError && /character device/.test(e.message));
});

test('a preview that does not finish is stopped at the tool timeout', async () => {
  const stuck = {
    ...writeFile(),
    preview: () => new Promise<never>(() => undefined),
  };
  const run = await runScripted([toolCallTurn('write_file', { path: 'a.txt', content: 'x' }), textTurn('done')], {
    tools: [stuck],
    limits: { toolTimeoutMs: 200 },
    approve: async () => ({ kind: 'allow-once' }),
  });
  const [result] = run.of('tool-result');
  assert.equal(result.failure, 'timeout');
  assert.equal(run.end.reason, 'answered');
});

for (const engine of ['node', 'ripgrep'] as const) {
  test(`one huge minified line is searched and shown clipped (${engine})`, async (t) => {
    const dir = workspace(t);
    // 12 MB on one line (the Node engine streams files over 8 MB), the match near the start.
    writeFileSync(join(dir, 'bundle.min.js'), `var a=1;NEEDLE_HERE;${'x=1;'.repeat(3 * 1024 * 1024)}\n`);
    const fs = new NodeWorkspaceFs([dir]);
    const searcher = engine === 'node' ? new NodeSearcher(fs) : new RipgrepSearcher(fs, await requireRipgrep());
    const result = await searcher.search({ pattern: 'NEEDLE_HERE', isRegex: false, caseSensitive: true, maxResults: 10 }, new AbortController().signal);
    assert.equal(result.matches.length, 1);
    assert.ok(result.matches[0].text.length <= 302);
    assert.match(result.matches[0].text, /NEEDLE_HERE/);
  });
}

test('more tool calls in one reply than the cap: the rest are answered "not run", and the prompt still fits', async () => {
  const calls = Array.from({ length: MAX_CALLS_PER_REPLY + 8 }, (_, i) => ({ id: `c${i}`, name: 'lines', args: { lines: 150, tag: `c${i} ` } }));
  const run = await runScripted([toolCallTurn(...calls), textTurn('done')], { tools: [linesTool], limits: { contextTokens: 16_000 } });
  const results = run.of('tool-result');
  assert.equal(results.length, calls.length);
  assert.equal(results.filter((r) => r.ok).length, MAX_CALLS_PER_REPLY);
  assert.match(results.find((r) => r.callId === `c${calls.length - 1}`)!.output, new RegExp(`at most ${MAX_CALLS_PER_REPLY} run per reply`));
  // The next prompt fits the window although this step's own results alone would not.
  const second = run.of('model-request')[1];
  assert.ok(second.estimatedInputTokens < 16_000 - 4_096, String(second.estimatedInputTokens));
});

test('a huge rejected argument is not resent with the next prompt', async () => {
  const huge = `{"text": "${'z'.repeat(MAX_KEPT_ARGUMENT_CHARS * 4)}"`; // unterminated: bad JSON
  const run = await runScripted([toolCallTurn({ id: 'big', name: 'cat', args: huge }), textTurn('done')], { tools: [catTool] });
  const sent = JSON.stringify(run.server.requests[1].messages);
  assert.ok(sent.length < MAX_KEPT_ARGUMENT_CHARS * 2, String(sent.length));
  assert.match(sent, /arguments of this cat call are not kept/);
});

test('an endless reply is cut at the reply cap, with a warning, and the run ends', async () => {
  const chunk = 'word '.repeat(20_000);
  const run = await runScripted([Array.from({ length: Math.ceil((MAX_REPLY_CHARS * 3) / chunk.length) }, () => text(chunk))]);
  assert.equal(run.end.reason, 'answered');
  assert.ok(run.end.answer.length <= MAX_REPLY_CHARS);
  assert.ok(run.of('warning').some((w) => /reply was cut at/.test(w.message)));
  const streamed = run.of('text-delta').reduce((n, e) => n + e.text.length, 0);
  assert.ok(streamed <= MAX_REPLY_CHARS);
});

test('processes a command moved out of its group with setsid are named and stopped', { skip: process.platform !== 'linux' && 'uses /proc' }, async (t) => {
  const dir = workspace(t);
  const fs = new NodeWorkspaceFs([dir]);
  const pidFile = join(dir, 'pid');
  const result = (await runCommand.execute({ command: `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 300' > /dev/null 2>&1 & sleep 0.3; echo started`, timeout_ms: 10_000 }, ctxFor(fs))) as { output: string };
  const pid = Number(readFileSync(pidFile, 'utf8'));
  assert.match(result.output, new RegExp(`processes that had left its process group were stopped: ${pid} sleep 300`));
  assert.equal(existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')), false);
});
