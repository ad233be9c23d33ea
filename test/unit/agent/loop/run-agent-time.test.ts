import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { defineTool } from '../../../../src/agent/tool';
import { runScripted, toolReply } from '../../../support/agent-harness';
import { slowTextTurn, textTurn, toolCallTurn } from '../../../support/scripted-server';
import { waitTool } from '../../../support/test-tools';

test('a tool over its timeout is stopped and the model is told; the run goes on', async () => {
  const run = await runScripted([toolCallTurn('wait', { ms: 5_000 }), textTurn('It was too slow.')], {
    tools: [waitTool({ timeoutMs: 150 })],
  });
  assert.match(toolReply(run.server, 1), /wait timed out after 150 ms and was stopped/);
  assert.equal(run.of('tool-result')[0].failure, 'timeout');
  assert.equal(run.end.reason, 'answered');
});

test('the default per-tool timeout applies when a tool sets none', async () => {
  const run = await runScripted([toolCallTurn('wait', { ms: 5_000 }), textTurn('ok')], {
    tools: [waitTool()],
    limits: { toolTimeoutMs: 100 },
  });
  assert.match(toolReply(run.server, 1), /timed out after 100 ms/);
});

test('the whole run stops at its time limit with reason timeout', async () => {
  const run = await runScripted([toolCallTurn('wait', { ms: 10_000 }), textTurn('never')], {
    tools: [waitTool()],
    limits: { runTimeoutMs: 300, toolTimeoutMs: 60_000 },
  });
  assert.equal(run.end.reason, 'timeout');
  assert.match(run.end.answer, /longer than its/);
  // The cut-short step still leaves a valid history: the call got a result.
  assert.equal(run.of('tool-call').length, 1);
});

test('cancel during a slow model stream ends the run within a second', async () => {
  const controller = new AbortController();
  const started = Date.now();
  let abortedAt = 0;
  const running = runScripted([slowTextTurn('one two three four five six seven eight nine ten eleven twelve', 400)], {
    signal: controller.signal,
  });
  setTimeout(() => {
    abortedAt = Date.now();
    controller.abort();
  }, 700);
  const run = await running;
  const endedAfterAbort = Date.now() - abortedAt;
  assert.equal(run.end.reason, 'cancelled');
  assert.ok(abortedAt - started >= 690);
  assert.ok(endedAfterAbort < 1000, `ended ${endedAfterAbort} ms after the abort`);
  assert.equal(run.of('final-answer').length, 0);
});

test('cancel while a tool ignores its signal still ends the run within a second', async () => {
  const controller = new AbortController();
  let abortedAt = 0;
  const running = runScripted([toolCallTurn('wait', { ms: 4_000 }), textTurn('never')], {
    tools: [waitTool({ ignoreSignal: true })],
    signal: controller.signal,
  });
  setTimeout(() => {
    abortedAt = Date.now();
    controller.abort();
  }, 400);
  const run = await running;
  assert.equal(run.end.reason, 'cancelled');
  assert.ok(Date.now() - abortedAt < 1000, `ended ${Date.now() - abortedAt} ms after the abort`);
  assert.equal(run.server.requestCount, 1, 'no model call after the cancel');
});

test('cancel while a preview or a memory recall hangs still ends the run within a second', async () => {
  const hangingPreview = defineTool({
    name: 'slow_write',
    description: 'A write whose preview never finishes.',
    risk: 'write',
    input: z.object({}),
    preview: () => new Promise(() => undefined),
    execute: async () => 'never',
  });
  for (const options of [
    { tools: [hangingPreview], turns: [toolCallTurn('slow_write', {}), textTurn('never')] },
    { tools: [], recall: () => new Promise<never>(() => undefined), turns: [textTurn('never')] },
  ]) {
    const controller = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 300);
    const run = await runScripted(options.turns, { ...options, signal: controller.signal });
    assert.equal(run.end.reason, 'cancelled');
    assert.ok(Date.now() - abortedAt < 1000, `ended ${Date.now() - abortedAt} ms after the abort`);
  }
});
