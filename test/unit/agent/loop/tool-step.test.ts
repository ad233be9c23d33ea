/**
 * ToolStep on its own, without a model: the calls of one reply are validated, approved, run and
 * answered in call order; what events carry is redacted. (The loop around it is run-agent's.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent, AgentEventBody, EventOf } from '../../../../src/agent/events';
import { silentLogger } from '../../../../src/agent/logger';
import { Conversation } from '../../../../src/agent/loop/conversation';
import { LoopDetector } from '../../../../src/agent/loop/loop-detector';
import { defaultLimits } from '../../../../src/agent/loop/run-options';
import { MAX_CALLS_PER_REPLY, ToolStep } from '../../../../src/agent/loop/tool-step';
import type { ToolCallRequest } from '../../../../src/agent/model/model';
import { defaultApprovalSettings } from '../../../../src/agent/safety/approval';
import type { AnyTool, ApprovalDecision, ApprovalRequest } from '../../../../src/agent/tool';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { noteTool, shoutTool } from '../../../support/test-tools';

const SECRET = `sk-proj-${'Ab1'.repeat(16)}`;

interface Harness {
  readonly step: ToolStep;
  readonly events: AgentEventBody[];
  readonly conversation: Conversation;
  readonly asked: ApprovalRequest[];
  of<T extends AgentEvent['type']>(type: T): Extract<AgentEventBody, { type: T }>[];
  /** The tool results the next prompt carries, in order, as callId: content. */
  results(): string[];
}

function harness(tools: readonly AnyTool[], answer: (request: ApprovalRequest) => ApprovalDecision, loop = { warnAt: 3, stopAt: 5 }): Harness {
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-tool-step-'));
  test.after(() => rmSync(workspace, { recursive: true, force: true }));
  const events: AgentEventBody[] = [];
  const asked: ApprovalRequest[] = [];
  const conversation = new Conversation();
  const step = new ToolStep({
    conversation,
    tools: new Map(tools.map((t) => [t.name, t])),
    fs: new NodeWorkspaceFs([workspace]),
    log: silentLogger,
    runId: 'run-tool-step',
    signal: new AbortController().signal,
    limits: defaultLimits,
    approvalSettings: defaultApprovalSettings,
    approve: async (request) => {
      asked.push(request);
      return answer(request);
    },
    detector: new LoopDetector(loop.warnAt, loop.stopAt),
    emit: (body) => {
      events.push(body);
      return { ...body, runId: 'run-tool-step', seq: events.length, time: 0, step: 1 } as AgentEvent;
    },
    countToolCall: () => undefined,
  });
  return {
    step,
    events,
    conversation,
    asked,
    of: <T extends AgentEvent['type']>(type: T) => events.filter((e): e is Extract<AgentEventBody, { type: T }> => e.type === type),
    results: () => conversation.messages.flatMap((m) => (m.role === 'tool' ? [`${m.toolCallId}: ${m.content}`] : [])),
  };
}

const call = (id: string, name: string, args: unknown): ToolCallRequest => ({ id, name, argumentsJson: typeof args === 'string' ? args : JSON.stringify(args) });

test('every call gets its result in call order, failed ones included', async () => {
  const h = harness([shoutTool()], () => ({ kind: 'allow-once' }));
  await h.step.run([call('c1', 'shout', { word: 'a' }), call('c2', 'no_such_tool', {}), call('c3', 'shout', '{"word": '), call('c4', 'shout', { word: 'b' })]);
  const results = h.results();
  assert.deepEqual(results.map((r) => r.slice(0, r.indexOf(':'))), ['c1', 'c2', 'c3', 'c4']);
  assert.equal(results[0], 'c1: A');
  assert.match(results[1]!, /^c2: Error: .*no_such_tool/);
  assert.match(results[2]!, /^c3: Error: /);
  assert.equal(results[3], 'c4: B');
  assert.deepEqual(h.of('tool-result').map((r) => [r.callId, r.ok, r.failure]), [
    ['c2', false, 'unknown-tool'],
    ['c3', false, 'bad-json'],
    ['c1', true, undefined],
    ['c4', true, undefined],
  ]);
});

test('read calls run side by side; a risky call runs alone, after its approval, between them', async () => {
  const stats = { running: 0, maxRunning: 0, order: [] as string[] };
  const h = harness([shoutTool(stats, 5), noteTool(stats)], () => ({ kind: 'allow-once' }));
  await h.step.run([
    call('r1', 'shout', { word: 'one' }),
    call('r2', 'shout', { word: 'two' }),
    call('w1', 'write_note', { path: 'n.txt', text: 'hi' }),
    call('r3', 'shout', { word: 'three' }),
  ]);
  assert.equal(stats.maxRunning, 2, stats.order.join(' '));
  assert.deepEqual(stats.order.slice(4), ['start:n.txt', 'end:n.txt', 'start:three', 'end:three']);
  assert.deepEqual(h.asked.map((r) => r.tool), ['write_note']);
});

test('at most MAX_CALLS_PER_REPLY calls of one reply run; the rest are answered "not run"', async () => {
  const h = harness([shoutTool(undefined, 0)], () => ({ kind: 'allow-once' }));
  const calls = Array.from({ length: MAX_CALLS_PER_REPLY + 2 }, (_, i) => call(`c${i}`, 'shout', { word: `w${i}` }));
  await h.step.run(calls);
  const results = h.results();
  assert.equal(results.length, MAX_CALLS_PER_REPLY + 2);
  assert.match(results.at(-1)!, /Not run: the reply made 34 tool calls; at most 32 run per reply/);
  assert.equal(h.of('tool-result').filter((r) => r.failure === 'cancelled').length, 2);
});

test('secrets in the arguments are redacted in the tool-call event and the approval request events carry', async () => {
  const h = harness([noteTool()], () => ({ kind: 'deny', reason: 'not now' }));
  await h.step.run([call('w1', 'write_note', { path: 'n.txt', text: `key=${SECRET}` })]);
  const [shown] = h.of('tool-call');
  assert.ok(!JSON.stringify(shown).includes(SECRET), JSON.stringify(shown));
  assert.ok(!JSON.stringify(h.of('approval-requested')).includes(SECRET));
  // The person's own dialog is asked with the arguments as redacted too (the preview is the tool's own).
  assert.ok(!JSON.stringify(h.asked[0]?.args).includes(SECRET));
});

test('a declined call is not run, and the model is told not to repeat it', async () => {
  const stats = { running: 0, maxRunning: 0, order: [] as string[] };
  const h = harness([noteTool(stats)], () => ({ kind: 'deny', reason: 'not now' }));
  await h.step.run([call('w1', 'write_note', { path: 'n.txt', text: 'hi' })]);
  assert.deepEqual(stats.order, []);
  const decided = h.of('approval-decided')[0] as EventOf<'approval-decided'> | undefined;
  assert.equal(decided?.decision, 'deny');
  assert.match(h.results()[0]!, /^w1: The user declined this write_note call \(not now\)\. Do not repeat it/);
});

test('when the loop detector stops the run, the calls after it in the reply are not run', async () => {
  const stats = { running: 0, maxRunning: 0, order: [] as string[] };
  const h = harness([shoutTool(stats, 0)], () => ({ kind: 'allow-once' }), { warnAt: 2, stopAt: 3 });
  const same = (id: string) => call(id, 'shout', { word: 'again' });
  const stopped = await h.step.run([same('c1'), same('c2'), same('c3'), call('c4', 'shout', { word: 'other' })]);
  assert.match(stopped ?? '', /shout has been called with the same arguments 3 times in a row/);
  assert.deepEqual(stats.order, ['start:again', 'end:again']);
  const results = h.results();
  assert.match(results[1]!, /^c2: Not run: shout has been called/);
  assert.match(results[2]!, /^c3: Not run: the run was stopped because/);
  assert.match(results[3]!, /^c4: Not run: shout has been called/);
});
