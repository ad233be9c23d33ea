import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AgentEvent, EventOf } from '../../../src/agent/events';
import { runAgent } from '../../../src/agent/loop/run-agent';
import { OpenAIModel } from '../../../src/agent/model/openai-model';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import { readFile } from '../../../src/tools/read-file';
import { research } from '../../../src/tools/research';
import { childEvents, roleOf, routed } from '../../support/routed-run';
import { delay, startScriptedServer, textTurn, toolCallTurn, type ChatRequestBody } from '../../support/scripted-server';
import { noteTool } from '../../support/test-tools';

const toolNames = (request: ChatRequestBody) => (request.tools ?? []).map((t) => t.function.name);

test('research: a child answers from its own fresh context with read tools only, and cannot write or delegate', async () => {
  const write = noteTool();
  const run = await routed(
    (role, turn) => {
      if (role.kind === 'parent') {
        if (turn === 0) return toolCallTurn({ id: 'call_r', name: 'research', args: { question: 'What does a.txt say?', paths: ['a.txt'] } });
        return textTurn('The helper says: the secret word is "plover".', { promptTokens: 100, completionTokens: 10 });
      }
      // The child tries to write and to delegate, then reads and answers.
      if (turn === 0) {
        return toolCallTurn(
          { id: 'c_write', name: 'write_note', args: { path: 'x.txt', text: 'child was here' } },
          { id: 'c_research', name: 'research', args: { question: 'deeper?' } },
          { id: 'c_read', name: 'read_file', args: { path: 'a.txt' } },
        );
      }
      return textTurn('a.txt says the secret word is "plover".', { promptTokens: 40, completionTokens: 8 });
    },
    {
      task: 'Find the secret word',
      tools: [readFile, research, write],
      prepare: (ws) => writeFileSync(join(ws, 'a.txt'), 'the secret word is plover\n'),
      approve: async () => ({ kind: 'allow-once' }),
      price: { inputPerMillion: 1_000, outputPerMillion: 2_000 },
    },
  );
  assert.equal(run.end.reason, 'answered');
  const [started] = run.of('child-started');
  assert.equal(started.callId, 'call_r');
  assert.equal(started.question, 'What does a.txt say?');
  assert.equal(started.limits.maxSteps, 8);

  // What the child was sent: a fresh context (no parent task), read tools only.
  const childRequests = run.requests.filter((r) => roleOf(r).kind === 'child');
  assert.equal(childRequests.length, 2);
  assert.deepEqual(toolNames(childRequests[0]), ['read_file']);
  assert.deepEqual(childRequests[0].messages.map((m) => m.role), ['system', 'user']);
  assert.equal(childRequests[0].messages[1].content, 'What does a.txt say?\n\nStart from: a.txt');
  assert.ok(!JSON.stringify(childRequests[0].messages).includes('Find the secret word'), 'the parent\'s task is not in the child\'s context');

  // Its write and its delegation were refused as unknown tools; nothing was written.
  const childResults = childEvents(run).filter((e): e is EventOf<'tool-result'> => e.type === 'tool-result');
  assert.equal(childResults.find((r) => r.callId === 'c_write')?.failure, 'unknown-tool');
  assert.equal(childResults.find((r) => r.callId === 'c_research')?.failure, 'unknown-tool');
  assert.equal(childResults.find((r) => r.callId === 'c_read')?.ok, true);
  assert.ok(!existsSync(join(run.workspace, 'x.txt')));

  // The child's answer is the parent's tool result, tainted by what the child read.
  const result = run.of('tool-result').find((r) => r.callId === 'call_r');
  assert.equal(result?.output, 'a.txt says the secret word is "plover".');
  assert.match(result?.taintSource ?? '', /research helper's reading of a\.txt/);
  const parentSecond = run.requests.filter((r) => roleOf(r).kind === 'parent')[1];
  assert.equal(parentSecond.messages.find((m) => m.role === 'tool')?.content, 'a.txt says the secret word is "plover".');

  // Every child event is wrapped under the parent's run and call, in the child's own run.
  for (const wrapper of run.of('child-event')) {
    assert.equal(wrapper.runId, run.end.runId);
    assert.equal(wrapper.callId, 'call_r');
    assert.equal(wrapper.event.runId, started.childRunId);
  }
  const inner = childEvents(run).map((e) => e.type);
  assert.equal(inner[0], 'run-start');
  assert.equal(inner.at(-1), 'run-end');
  const ended = run.of('child-ended')[0];
  assert.equal(ended.reason, 'answered');
  assert.equal(ended.totals.modelCalls, 2);
  // The child's spend is the parent's too: 2 parent calls + 2 child calls.
  assert.equal(run.end.totals.modelCalls, 4);
  const parentCost = run.of('usage').reduce((sum, u) => sum + u.costUsd, 0);
  assert.ok(ended.totals.costUsd > 0);
  assert.ok(Math.abs(run.end.totals.costUsd - (parentCost + ended.totals.costUsd)) < 1e-9);
  assert.ok(run.events.indexOf(ended) < run.events.indexOf(result as AgentEvent), 'the child ends before its call has a result');
});

test('research: a child keeps to its own step budget and its share of the cost cap; the parent goes on', async () => {
  const run = await routed(
    (role, turn) => {
      if (role.kind === 'parent') {
        if (turn === 0) return [...toolCallTurn({ id: 'call_r', name: 'research', args: { question: 'Look forever' } }), { kind: 'usage', promptTokens: 10, completionTokens: 10 }];
        return textTurn('The helper ran out of steps.', { promptTokens: 10, completionTokens: 10 });
      }
      return [...toolCallTurn('read_file', { path: `f${turn}.txt` }), { kind: 'usage', promptTokens: 10, completionTokens: 10 }];
    },
    {
      tools: [readFile, research],
      delegation: { maxSteps: 2, costShare: 0.5 },
      limits: { maxCostUsd: 1, maxSteps: 10 },
      price: { inputPerMillion: 100, outputPerMillion: 100 },
    },
  );
  assert.equal(run.end.reason, 'answered');
  const [started] = run.of('child-started');
  assert.equal(started.limits.maxSteps, 2);
  // Half the cap (the parent has more than that left).
  assert.ok(Math.abs(started.limits.maxCostUsd - 0.5) < 1e-9);
  const ended = run.of('child-ended')[0];
  assert.equal(ended.reason, 'max-steps');
  assert.equal(ended.steps, 2);
  const result = run.of('tool-result').find((r) => r.callId === 'call_r');
  assert.match(result?.output ?? '', /^The research helper stopped \(max-steps\) before answering\./);
  assert.match(result?.output ?? '', /limit of 2 steps/);
  assert.equal(run.end.totals.modelCalls, 4);
});

test('research: a child whose share of the budget is spent is stopped before overspending', async () => {
  const run = await routed(
    (role, turn) => {
      if (role.kind === 'parent') {
        if (turn === 0) return [...toolCallTurn({ id: 'call_r', name: 'research', args: { question: 'Read a lot' } }), { kind: 'usage', promptTokens: 100, completionTokens: 10 }];
        return textTurn('Done.', { promptTokens: 100, completionTokens: 10 });
      }
      // Each child call reports 4 000 prompt tokens: $0.40 at $100 per million.
      return [...toolCallTurn('read_file', { path: `f${turn}.txt` }), { kind: 'usage', promptTokens: 4_000, completionTokens: 10 }];
    },
    {
      tools: [readFile, research],
      delegation: { maxSteps: 8, costShare: 0.1 },
      limits: { maxCostUsd: 10 },
      price: { inputPerMillion: 100, outputPerMillion: 100 },
    },
  );
  const [started] = run.of('child-started');
  assert.ok(Math.abs(started.limits.maxCostUsd - 1) < 1e-9);
  const ended = run.of('child-ended')[0];
  assert.equal(ended.reason, 'budget');
  assert.ok(ended.totals.costUsd <= 1 + 1e-9, `the child spent $${ended.totals.costUsd}`);
  assert.ok(ended.steps >= 2, 'the child ran until its share was near spent');
  assert.equal(run.end.reason, 'answered');
});

test('research: three calls in one message run three children at the same time', async () => {
  const questions = ['alpha', 'beta', 'gamma'];
  const run = await routed(
    (role, turn) => {
      if (role.kind === 'parent') {
        if (turn === 0) return toolCallTurn(...questions.map((q) => ({ id: `call_${q}`, name: 'research', args: { question: `About ${q}?` } })));
        return textTurn('All three answered.');
      }
      // Each child's one call takes a while, so children that run one after another cannot overlap.
      return [delay(150), ...textTurn(`Found ${role.question.slice(6, -1)}.`)];
    },
    { tools: [readFile, research] },
  );
  assert.equal(run.end.reason, 'answered');
  const started = run.of('child-started');
  const ended = run.of('child-ended');
  assert.equal(started.length, 3);
  assert.equal(ended.length, 3);
  // Every child started before any child ended: they overlapped.
  const lastStart = Math.max(...started.map((e) => e.seq));
  const firstEnd = Math.min(...ended.map((e) => e.seq));
  assert.ok(lastStart < firstEnd, 'all three children were running at once');
  const childModelCalls = childEvents(run).filter((e): e is EventOf<'model-request'> => e.type === 'model-request');
  const callsStarted = Math.max(...childModelCalls.map((e) => e.time));
  const firstAnswer = Math.min(...childEvents(run).filter((e) => e.type === 'assistant-message').map((e) => e.time));
  assert.ok(callsStarted <= firstAnswer, 'each child sent its model call before any child got an answer');
  for (const q of questions) {
    assert.equal(run.of('tool-result').find((r) => r.callId === `call_${q}`)?.output, `Found ${q}.`);
  }
});

test('research: Stop during a child cancels it, and its end is in the stream before the parent\'s', async () => {
  const stop = new AbortController();
  const server = await startScriptedServer({
    loop: (request) => {
      if (roleOf(request).kind === 'parent') return toolCallTurn({ id: 'call_r', name: 'research', args: { question: 'Slow one' } });
      return [delay(60_000), ...textTurn('too late')];
    },
  });
  const events: AgentEvent[] = [];
  let stoppedAt = 0;
  try {
    const model = new OpenAIModel({ baseURL: server.baseURL, apiKey: 'test', model: 'scripted-model' });
    for await (const event of runAgent({ model, tools: [readFile, research], fs: new NodeWorkspaceFs([process.cwd()]), task: 't', signal: stop.signal })) {
      events.push(event);
      const inner = event.type === 'child-event' ? event.event : undefined;
      if (inner?.type === 'model-request' && stoppedAt === 0) {
        stoppedAt = Date.now();
        stop.abort();
      }
    }
  } finally {
    await server.close();
  }
  const end = events.at(-1);
  assert.equal(end?.type, 'run-end');
  assert.equal(end?.type === 'run-end' && end.reason, 'cancelled');
  const childEnd = events.find((e): e is EventOf<'child-ended'> => e.type === 'child-ended');
  assert.equal(childEnd?.reason, 'cancelled');
  const childRunEnd = events.flatMap((e) => (e.type === 'child-event' && e.event.type === 'run-end' ? [e.event] : []));
  assert.equal(childRunEnd[0]?.reason, 'cancelled');
  // It did not wait for the child's minute-long model call.
  assert.ok((end?.time ?? Infinity) - stoppedAt < 10_000);
});
