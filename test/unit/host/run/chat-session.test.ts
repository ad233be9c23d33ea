import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Conversation } from '../../../../src/agent/loop/conversation';
import type { AgentEvent, AgentEventBody, Totals } from '../../../../src/agent/events';
import { defaultLimits } from '../../../../src/agent/loop/run-options';
import { questionWithSelection } from '../../../../src/host/chat/question-with-selection';
import { ChatSession, titleFromQuestion } from '../../../../src/host/run/chat-session';

let seq = 0;
function event(runId: string, body: AgentEventBody, time = 1000 + seq): AgentEvent {
  return { ...body, runId, seq: seq++, time, step: 1 } as AgentEvent;
}
const totals = (inputTokens: number, outputTokens: number, costUsd: number): Totals => ({ inputTokens, outputTokens, costUsd, modelCalls: 1, toolCalls: 0 });
const start = (runId: string, task: string, time: number) => event(runId, { type: 'run-start', task, model: 'm', tools: [], limits: defaultLimits }, time);
const end = (runId: string, t: Totals, time: number) =>
  event(runId, { type: 'run-end', reason: 'answered', answer: 'ok', durationMs: 5, steps: 1, totals: t }, time);
const usage = (runId: string, t: Totals) =>
  event(runId, { type: 'usage', inputTokens: t.inputTokens, outputTokens: t.outputTokens, estimated: false, costUsd: t.costUsd, durationMs: 1, totals: t });

test('a chat restored from its events has one turn per run, questions from run-start', () => {
  // r1 as recorded before cached tokens were counted; r2 with 40 of its 50 input tokens cached.
  const events = [start('r1', 'first?', 10), event('r1', { type: 'text-delta', text: 'A' }), end('r1', totals(100, 10, 0.01), 20), start('r2', 'second?', 30), end('r2', { ...totals(50, 5, 0.02), cachedInputTokens: 40 }, 40)];
  const session = new ChatSession('chat-1', 'T', new Conversation('chat-1'), events);
  assert.deepEqual(session.turns.map((t) => [t.runId, t.question, t.events.length]), [['r1', 'first?', 3], ['r2', 'second?', 2]]);
  assert.equal(session.latestRunId, 'r2');
  assert.deepEqual(session.totals(), { inputTokens: 150, cachedInputTokens: 40, outputTokens: 15, costUsd: 0.03 });
});

test('a live turn shows the typed question before its first event, and keeps it', () => {
  const session = new ChatSession('c', 'T', new Conversation('c'));
  session.startTurn('r1', 'what is this?');
  assert.equal(session.turns[0].question, 'what is this?');
  session.addEvent(start('r1', 'what is this?\n\nSelected in a.ts (line 3):\n```ts\nx\n```', 5));
  assert.equal(session.turns[0].question, 'what is this?');
  assert.equal(session.turns.length, 1);
});

test('a running run counts its latest usage; the picker shows it without an end', () => {
  const session = new ChatSession('c', 'T', new Conversation('c'), [start('r1', 'q', 100), usage('r1', totals(7, 3, 0.5))]);
  assert.deepEqual(session.totals(), { inputTokens: 7, cachedInputTokens: 0, outputTokens: 3, costUsd: 0.5 });
  const [summary] = session.runSummaries();
  assert.equal(summary.startedAt, 100);
  assert.equal(summary.endedAt, undefined);
  assert.equal(summary.reason, undefined);
  assert.equal(summary.totals?.inputTokens, 7);
});

test('finished runs carry their end time, reason and totals', () => {
  const session = new ChatSession('c', 'T', new Conversation('c'), [start('r1', 'q', 100), end('r1', totals(1, 2, 0), 250)]);
  assert.deepEqual(session.runSummaries(), [{ runId: 'r1', task: 'q', startedAt: 100, endedAt: 250, reason: 'answered', totals: totals(1, 2, 0) }]);
  assert.deepEqual(session.eventsOf('missing'), []);
  assert.equal(session.hasRun('r1'), true);
});

test('an attached selection names the file and lines and is fenced longer than any backticks in it', () => {
  const text = 'const s = ```nested```;';
  const question = questionWithSelection('Explain', { path: 'src/a.ts', startLine: 3, endLine: 5, languageId: 'typescript', text });
  assert.equal(question, `Explain\n\nSelected in src/a.ts (lines 3–5):\n\`\`\`\`typescript\n${text}\n\`\`\`\``);
  assert.match(questionWithSelection('Q', { path: 'b.py', startLine: 7, endLine: 7, languageId: 'python', text: 'x' }), /\(line 7\):\n```python\nx\n```$/);
});

test('chat titles are the first question on one line, clipped', () => {
  assert.equal(titleFromQuestion('  How does\n the loop   stop? '), 'How does the loop stop?');
  assert.equal(titleFromQuestion('x'.repeat(100)).length, 60);
  assert.equal(titleFromQuestion('   '), 'New chat');
});
