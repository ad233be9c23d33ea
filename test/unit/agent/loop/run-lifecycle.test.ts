import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { ConfigurationError, ModelRequestError } from '../../../../src/agent/errors';
import type { AgentEvent } from '../../../../src/agent/events';
import type { Logger } from '../../../../src/agent/logger';
import { RunLifecycle } from '../../../../src/agent/loop/run-lifecycle';
import { defaultLimits } from '../../../../src/agent/loop/run-options';

const totals = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0, toolCalls: 0 };

function collectingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

async function drained(run: RunLifecycle): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of run.events.drain()) events.push(event);
  return events;
}

test('a caller signal aborted before the run starts aborts it at once, and the ending is cancelled', () => {
  const run = new RunLifecycle('run-1', defaultLimits, undefined);
  const stop = run.watch(AbortSignal.abort());
  assert.equal(run.signal.aborted, true);
  assert.deepEqual(run.endingFor(new Error('anything thrown by the aborted work')), { reason: 'cancelled' });
  stop();
});

test('the caller aborting later aborts the run; once the work is over it no longer does', () => {
  const during = new AbortController();
  const run = new RunLifecycle(undefined, defaultLimits, undefined);
  const stop = run.watch(during.signal);
  during.abort();
  assert.equal(run.signal.aborted, true);
  stop();

  const after = new AbortController();
  const finished = new RunLifecycle(undefined, defaultLimits, undefined);
  finished.watch(after.signal)();
  after.abort();
  assert.equal(finished.signal.aborted, false);
});

test('the deadline aborts the run, and its ending is a timeout naming the limit', async () => {
  const run = new RunLifecycle(undefined, { ...defaultLimits, runTimeoutMs: 1 }, undefined);
  const stop = run.watch(undefined);
  await once(run.signal, 'abort');
  stop();
  const ending = run.endingFor(new Error('the model call was aborted'));
  assert.equal(ending.reason, 'timeout');
  assert.match(ending.detail ?? '', /longer than its/);
});

test('a bug becomes an internal error event and its stack goes to the log; an endpoint failure logs no stack', async () => {
  const log = collectingLogger();
  const run = new RunLifecycle('run-2', defaultLimits, log);
  const bug = new TypeError('x is undefined');
  assert.deepEqual(run.endingFor(bug), { reason: 'error', detail: 'x is undefined' });
  assert.deepEqual(run.endingFor(new ConfigurationError('no model set')), { reason: 'error', detail: 'no model set' });
  assert.deepEqual(run.endingFor(new ModelRequestError('rate limited', 429, 'rate-limited')), { reason: 'error', detail: 'rate limited' });
  run.end({ reason: 'error' }, 'The run failed.', totals);
  const errors = (await drained(run)).filter((e) => e.type === 'error');
  assert.deepEqual(
    errors.map((e) => [e.code, e.status]),
    [['internal', undefined], ['configuration', undefined], ['rate-limited', 429]],
  );
  const stacks = log.lines.filter((l) => l.includes('    at '));
  assert.equal(stacks.length, 2, log.lines.join('\n'));
  assert.ok(stacks[0]!.startsWith('error: TypeError: x is undefined'));
});

test('emitted events are logged one line each; relayed ones (logged by the inner run) are not', async () => {
  const log = collectingLogger();
  const run = new RunLifecycle('run-3', defaultLimits, log);
  run.step = 2;
  run.emit({ type: 'warning', code: 'other', message: 'shown and logged' });
  run.relay({ type: 'warning', code: 'other', message: 'only shown' });
  run.end({ reason: 'answered' }, 'Done.', totals);
  const events = await drained(run);
  assert.deepEqual(events.map((e) => [e.type, e.step, e.runId]), [['warning', 2, 'run-3'], ['warning', 2, 'run-3'], ['run-end', 2, 'run-3']]);
  assert.deepEqual(log.lines.filter((l) => l.includes('shown')), ['warn: [step 2] Warning (other): shown and logged']);
});

test('the run-end closes the stream: nothing pushed after it is seen', async () => {
  const run = new RunLifecycle('run-4', defaultLimits, undefined);
  run.end({ reason: 'cancelled' }, 'Cancelled.', totals);
  run.emit({ type: 'warning', code: 'other', message: 'too late' });
  const events = await drained(run);
  assert.equal(events.length, 1);
  const [end] = events;
  assert.equal(end?.type === 'run-end' && end.answer, 'Cancelled.');
});
