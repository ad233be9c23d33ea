import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Conversation } from '../../../../src/agent/loop/conversation';
import type { AgentEvent, AgentEventBody, EventOf, Totals } from '../../../../src/agent/events';
import { defaultLimits } from '../../../../src/agent/loop/run-options';
import { ChatSession, INTERRUPTED_ANSWER } from '../../../../src/host/run/chat-session';

let seq = 0;
function event(runId: string, body: AgentEventBody, time: number, step = 1): AgentEvent {
  return { ...body, runId, seq: seq++, time, step } as AgentEvent;
}
const totals = (inputTokens: number, outputTokens: number): Totals => ({ inputTokens, outputTokens, costUsd: 0, modelCalls: 1, toolCalls: 1 });

/** A run killed while its second step streamed: the history has its start, tool step and some text. */
function killedRun(runId: string): AgentEvent[] {
  return [
    event(runId, { type: 'run-start', task: 'What is in the note?', model: 'm', tools: [], limits: defaultLimits }, 1000, 0),
    event(runId, { type: 'usage', inputTokens: 10, outputTokens: 2, estimated: false, costUsd: 0, durationMs: 5, totals: totals(10, 2) }, 1100),
    event(runId, { type: 'tool-call', callId: 'c1', tool: 'read_file', args: { path: 'a' }, risk: 'read' } as AgentEventBody, 1200),
    event(runId, { type: 'tool-result', callId: 'c1', tool: 'read_file', ok: true, output: 'x', durationMs: 3, truncatedChars: 0 } as AgentEventBody, 1300),
    event(runId, { type: 'text-delta', text: 'The note' }, 1500, 2),
  ];
}

test('a run restored without its run-end is ended as interrupted, keeping its steps and totals', () => {
  const events = killedRun('r1');
  const session = new ChatSession('c', 'T', new Conversation('c'), events);
  assert.equal(session.endInterruptedRuns(), 1);
  const runEvents = session.eventsOf('r1');
  assert.equal(runEvents.length, events.length + 1, 'the recorded events all stay');
  const end = runEvents.at(-1) as EventOf<'run-end'>;
  assert.equal(end.type, 'run-end');
  assert.equal(end.reason, 'error');
  assert.equal(end.answer, INTERRUPTED_ANSWER);
  assert.equal(end.seq, events.at(-1)!.seq + 1, 'after the last recorded event, so views apply it');
  assert.equal(end.steps, 2);
  assert.equal(end.durationMs, 500);
  assert.deepEqual(end.totals, totals(10, 2));
  const [summary] = session.runSummaries();
  assert.equal(summary.reason, 'error');
  assert.equal(summary.endedAt, 1500);
});

test('finished runs are left alone, and ending twice adds nothing', () => {
  const finished = [
    event('r0', { type: 'run-start', task: 'q', model: 'm', tools: [], limits: defaultLimits }, 10, 0),
    event('r0', { type: 'run-end', reason: 'answered', answer: 'ok', durationMs: 5, steps: 1, totals: totals(1, 1) }, 15),
  ];
  const session = new ChatSession('c', 'T', new Conversation('c'), [...finished, ...killedRun('r1')]);
  assert.equal(session.endInterruptedRuns(), 1);
  assert.equal(session.endInterruptedRuns(), 0);
  assert.equal(session.eventsOf('r0').length, 2);
  assert.equal(session.eventsOf('r1').filter((e) => e.type === 'run-end').length, 1);
});

test('a run that never started is not ended', () => {
  const session = new ChatSession('c', 'T', new Conversation('c'));
  session.startTurn('r1', 'typed, not yet started');
  assert.equal(session.endInterruptedRuns(), 0);
  assert.deepEqual(session.eventsOf('r1'), []);
});
