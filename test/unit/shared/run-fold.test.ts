import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEvent, AgentEventBody } from '../../../src/agent/events';
import { RunFold, type ChildState, type PlanRevision, type ToolCallState } from '../../../src/shared/run-fold';

type Call = ToolCallState & { child?: ChildState & { events: string[] } };

function fold(): { fold: RunFold<Call, PlanRevision>; decided: string[] } {
  const decided: string[] = [];
  return {
    decided,
    fold: new RunFold<Call, PlanRevision>({
      newCall: (e) => ({ callId: e.callId, tool: e.tool, risk: e.risk, args: e.args }),
      newPlan: (e) => ({ revision: e.revision, plan: e.plan }),
      planDecided: (plan, e) => void decided.push(`${plan.revision}:${e.decision}`),
      childStarted: (call, e) => (call.child = { question: e.question, limits: e.limits, events: [] }),
      childEvent: (call, e) => (call.child ? call.child.events.push(e.type) > 0 : false),
      childEnded: (call, e) => (call.child ? ((call.child.ended = e), true) : false),
    }),
  };
}

let seq = 0;
const event = (body: AgentEventBody): AgentEvent => ({ step: 1, ...body, runId: 'r1', seq: seq++, time: 1_000 + seq }) as AgentEvent;
const totals = (costUsd: number) => ({ inputTokens: 1, outputTokens: 1, costUsd, modelCalls: 1, toolCalls: 0 });
const limits = { maxSteps: 2, maxCostUsd: 0.1, runTimeoutMs: 1000 };

test('a call gathers its approval, checkpoint, result and research child by id; other calls are untouched', () => {
  const { fold: run } = fold();
  const made = run.apply(event({ type: 'tool-call', callId: 'w1', tool: 'write_file', args: { path: 'a' }, risk: 'write' }));
  assert.equal(made.kind === 'call' && made.created, true);
  run.apply(event({ type: 'tool-call', callId: 'r1', tool: 'read_file', args: { path: 'b' }, risk: 'read' }));
  const request = { runId: 'r1', callId: 'w1', tool: 'write_file', risk: 'write', args: {}, preview: { summary: 's', detail: 'd' }, reasons: [], needsPerson: false } as const;
  const steps = [
    run.apply(event({ type: 'approval-requested', callId: 'w1', request })),
    run.apply(event({ type: 'approval-decided', callId: 'w1', tool: 'write_file', decision: 'allow-once', reason: 'approved', durationMs: 40 })),
    run.apply(event({ type: 'checkpoint-created', callId: 'w1', tool: 'write_file', checkpointId: 'cp1', files: 1, addedBytes: 1, skippedFiles: 0, durationMs: 1 })),
    run.apply(event({ type: 'child-started', callId: 'w1', childRunId: 'child', question: 'why?', limits })),
    run.apply(event({ type: 'child-event', callId: 'w1', childRunId: 'child', event: event({ type: 'warning', code: 'other', message: 'x' }) })),
    run.apply(event({ type: 'child-ended', callId: 'w1', childRunId: 'child', reason: 'answered', steps: 1, durationMs: 5, totals: totals(0) })),
    run.apply(event({ type: 'tool-result', callId: 'w1', tool: 'write_file', ok: true, output: 'Wrote', durationMs: 7, truncatedChars: 0 })),
  ];
  assert.deepEqual(steps.map((s) => (s.kind === 'call' ? `${s.call.callId}:${s.created}` : s.kind)), Array(7).fill('w1:false'));
  const call = run.call('w1')!;
  assert.equal(call.approvalRequest?.preview.summary, 's');
  assert.deepEqual(call.approval, { decision: 'allow-once', reason: 'approved', durationMs: 40 });
  assert.equal(call.checkpointId, 'cp1');
  assert.deepEqual(call.child?.events, ['warning']);
  assert.equal(call.child?.ended?.reason, 'answered');
  assert.equal(call.result?.output, 'Wrote');
  assert.equal(typeof call.end, 'number');
  assert.deepEqual(run.call('r1'), { callId: 'r1', tool: 'read_file', risk: 'read', args: { path: 'b' } });
});

test('events for a call never seen, or a child never started, change nothing', () => {
  const { fold: run } = fold();
  assert.equal(run.apply(event({ type: 'tool-result', callId: 'nope', tool: 't', ok: true, output: '', durationMs: 0, truncatedChars: 0 })).kind, 'missed');
  run.apply(event({ type: 'tool-call', callId: 'c1', tool: 'read_file', args: {}, risk: 'read' }));
  assert.equal(run.apply(event({ type: 'child-ended', callId: 'c1', childRunId: 'x', reason: 'answered', steps: 1, durationMs: 1, totals: totals(0) })).kind, 'missed');
  assert.equal(run.apply(event({ type: 'plan-decided', revision: 0, decision: 'approved', plan: { goal: 'g', steps: [] }, edited: false })).kind, 'missed');
});

test('the plan is the latest proposed; its decision lands on it, then the view hears of it', () => {
  const { fold: run, decided } = fold();
  const plan = { goal: 'g', steps: [{ id: 'a', title: 'A' }] };
  run.apply(event({ type: 'plan-proposed', revision: 0, plan }));
  run.apply(event({ type: 'plan-decided', revision: 0, decision: 'rejected', plan, edited: false, reason: 'too long' }));
  const edited = { goal: 'g', steps: [{ id: 'a', title: 'A, shorter' }] };
  run.apply(event({ type: 'plan-proposed', revision: 1, plan, replaces: plan, why: 'too long' }));
  const step = run.apply(event({ type: 'plan-decided', revision: 1, decision: 'approved', plan: edited, edited: true }));
  assert.equal(step.kind === 'plan' && step.plan.revision, 1);
  assert.deepEqual(run.plan, { revision: 1, plan: edited, decision: 'approved', reason: undefined, edited: true });
  assert.deepEqual(decided, ['0:rejected', '1:approved']);
});

test('totals follow the latest usage, then the run-end; other events are the view\'s own', () => {
  const { fold: run } = fold();
  const spent = () => run.totals?.costUsd;
  assert.equal(spent(), undefined);
  assert.equal(run.apply(event({ type: 'usage', inputTokens: 1, outputTokens: 1, estimated: false, costUsd: 0.01, durationMs: 1, totals: totals(0.01) })).kind, 'other');
  assert.equal(spent(), 0.01);
  run.apply(event({ type: 'run-end', reason: 'answered', answer: 'ok', durationMs: 1, steps: 1, totals: totals(0.02) }));
  assert.equal(spent(), 0.02);
  assert.equal(run.apply(event({ type: 'text-delta', text: 'hi' })).kind, 'other');
});
