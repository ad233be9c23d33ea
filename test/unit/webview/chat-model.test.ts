import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEvent, AgentEventBody } from '../../../src/agent/events';
import { TurnModel, addUsage, type ToolItem } from '../../../src/webview/chat-model';

function run(runId: string, bodies: (AgentEventBody & { step?: number })[]): AgentEvent[] {
  return bodies.map((body, seq) => ({ step: 0, ...body, runId, seq, time: 1_000 + seq * 100 }) as AgentEvent);
}

const totals = { inputTokens: 100, outputTokens: 20, costUsd: 0.001, modelCalls: 1, toolCalls: 1 };

function turnOf(events: AgentEvent[]): TurnModel {
  const turn = new TurnModel(events[0]!.runId, 'question');
  for (const event of events) turn.apply(event);
  return turn;
}

test('text streams into the answer; a text-reset throws away what streamed since the step began', () => {
  const turn = new TurnModel('r1', 'q');
  const events = run('r1', [
    { type: 'model-request', step: 1, messageCount: 2, estimatedInputTokens: 1, estimatedCostUsd: 0 },
    { type: 'text-delta', step: 1, text: 'The ans' },
    { type: 'text-reset', step: 1, reason: 'HTTP 503; retrying' },
    { type: 'text-delta', step: 1, text: 'The ' },
    { type: 'text-delta', step: 1, text: 'answer.' },
  ]);
  const seen: string[] = [];
  for (const event of events) {
    turn.apply(event);
    seen.push(turn.streaming);
  }
  assert.deepEqual(seen, ['', 'The ans', '', 'The ', 'The answer.']);
  assert.equal(turn.running, true);
});

test('text of a step that calls tools becomes a thought; the answer area starts empty again', () => {
  const turn = turnOf(
    run('r1', [
      { type: 'text-delta', step: 1, text: 'Let me look.' },
      { type: 'assistant-message', step: 1, text: 'Let me look.', toolCalls: [{ callId: 'c1', name: 'read_file', argsJson: '{}' }], finishReason: 'tool-calls', durationMs: 1 },
      { type: 'tool-call', step: 1, callId: 'c1', tool: 'read_file', args: { path: 'a' }, risk: 'read' },
      { type: 'approval-decided', step: 1, callId: 'c1', tool: 'read_file', decision: 'auto', reason: 'read tools run without asking', durationMs: 0 },
      { type: 'tool-result', step: 1, callId: 'c1', tool: 'read_file', ok: true, output: 'x', durationMs: 5, truncatedChars: 0 },
      { type: 'text-delta', step: 2, text: 'It is x.' },
      { type: 'assistant-message', step: 2, text: 'It is x.', toolCalls: [], finishReason: 'stop', durationMs: 1 },
      { type: 'usage', step: 2, inputTokens: 100, outputTokens: 20, estimated: false, costUsd: 0.001, durationMs: 1, totals },
      { type: 'final-answer', step: 2, text: 'It is x.' },
      { type: 'run-end', step: 2, reason: 'answered', answer: 'It is x.', durationMs: 900, steps: 2, totals },
    ]),
  );
  assert.deepEqual(turn.items.map((item) => item.kind), ['thought', 'tool']);
  assert.equal(turn.items[0]!.kind === 'thought' && turn.items[0]!.text, 'Let me look.');
  const tool = turn.items[1] as ToolItem;
  assert.equal(tool.decision, 'auto');
  assert.equal(tool.result?.ok, true);
  assert.equal(tool.version, 2, 'decision and result each bumped the item');
  assert.equal(turn.answer, 'It is x.');
  assert.equal(turn.streaming, '');
  assert.equal(turn.running, false);
  assert.deepEqual(turn.end, { reason: 'answered', durationMs: 900, steps: 2, totals });
});

test('a run cut short shows the run message saying why, even after partial text', () => {
  const turn = turnOf(
    run('r1', [
      { type: 'text-delta', step: 1, text: 'Partial' },
      { type: 'run-end', step: 1, reason: 'budget', answer: 'Stopped: the cost limit of $0.10 was reached after 3 steps.', durationMs: 10, steps: 3, totals },
    ]),
  );
  assert.equal(turn.answer, 'Stopped: the cost limit of $0.10 was reached after 3 steps.');
  assert.equal(turn.streaming, '');
  assert.equal(turn.end?.reason, 'budget');
});

test('warnings and errors appear in order, retry warnings stay in the trace only', () => {
  const turn = turnOf(
    run('r1', [
      { type: 'warning', step: 1, code: 'retry', message: 'retrying' },
      { type: 'warning', step: 1, code: 'loop', message: 'same call three times' },
      { type: 'error', step: 1, code: 'unreachable', message: 'endpoint unreachable' },
    ]),
  );
  assert.deepEqual(turn.items.map((item) => item.kind === 'warning' || item.kind === 'error' ? `${item.kind}: ${item.message}` : item.kind), [
    'warning: same call three times',
    'error: endpoint unreachable',
  ]);
});

test('another run\'s events and repeats (a snapshot overlapping live events) are ignored', () => {
  const events = run('r1', [{ type: 'text-delta', step: 1, text: 'a' }, { type: 'text-delta', step: 1, text: 'b' }]);
  const turn = turnOf(events);
  assert.equal(turn.apply(events[1]!), false);
  assert.equal(turn.apply({ ...events[0]!, runId: 'r2', seq: 9 }), false);
  assert.equal(turn.streaming, 'ab');
});

test('the meter adds each usage event and nothing else', () => {
  const meter = { inputTokens: 1_000, outputTokens: 100, costUsd: 0.5 };
  for (const event of run('r1', [
    { type: 'usage', step: 1, inputTokens: 10, outputTokens: 2, estimated: true, costUsd: 0.01, durationMs: 1, totals },
    { type: 'text-delta', step: 1, text: 'x' },
    { type: 'usage', step: 2, inputTokens: 5, cachedInputTokens: 4, outputTokens: 1, estimated: false, costUsd: 0.02, durationMs: 1, totals },
  ])) {
    addUsage(meter, event);
  }
  assert.deepEqual(
    { ...meter, costUsd: Number(meter.costUsd.toFixed(6)) },
    { inputTokens: 1_015, cachedInputTokens: 4, outputTokens: 103, costUsd: 0.53 },
  );
});

test('reasoning streams into a collapsed Thinking item of its step, never into the answer; a retry drops it', () => {
  const turn = turnOf(
    run('r1', [
      { type: 'reasoning-delta', step: 1, text: 'I should read ' },
      { type: 'reasoning-delta', step: 1, text: 'the file.' },
      { type: 'text-reset', step: 1, reason: 'retrying' },
      { type: 'reasoning-delta', step: 1, text: 'Read it.' },
      { type: 'text-delta', step: 1, text: 'The code is 4242.' },
      { type: 'assistant-message', step: 1, text: 'The code is 4242.', toolCalls: [], finishReason: 'stop', durationMs: 1, reasoning: 'Read it.' },
      { type: 'final-answer', step: 1, text: 'The code is 4242.' },
    ]),
  );
  const thinking = turn.items.filter((item) => item.kind === 'thinking');
  assert.equal(thinking.length, 1);
  assert.equal(thinking[0].kind === 'thinking' ? thinking[0].text : '', 'Read it.');
  assert.equal(turn.answer, 'The code is 4242.');
});

test('a checkpoint made before a call puts "Restore to before this step" on that call; a restore shows as a note', () => {
  const turn = turnOf(
    run('r1', [
      { type: 'tool-call', step: 1, callId: 'c1', tool: 'run_command', args: { command: 'rm x' }, risk: 'execute' },
      { type: 'checkpoint-created', step: 1, callId: 'c1', tool: 'run_command', checkpointId: 'cp-1', files: 3, addedBytes: 10, skippedFiles: 0, durationMs: 4 },
      { type: 'tool-result', step: 1, callId: 'c1', tool: 'run_command', ok: true, output: 'done', durationMs: 2, truncatedChars: 0 },
      { type: 'checkpoint-restored', step: 1, checkpointId: 'cp-1', undoCheckpointId: 'cp-2', changedFiles: 2, failedFiles: 0, leftAloneFiles: 0, durationMs: 3 },
    ]),
  );
  const tool = turn.items.find((item): item is ToolItem => item.kind === 'tool');
  assert.equal(tool?.checkpointId, 'cp-1');
  const note = turn.items.find((item) => item.kind === 'info');
  assert.equal(note && 'message' in note ? note.message : '', 'Restored 2 files to before step 1.');
});

test('after the answer: the account, "N files changed · Undo" from the first checkpoint, and a restore marks the answer undone until it is undone', () => {
  const events = run('r1', [
    { type: 'tool-call', step: 1, callId: 'c1', tool: 'write_file', args: { path: 'notes.md', content: 'x' }, risk: 'write' },
    { type: 'checkpoint-created', step: 1, callId: 'c1', tool: 'write_file', checkpointId: 'cp-1', files: 3, addedBytes: 10, skippedFiles: 0, durationMs: 4 },
    { type: 'tool-result', step: 1, callId: 'c1', tool: 'write_file', ok: true, output: 'wrote', durationMs: 2, truncatedChars: 0 },
    { type: 'final-answer', step: 2, text: 'Done — I added one line to notes.md.' },
    { type: 'run-end', step: 2, reason: 'answered', answer: 'Done — I added one line to notes.md.', durationMs: 10, steps: 2, totals },
  ]);
  const turn = turnOf(events);
  assert.equal(turn.firstCheckpointId, 'cp-1');
  assert.deepEqual(turn.account?.changedFiles, ['notes.md']);
  assert.deepEqual(turn.account?.contradictions, []);
  assert.equal(turn.undone, false);
  const seq = events.at(-1)!.seq;
  const restore = { runId: 'r1', time: 1, step: 1, checkpointId: 'cp-1', undoCheckpointId: 'cp-2', changedFiles: 1, failedFiles: 0, leftAloneFiles: 0, durationMs: 3, paths: ['notes.md'] };
  turn.apply({ ...restore, type: 'checkpoint-restored', seq: seq + 1 });
  assert.equal(turn.undone, true);
  assert.deepEqual(turn.account?.restoredFiles, ['notes.md']);
  assert.equal((turn.items.at(-1) as { message: string }).message, 'Restored 1 file to before step 1 (notes.md).');
  turn.apply({ ...restore, type: 'checkpoint-restored', seq: seq + 2, checkpointId: 'cp-2', undoCheckpointId: 'cp-3', undoOfRestore: true });
  assert.equal(turn.undone, false);
  assert.equal((turn.items.at(-1) as { message: string }).message, 'Undid the restore: 1 file put back as it was (notes.md).');
});

test('a diagnostics event lands on its tool step: the counts and the list the chat shows', () => {
  const fixedProblem = { path: 'src/age.ts', line: 5, column: 3, severity: 'error' as const, message: 'Type mismatch.', source: 'ts', code: '2322' };
  const turn = turnOf(
    run('r1', [
      { type: 'tool-call', step: 1, callId: 'c1', tool: 'edit_file', args: { path: 'src/age.ts' }, risk: 'write' },
      { type: 'tool-result', step: 1, callId: 'c1', tool: 'edit_file', ok: true, output: 'Edited', durationMs: 5, truncatedChars: 0 },
      { type: 'diagnostics', step: 1, callId: 'c1', tool: 'edit_file', files: ['src/age.ts'], added: [], fixed: [fixedProblem], errors: 0, warnings: 0, unknownBefore: [], settled: true, waitedMs: 400 },
    ]),
  );
  const item = turn.items.find((i): i is ToolItem => i.kind === 'tool');
  assert.deepEqual(item?.problems?.fixed, [fixedProblem]);
  assert.equal(item?.problems?.errors, 0);
});
