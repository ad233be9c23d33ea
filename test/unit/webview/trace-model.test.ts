import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEvent, AgentEventBody } from '../../../src/agent/events';
import { TraceModel, timeSpanOf, type ModelCallRow, type TextRow, type ToolRow } from '../../../src/webview/trace-model';
import { syntheticRun } from '../../bench/fixtures/synthetic-run';

/** Builds a run's events in order: seq and time advance by themselves. */
function run(runId: string, bodies: (AgentEventBody & { step?: number })[]): AgentEvent[] {
  return bodies.map((body, seq) => ({ step: 0, ...body, runId, seq, time: 1_000 + seq * 100 }) as AgentEvent);
}

const totals = { inputTokens: 100, outputTokens: 20, costUsd: 0.001, modelCalls: 1, toolCalls: 1 };
const start: AgentEventBody = {
  type: 'run-start',
  task: 'Read the readme',
  model: 'gpt-4o-mini',
  tools: [{ name: 'read_file', risk: 'read' }],
  limits: { maxSteps: 10, maxCostUsd: 1, toolTimeoutMs: 1, runTimeoutMs: 1, toolResultTokens: 1, contextTokens: 1, wholeResultsTokens: 20_000, keepFullResultSteps: 1, agedResultTokens: 400, loopWarnAt: 3, loopStopAt: 5 },
};

function reduce(events: AgentEvent[]): TraceModel {
  const model = new TraceModel();
  for (const event of events) model.apply(event);
  return model;
}

test('a step folds into a model call, its text, and one row per tool call', () => {
  const model = reduce(
    run('r1', [
      start,
      { type: 'model-request', step: 1, messageCount: 2, estimatedInputTokens: 90, estimatedCostUsd: 0.0001 },
      { type: 'text-delta', step: 1, text: 'Let me ' },
      { type: 'text-delta', step: 1, text: 'read it.' },
      { type: 'assistant-message', step: 1, text: 'Let me read it.', toolCalls: [{ callId: 'c1', name: 'read_file', argsJson: '{"path":"README.md"}' }], finishReason: 'tool-calls', durationMs: 250 },
      { type: 'usage', step: 1, inputTokens: 100, outputTokens: 20, estimated: false, costUsd: 0.001, durationMs: 300, totals },
      { type: 'tool-call', step: 1, callId: 'c1', tool: 'read_file', args: { path: 'README.md' }, risk: 'read' },
      { type: 'tool-result', step: 1, callId: 'c1', tool: 'read_file', ok: true, output: '# Hello', durationMs: 12, truncatedChars: 0, taintSource: 'README.md' },
    ]),
  );
  assert.deepEqual(model.rows.map((row) => row.kind), ['run-start', 'model-call', 'text', 'tool']);
  const call = model.rows[1] as ModelCallRow;
  assert.equal(call.ordinal, 1);
  assert.deepEqual([call.inputTokens, call.outputTokens, call.costUsd, call.durationMs, call.finishReason], [100, 20, 0.001, 300, 'tool-calls']);
  assert.deepEqual(call.requestedTools, ['read_file']);
  assert.equal((model.rows[2] as TextRow).text, 'Let me read it.');
  const tool = model.rows[3] as ToolRow;
  assert.equal(tool.result?.output, '# Hello');
  assert.equal(tool.result?.taintSource, 'README.md');
  assert.deepEqual(timeSpanOf(tool, 0), { start: 1_600, end: 1_700, running: false });
  assert.deepEqual(model.totals, totals);
});

test('a model call row keeps cached vs uncached input, and what was expected from cache before sending', () => {
  const model = reduce(
    run('r1', [
      start,
      { type: 'model-request', step: 1, messageCount: 2, estimatedInputTokens: 5_000, estimatedCachedInputTokens: 4_200, estimatedCostUsd: 0.0002 },
      { type: 'assistant-message', step: 1, text: 'Done.', toolCalls: [], finishReason: 'stop', durationMs: 50 },
      { type: 'usage', step: 1, inputTokens: 5_100, cachedInputTokens: 4_096, outputTokens: 3, estimated: false, costUsd: 0.0001, durationMs: 60, totals: { ...totals, cachedInputTokens: 4_096 } },
      { type: 'model-request', step: 2, messageCount: 4, estimatedInputTokens: 300, estimatedCostUsd: 0 },
      { type: 'usage', step: 2, inputTokens: 310, outputTokens: 3, estimated: false, costUsd: 0, durationMs: 10, totals },
    ]),
  );
  const [first, second] = model.rows.filter((row): row is ModelCallRow => row.kind === 'model-call');
  assert.deepEqual([first.estimatedCachedInputTokens, first.inputTokens, first.cachedInputTokens], [4_200, 5_100, 4_096]);
  // An endpoint that says nothing about caching: nothing is shown as cached, nothing assumed.
  assert.deepEqual([second.estimatedCachedInputTokens, second.inputTokens, second.cachedInputTokens], [0, 310, undefined]);
});

test('text-reset discards what streamed and records why; the retry streams afresh', () => {
  const model = reduce(
    run('r1', [
      start,
      { type: 'model-request', step: 1, messageCount: 2, estimatedInputTokens: 90, estimatedCostUsd: 0 },
      { type: 'text-delta', step: 1, text: 'Half an ans' },
      { type: 'text-reset', step: 1, reason: 'stream cut; retrying' },
      { type: 'text-delta', step: 1, text: 'The answer.' },
    ]),
  );
  const text = model.rows.filter((row) => row.kind === 'text') as TextRow[];
  assert.equal(text.length, 1, 'the retry continues in the same row');
  assert.equal(text[0]!.text, 'The answer.');
  assert.deepEqual(text[0]!.discarded, [{ reason: 'stream cut; retrying', chars: 11 }]);
});

test('approval request and decision land on their tool row, and each change bumps its version', () => {
  const events = run('r1', [
    start,
    { type: 'model-request', step: 1, messageCount: 2, estimatedInputTokens: 90, estimatedCostUsd: 0 },
    { type: 'tool-call', step: 1, callId: 'w1', tool: 'write_file', args: { path: 'a.ts' }, risk: 'write' },
    {
      type: 'approval-requested',
      step: 1,
      callId: 'w1',
      request: {
        runId: 'r1',
        callId: 'w1',
        tool: 'write_file',
        risk: 'write',
        args: {},
        preview: { summary: 'Write a.ts', detail: '3 lines' },
        reasons: ['write tools need approval'],
        taintSources: ['https://example.com'],
        needsPerson: true,
      },
    },
    { type: 'approval-decided', step: 1, callId: 'w1', tool: 'write_file', decision: 'deny', reason: 'denied by you', durationMs: 2_000 },
    { type: 'tool-result', step: 1, callId: 'w1', tool: 'write_file', ok: false, output: 'Denied.', durationMs: 0, truncatedChars: 0, failure: 'denied' },
  ]);
  const model = new TraceModel();
  const versions: number[] = [];
  for (const event of events) {
    model.apply(event);
    const tool = model.rows.find((row) => row.kind === 'tool');
    if (tool) versions.push(tool.version);
  }
  assert.deepEqual(versions, [0, 1, 2, 3]);
  const tool = model.rows.find((row) => row.kind === 'tool') as ToolRow;
  assert.deepEqual(tool.approvalRequest?.taintSources, ['https://example.com']);
  assert.equal(tool.approval?.decision, 'deny');
  assert.equal(tool.result?.failure, 'denied');
});

test('events of another run and repeated events are ignored', () => {
  const model = reduce(run('r1', [start]));
  assert.equal(model.apply(run('r2', [start])[0]!), false);
  assert.equal(model.apply(run('r1', [start])[0]!), false, 'seq 0 again');
  assert.equal(model.rows.length, 1);
});

test('a running call spans to "now"; final-answer adds no row beside run-end', () => {
  const model = reduce(
    run('r1', [
      start,
      { type: 'model-request', step: 1, messageCount: 2, estimatedInputTokens: 90, estimatedCostUsd: 0 },
      { type: 'final-answer', step: 1, text: 'Done.' },
      { type: 'run-end', step: 1, reason: 'answered', answer: 'Done.', durationMs: 300, steps: 1, totals },
    ]),
  );
  assert.deepEqual(timeSpanOf(model.rows[1]!, 5_000), { start: 1_100, end: 5_000, running: true });
  assert.deepEqual(model.rows.map((row) => row.kind), ['run-start', 'model-call', 'run-end']);
  assert.equal(model.ended, true);
});

test('a 5,000-event run reduces to far fewer rows, every tool call with its result', () => {
  const events = syntheticRun({ runId: 'big', targetEvents: 5_000 });
  const model = reduce(events);
  const calls = events.filter((event) => event.type === 'tool-call').length;
  const tools = model.rows.filter((row) => row.kind === 'tool') as ToolRow[];
  assert.equal(tools.length, calls);
  assert.ok(tools.every((row) => row.result !== undefined));
  assert.ok(model.rows.length < events.length / 3, `${model.rows.length} rows for ${events.length} events`);
  assert.equal(model.rows.at(-1)?.kind, 'run-end');
  // Rows are in time order (the panel's click-to-time search relies on it).
  for (let i = 1; i < model.rows.length; i++) assert.ok(model.rows[i]!.time >= model.rows[i - 1]!.time);
});

test('reasoning becomes a Thinking row of its model call, apart from the text row', () => {
  const model = new TraceModel();
  const bodies: AgentEventBody[] = [
    { type: 'model-request', messageCount: 2, estimatedInputTokens: 10, estimatedCostUsd: 0 },
    { type: 'reasoning-delta', text: 'Look first.' },
    { type: 'text-delta', text: 'Answer.' },
    { type: 'assistant-message', text: 'Answer.', toolCalls: [], finishReason: 'stop', durationMs: 3, reasoning: 'Look first.' },
  ];
  bodies.forEach((body, seq) => model.apply({ ...body, runId: 'r', seq, time: 1_000 + seq, step: 1 } as AgentEvent));
  const kinds = model.rows.map((row) => row.kind);
  assert.deepEqual(kinds, ['model-call', 'thinking', 'text']);
  const thinking = model.rows[1];
  assert.equal(thinking.kind === 'thinking' ? thinking.text : '', 'Look first.');
});

test('a diagnostics event is a row of its own, after its call, with the new and fixed problems', () => {
  const error = { path: 'src/age.ts', line: 5, column: 3, severity: 'error' as const, message: "Type 'string' is not assignable to type 'number'.", source: 'ts', code: '2322' };
  const model = reduce(
    run('r1', [
      start,
      { type: 'tool-call', step: 1, callId: 'c1', tool: 'write_file', args: { path: 'src/age.ts' }, risk: 'write' },
      { type: 'tool-result', step: 1, callId: 'c1', tool: 'write_file', ok: true, output: 'Created', durationMs: 5, truncatedChars: 0 },
      { type: 'diagnostics', step: 1, callId: 'c1', tool: 'write_file', files: ['src/age.ts'], added: [error], fixed: [], errors: 1, warnings: 0, unknownBefore: [], settled: true, waitedMs: 640 },
    ]),
  );
  const row = model.rows.at(-1)!;
  assert.equal(row.kind, 'problems');
  assert.equal(model.rows.at(-2)!.kind, 'tool');
  if (row.kind === 'problems') {
    assert.equal(row.callId, 'c1');
    assert.deepEqual(row.report.added, [error]);
  }
});
