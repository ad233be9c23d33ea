import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EventOf } from '../../../../src/agent/events';
import type { PlanDecision, PlanProposal } from '../../../../src/agent/plan/run-planned';
import { readFile } from '../../../../src/tools/read-file';
import { runPlannedScripted, planRoleOf } from '../../../support/plan-harness';
import { delay, textTurn, toolCallTurn, type ChatRequestBody } from '../../../support/scripted-server';
import { noteTool } from '../../../support/test-tools';

const approve = async (p: PlanProposal): Promise<PlanDecision> => ({ kind: 'approve', plan: p.plan });
const userTexts = (r: ChatRequestBody) => r.messages.filter((m) => m.role === 'user').map((m) => String(m.content));
const stepRequests = (requests: readonly ChatRequestBody[], id: string) =>
  requests.filter((r) => { const role = planRoleOf(r); return role.kind === 'step' && role.stepId === id; });

test('plan: proposed, edited by the person (reworded, removed, added, reordered), approved, and carried out as edited', async () => {
  const proposals: PlanProposal[] = [];
  const run = await runPlannedScripted(
    (role, turn) => {
      if (role.kind === 'planning') {
        if (turn === 0) return toolCallTurn('read_file', { path: 'notes.txt' });
        if (turn === 1) {
          return toolCallTurn('submit_plan', {
            goal: 'Summarise the notes',
            steps: [
              { id: 'read', title: 'Read the notes', readOnly: true },
              { id: 'poem', title: 'Write a poem about them', dependsOn: ['read'] },
              { id: 'summary', title: 'Write the summary', dependsOn: ['read'] },
            ],
          });
        }
        return textTurn('Plan submitted.');
      }
      if (role.kind === 'step' && role.stepId === 'read') return textTurn('notes.txt says: ship on Friday.');
      if (role.kind === 'step' && role.stepId === 'count') return textTurn('The notes have 4 words.');
      if (role.kind === 'step' && role.stepId === 'summary') {
        return turn === 0 ? toolCallTurn('write_note', { path: 'summary.txt', text: 'Ship Friday (4 words).' }) : textTurn('Wrote the summary.');
      }
      throw new Error(`unexpected ${JSON.stringify(role)}`);
    },
    {
      task: 'Summarise notes.txt into summary.txt',
      tools: [readFile, noteTool()],
      approve: async () => ({ kind: 'allow-once' }),
      prepare: (ws) => writeFileSync(join(ws, 'notes.txt'), 'ship on Friday\n'),
      inspect: (ws) => assert.equal(readFileSync(join(ws, 'summary.txt'), 'utf8'), 'Ship Friday (4 words).'),
      decidePlan: async (proposal) => {
        proposals.push(proposal);
        const [read, , summary] = proposal.plan.steps;
        // Reworded, the poem removed, a count step added, and the summary moved after it.
        return {
          kind: 'approve',
          plan: {
            goal: proposal.plan.goal,
            steps: [
              { ...read, title: 'Read notes.txt closely' },
              { id: 'count', title: 'Count the words', dependsOn: ['read'], readOnly: true },
              { ...summary, dependsOn: ['read', 'count'] },
            ],
          },
        };
      },
    },
  );
  assert.equal(run.end.reason, 'answered', run.end.answer);
  assert.equal(proposals.length, 1);
  assert.deepEqual(run.of('plan-proposed')[0].plan.steps.map((s) => s.id), ['read', 'poem', 'summary']);
  const decided = run.of('plan-decided')[0];
  assert.equal(decided.decision, 'approved');
  assert.equal(decided.edited, true);
  assert.deepEqual(decided.plan.steps.map((s) => s.id), ['read', 'count', 'summary']);
  // Carried out as edited: in dependency order, the removed step never runs.
  assert.deepEqual(run.of('plan-step-started').map((e) => e.stepId), ['read', 'count', 'summary']);
  assert.deepEqual(run.of('plan-step-ended').map((e) => `${e.stepId}:${e.outcome}`), ['read:done', 'count:done', 'summary:done']);
  assert.equal(stepRequests(run.requests, 'poem').length, 0);
  // Each step sees the goal, the (edited) plan, what earlier steps found, and its own step.
  const countTask = userTexts(stepRequests(run.requests, 'count')[0])[0];
  assert.match(countTask, /Goal: Summarise the notes/);
  assert.match(countTask, /\[read\] Read notes\.txt closely/);
  assert.ok(!countTask.includes('poem'));
  assert.match(countTask, /### \[read\]\nnotes\.txt says: ship on Friday\./);
  assert.match(countTask, /Your step: \[count\] Count the words/);
  const summaryTask = userTexts(stepRequests(run.requests, 'summary')[0])[0];
  assert.match(summaryTask, /### \[count\]\nThe notes have 4 words\./);
  // The planning phase was offered read tools and submit_plan only.
  const planningTools = (run.requests[0].tools ?? []).map((t) => t.function.name);
  assert.deepEqual(planningTools, ['read_file', 'submit_plan']);
  // A read-only step gets read tools only; the summary step may write (and asked, as always).
  assert.deepEqual((stepRequests(run.requests, 'count')[0].tools ?? []).map((t) => t.function.name), ['read_file']);
  assert.deepEqual((stepRequests(run.requests, 'summary')[0].tools ?? []).map((t) => t.function.name), ['read_file', 'write_note']);
  assert.equal(run.end.answer, 'Wrote the summary.');
  // The run's totals cover planning and every step.
  assert.equal(run.end.totals.modelCalls, run.requests.length);
});

test('plan: a rejection\'s reason goes to the model, which proposes a revised plan that replaces the first', async () => {
  let asked = 0;
  const run = await runPlannedScripted(
    (role, turn) => {
      if (role.kind === 'planning') {
        if (turn === 0) return toolCallTurn('submit_plan', { goal: 'Answer', steps: [{ id: 'a', title: 'Look' }, { id: 'b', title: 'Look again', dependsOn: ['a'] }] });
        if (turn === 1) return textTurn('Submitted.');
        if (turn === 2) return toolCallTurn('submit_plan', { goal: 'Answer', steps: [{ id: 'a', title: 'Look once' }] });
        return textTurn('Submitted again.');
      }
      return textTurn('Looked once: fine.');
    },
    {
      decidePlan: async (proposal) => (asked++ === 0 ? { kind: 'reject', reason: 'One step is enough.' } : { kind: 'approve', plan: proposal.plan }),
    },
  );
  assert.equal(run.end.reason, 'answered');
  const decided = run.of('plan-decided');
  assert.deepEqual(decided.map((d) => d.decision), ['rejected', 'approved']);
  assert.equal(decided[0].reason, 'One step is enough.');
  const planning = run.requests.filter((r) => planRoleOf(r).kind === 'planning');
  assert.match(userTexts(planning[2]).at(-1) ?? '', /rejected the plan: One step is enough\./);
  const [first, second] = run.of('plan-proposed');
  assert.equal(second.revision, 1);
  assert.deepEqual(second.replaces, first.plan);
  assert.equal(second.why, 'One step is enough.');
  assert.equal(run.end.answer, 'Looked once: fine.');
});

test('plan: an invalid plan (duplicate id, unknown dependency, cycle) is a tool result the model fixes', async () => {
  const bad = [
    { goal: 'g', steps: [{ id: 'a', title: 'A' }, { id: 'a', title: 'A again' }] },
    { goal: 'g', steps: [{ id: 'a', title: 'A', dependsOn: ['zzz'] }] },
    { goal: 'g', steps: [{ id: 'a', title: 'A', dependsOn: ['b'] }, { id: 'b', title: 'B', dependsOn: ['a'] }] },
  ];
  const run = await runPlannedScripted(
    (role, turn) => {
      if (role.kind === 'planning') {
        if (turn < 3) return toolCallTurn('submit_plan', bad[turn]);
        if (turn === 3) return toolCallTurn('submit_plan', { goal: 'g', steps: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B', dependsOn: ['a'] }] });
        return textTurn('ok');
      }
      return textTurn(`did ${role.kind === 'step' ? role.stepId : '?'}`);
    },
    { decidePlan: approve },
  );
  assert.equal(run.end.reason, 'answered');
  const results = run.of('tool-result').filter((r) => r.tool === 'submit_plan');
  assert.deepEqual(results.map((r) => r.ok), [false, false, false, true]);
  assert.match(results[0].output, /step id "a" is used twice/);
  assert.match(results[1].output, /depends on "zzz", which is not a step of this plan/);
  assert.match(results[2].output, /cycle: a → b → a/);
  // What the model read, so it could fix it.
  const planning = run.requests.filter((r) => planRoleOf(r).kind === 'planning');
  assert.match(String(planning[1].messages.at(-1)?.content), /used twice/);
  assert.equal(run.of('plan-proposed').length, 1, 'only the valid plan reaches the person');
});

test('plan: a step the model cannot do leads to a revised plan shown against the old one, decided again', async () => {
  const proposals: PlanProposal[] = [];
  const run = await runPlannedScripted(
    (role, turn, request) => {
      if (role.kind === 'planning') {
        if (turn === 0) return toolCallTurn('submit_plan', { goal: 'g', steps: [{ id: 'find', title: 'Find config.yml', readOnly: true }, { id: 'use', title: 'Use it', dependsOn: ['find'] }] });
        if (turn === 1) return textTurn('Submitted.');
        if (turn === 2) {
          assert.match(userTexts(request).at(-1) ?? '', /Step "find" \(Find config\.yml\) failed: there is no config\.yml/);
          return toolCallTurn('submit_plan', { goal: 'g', steps: [{ id: 'defaults', title: 'Use the defaults', readOnly: true }] });
        }
        return textTurn('Revised.');
      }
      if (role.kind === 'step' && role.stepId === 'find') return textTurn('STEP FAILED: there is no config.yml in the workspace.');
      return textTurn('Using the defaults.');
    },
    { decidePlan: async (p) => (proposals.push(p), { kind: 'approve', plan: p.plan }) },
  );
  assert.equal(run.end.reason, 'answered');
  assert.deepEqual(run.of('plan-step-ended').map((e) => `${e.stepId}:${e.outcome}`), ['find:failed', 'defaults:done']);
  assert.equal(run.of('plan-step-ended')[0].findings, 'there is no config.yml in the workspace.');
  assert.equal(stepRequests(run.requests, 'use').length, 0, 'the step after the failed one did not push on');
  assert.equal(proposals.length, 2);
  assert.equal(proposals[1].replaces?.steps[0].id, 'find');
  assert.match(proposals[1].why ?? '', /step find failed/);
  assert.equal(run.of('plan-proposed')[1].replaces?.steps.length, 2);
  assert.equal(run.end.answer, 'Using the defaults.');
});

test('plan: each step has its own share of the run\'s steps, and the run\'s limit covers the whole plan', async () => {
  const run = await runPlannedScripted(
    (role, turn) => {
      if (role.kind === 'planning') {
        if (turn % 2 === 0) return toolCallTurn('submit_plan', { goal: 'g', steps: [{ id: `s${turn}`, title: 'Dig', readOnly: true }, { id: `t${turn}`, title: 'Then', dependsOn: [`s${turn}`] }] });
        return textTurn('Submitted.');
      }
      // A step that never finishes: always one more read.
      return toolCallTurn('read_file', { path: `f${turn}.txt` });
    },
    { tools: [readFile], limits: { maxSteps: 5 }, decidePlan: approve },
  );
  const started = run.of('plan-step-started');
  // 5 − 2 planning calls = 3 left for 2 steps: this step gets 1.
  assert.equal(started[0].limits.maxSteps, 1);
  const firstEnd = run.of('plan-step-ended')[0];
  assert.equal(firstEnd.outcome, 'failed');
  assert.match(firstEnd.findings, /limit of 1 steps|the step ended: max-steps/);
  assert.equal(run.end.reason, 'max-steps');
  assert.ok(run.requests.length <= 5, `${run.requests.length} model calls for a limit of 5`);
  assert.equal(run.end.totals.modelCalls, run.requests.length);
});

test('plan: read-only steps whose dependencies are met run at the same time; the dependent step waits for all', async () => {
  const run = await runPlannedScripted(
    (role, turn) => {
      if (role.kind === 'planning') {
        if (turn === 0) {
          return toolCallTurn('submit_plan', {
            goal: 'g',
            steps: [
              { id: 'x', title: 'Look at x', readOnly: true },
              { id: 'y', title: 'Look at y', readOnly: true },
              { id: 'z', title: 'Look at z', readOnly: true },
              { id: 'all', title: 'Put together', dependsOn: ['x', 'y', 'z'] },
            ],
          });
        }
        return textTurn('Submitted.');
      }
      if (role.kind === 'step' && role.stepId !== 'all') return [delay(150), ...textTurn(`found ${role.stepId}`)];
      return textTurn('x, y and z together.');
    },
    { decidePlan: approve },
  );
  assert.equal(run.end.reason, 'answered');
  const seqOf = (type: 'plan-step-started' | 'plan-step-ended', id: string) => run.events.find((e) => e.type === type && e.stepId === id)?.seq ?? -1;
  const lastStart = Math.max(...['x', 'y', 'z'].map((id) => seqOf('plan-step-started', id)));
  const firstEnd = Math.min(...['x', 'y', 'z'].map((id) => seqOf('plan-step-ended', id)));
  assert.ok(lastStart < firstEnd, 'x, y and z were all running at once');
  const lastEnd = Math.max(...['x', 'y', 'z'].map((id) => seqOf('plan-step-ended', id)));
  assert.ok(seqOf('plan-step-started', 'all') > lastEnd, 'the dependent step started after all three ended');
  const task = userTexts(stepRequests(run.requests, 'all')[0])[0];
  for (const id of ['x', 'y', 'z']) assert.match(task, new RegExp(`### \\[${id}\\]\\nfound ${id}`));
  assert.equal(run.end.answer, 'x, y and z together.');
});

test('plan: Stop while a step runs ends the run at once, the step marked as ended before the run', async () => {
  const stop = new AbortController();
  const run = await runPlannedScripted(
    (role, turn) => {
      if (role.kind === 'planning') return turn === 0 ? toolCallTurn('submit_plan', { goal: 'g', steps: [{ id: 'slow', title: 'Slow' }] }) : textTurn('ok');
      return [delay(60_000), ...textTurn('too late')];
    },
    {
      signal: stop.signal,
      decidePlan: async (p) => {
        setTimeout(() => stop.abort(), 100);
        return { kind: 'approve', plan: p.plan };
      },
    },
  );
  assert.equal(run.end.reason, 'cancelled');
  const ended = run.of('plan-step-ended')[0] as EventOf<'plan-step-ended'> | undefined;
  assert.equal(ended?.stepId, 'slow');
  assert.equal(ended?.outcome, 'failed');
  assert.ok(run.end.time - run.of('plan-step-started')[0].time < 10_000, 'it did not wait for the minute-long call');
});

test('plan: Stop while the person is deciding ends the run without waiting for the decision', async () => {
  const stop = new AbortController();
  const run = await runPlannedScripted(
    (_role, turn) => (turn === 0 ? toolCallTurn('submit_plan', { goal: 'g', steps: [{ id: 'a', title: 'A' }] }) : textTurn('ok')),
    {
      signal: stop.signal,
      decidePlan: () => {
        setTimeout(() => stop.abort(), 50);
        return new Promise<PlanDecision>(() => undefined);
      },
    },
  );
  assert.equal(run.end.reason, 'cancelled');
  assert.equal(run.of('plan-decided').length, 0);
  assert.equal(run.of('plan-step-started').length, 0);
});

test('plan: a bug while planning ends the run as an internal error, its stack in the log like a plain run\'s', async () => {
  const logged: string[] = [];
  const keep = (message: string) => void logged.push(message);
  const run = await runPlannedScripted(
    (_role, turn) => (turn === 0 ? toolCallTurn('submit_plan', { goal: 'g', steps: [{ id: 'a', title: 'A' }] }) : textTurn('ok')),
    {
      logger: { trace: keep, debug: keep, info: keep, warn: keep, error: keep },
      decidePlan: async () => {
        throw new TypeError('decision is undefined');
      },
    },
  );
  assert.equal(run.end.reason, 'error');
  assert.equal(run.end.answer, 'The run failed: decision is undefined');
  assert.equal(run.of('error')[0]?.code, 'internal');
  assert.ok(logged.some((line) => line.startsWith('TypeError: decision is undefined\n    at ')), logged.join('\n'));
});
