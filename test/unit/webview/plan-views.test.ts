import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AgentEvent } from '../../../src/agent/events';
import { ChatHistory } from '../../../src/agent/history/chat-history';
import { ChatRecorder } from '../../../src/agent/history/chat-recorder';
import { InMemoryKeyValueStore } from '../../../src/agent/history/key-value-store';
import { Conversation } from '../../../src/agent/loop/conversation';
import { ChatSession, INTERRUPTED_ANSWER } from '../../../src/host/run/chat-session';
import { PlanDecisions } from '../../../src/host/run/plan-decisions';
import { TurnModel, type PlanItem } from '../../../src/webview/chat-model';
import { TraceModel, withChildRows, type PlanStepRow } from '../../../src/webview/trace-model';
import { runPlannedScripted } from '../../support/plan-harness';
import { delay, textTurn, toolCallTurn } from '../../support/scripted-server';

/** A plan of two read-only steps and one after them; step `slow` takes a while when asked to. */
function planRouter(slowMs: number) {
  return (role: Parameters<Parameters<typeof runPlannedScripted>[0]>[0], turn: number) => {
    if (role.kind === 'planning') {
      if (turn === 0) {
        return toolCallTurn('submit_plan', {
          goal: 'Know a and b',
          steps: [
            { id: 'fast', title: 'Read a', readOnly: true },
            { id: 'slow', title: 'Read b', readOnly: true },
            { id: 'join', title: 'Join them', dependsOn: ['fast', 'slow'] },
          ],
        });
      }
      return textTurn('Submitted.');
    }
    if (role.kind === 'step' && role.stepId === 'fast') return textTurn('a is 1');
    if (role.kind === 'step' && role.stepId === 'slow') return [delay(slowMs), ...textTurn('b is 2')];
    return textTurn('a + b = 3');
  };
}

test('chat and trace: a plan\'s checklist, each step\'s progress and nested run, reduced from the real stream', async () => {
  const run = await runPlannedScripted(planRouter(50), {
    decidePlan: async (p) => ({ kind: 'approve', plan: { ...p.plan, steps: p.plan.steps.map((s) => (s.id === 'join' ? { ...s, title: 'Join them both' } : s)) } }),
  });
  const turn = new TurnModel(run.end.runId, 'q');
  const trace = new TraceModel();
  for (const event of run.events) {
    turn.apply(event);
    trace.apply(event);
  }
  const plan = turn.items.find((i): i is PlanItem => i.kind === 'plan');
  assert.ok(plan);
  assert.equal(plan.decision, 'approved');
  assert.deepEqual([...plan.steps.values()].map((s) => `${s.step.id}:${s.status}`), ['fast:done', 'slow:done', 'join:done']);
  assert.equal(plan.steps.get('slow')?.turn?.answer, 'b is 2');
  assert.equal(plan.steps.get('join')?.findings, 'a + b = 3');
  assert.equal(plan.steps.get('join')?.step.title, 'Join them both', 'the checklist shows the step as the person worded it');
  assert.equal(turn.answer, 'a + b = 3');
  assert.equal(turn.pendingPlan, undefined);
  // The planning turn's closing words are a thought before the plan, never shown as the answer.
  const thoughts = turn.items.filter((i) => i.kind === 'thought').map((i) => (i.kind === 'thought' ? i.text : ''));
  assert.deepEqual(thoughts, ['Submitted.']);
  assert.ok(turn.items.indexOf(plan) > turn.items.findIndex((i) => i.kind === 'thought'));
  // Trace: one row per step, each with its own model call and totals; the timeline walks into them.
  const steps = trace.rows.filter((r): r is PlanStepRow => r.kind === 'plan-step');
  assert.deepEqual(steps.map((s) => `${s.stepId}:${s.outcome}`), ['fast:done', 'slow:done', 'join:done']);
  for (const step of steps) assert.equal(step.trace.rows.filter((r) => r.kind === 'model-call').length, 1);
  assert.equal([...withChildRows(trace.rows)].filter((r) => r.kind === 'model-call').length, run.requests.length);
  // The parallel steps' bars overlap on the run's time axis.
  const [fast, slow] = steps;
  assert.ok(slow.time <= (fast.end ?? 0), 'slow started before fast ended');
});

test('a plan waiting for the person shows as pending; a chat restored after a kill mid-plan shows it interrupted at its step', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'glassbox-plan-history-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const history = new ChatHistory({ dir, index: new InMemoryKeyValueStore(), maxChatBytes: 1 << 24, maxTotalBytes: 1 << 28, indexDelayMs: 10 });
  const chat = await history.create('plan');
  const conversation = new Conversation(chat.id);
  const recorder = new ChatRecorder(history, chat.id, conversation);
  // Record the run's events up to the moment the slow step is running: then "the host dies".
  const stop = new AbortController();
  const seen: AgentEvent[] = [];
  let pendingSeen = false;
  await runPlannedScripted(planRouter(60_000), {
    signal: stop.signal,
    decidePlan: async (p) => {
      // The person sees the plan once the stream has carried it to the view.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const waiting = new TurnModel(p.runId, 'q');
      for (const e of seen) waiting.apply(e);
      pendingSeen = waiting.pendingPlan?.plan.steps.length === 3;
      return { kind: 'approve', plan: p.plan };
    },
    onEvent: (event: AgentEvent) => {
      seen.push(event);
      recorder.record(event);
      if (event.type === 'plan-step-ended' && event.stepId === 'fast') setTimeout(() => stop.abort(), 20);
    },
  });
  assert.ok(pendingSeen, 'before the decision the plan is pending in the chat');
  await recorder.close();
  const killedAt = seen.findIndex((e) => e.type === 'run-end');
  // What the disk holds without the end (the kill came first).
  const loaded = await history.load(chat.id);
  const events = loaded.events.filter((e) => e.seq < seen[killedAt].seq && !(e.type === 'plan-step-ended' && e.stepId === 'slow'));
  const session = new ChatSession(chat.id, 'plan', new Conversation(chat.id), events);
  assert.equal(session.endInterruptedRuns(), 1);
  const turn = new TurnModel(seen[0].runId, 'q');
  for (const e of session.eventsOf(seen[0].runId)) turn.apply(e);
  const plan = turn.plan;
  assert.ok(plan);
  assert.equal(turn.answer, INTERRUPTED_ANSWER);
  assert.deepEqual([...plan.steps.values()].map((s) => `${s.step.id}:${s.status}`), ['fast:done', 'slow:interrupted', 'join:pending']);
  assert.equal(plan.steps.get('fast')?.findings, 'a is 1');
});

test('host: an edited plan from the view is checked with the plan schema; a bad one is refused and the plan keeps waiting', async () => {
  const decisions = new PlanDecisions();
  const stop = new AbortController();
  const plan = { goal: 'g', steps: [{ id: 'a', title: 'A' }] };
  const waiting = decisions.wait({ runId: 'r1', revision: 0, plan }, stop.signal);
  assert.match(decisions.decide('r1', 0, { kind: 'approve', plan: { goal: 'g', steps: [{ id: 'a', title: 'A' }, { id: 'a', title: 'dup' }] } }) ?? '', /used twice/);
  assert.match(decisions.decide('r1', 0, { kind: 'approve', plan: { goal: 'g', steps: [{ id: 'a', title: 'A', dependsOn: ['a'] }] } }) ?? '', /depends on itself/);
  assert.match(decisions.decide('r1', 0, { kind: 'approve', plan: '<script>' }) ?? '', /cannot run/);
  assert.match(decisions.decide('r1', 5, { kind: 'approve', plan }) ?? '', /no longer waiting/);
  assert.ok(decisions.isWaiting('r1'));
  assert.equal(decisions.decide('r1', 0, { kind: 'approve', plan: { goal: 'g', steps: [{ id: 'a', title: 'A, reworded' }] } }), undefined);
  const decision = await waiting;
  assert.equal(decision.kind === 'approve' && decision.plan.steps[0].title, 'A, reworded');
  // Stop while waiting rejects the wait and forgets it.
  const second = decisions.wait({ runId: 'r2', revision: 0, plan }, stop.signal);
  stop.abort();
  await assert.rejects(second);
  assert.equal(decisions.isWaiting('r2'), false);
});
