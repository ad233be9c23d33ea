/**
 * `glassbox ask --plan` as a user runs it: the built dist/cli.js in a child process, stdin not
 * a terminal, against the scripted server.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { planRoleOf } from '../../support/plan-harness';
import { startScriptedServer, textTurn, toolCallTurn, type ChatRequestBody } from '../../support/scripted-server';
import { runCli as runCliIn, type ProcessResult } from '../../support/run-cli';
import { cliPath } from '../../support/paths';

const CLI = cliPath;
let workspace: string;

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-plan-'));
  writeFileSync(join(workspace, 'a.txt'), 'alpha\n');
});
after(() => rmSync(workspace, { recursive: true, force: true }));

function runCli(args: string[]): Promise<ProcessResult> {
  return runCliIn(args, { cwd: workspace });
}

/** Planning submits a two-step plan; the first step asks a research helper; the second answers. */
function planLoop() {
  return (request: ChatRequestBody) => {
    const turn = request.messages.filter((m) => m.role === 'assistant').length;
    const role = planRoleOf(request);
    if (role.kind === 'planning') {
      return turn === 0
        ? toolCallTurn('submit_plan', { goal: 'Know a.txt', steps: [{ id: 'look', title: 'Look at a.txt', readOnly: true }, { id: 'say', title: 'Say it', dependsOn: ['look'] }] })
        : textTurn('Submitted.');
    }
    if (role.kind === 'child') return turn === 0 ? toolCallTurn('read_file', { path: 'a.txt' }) : textTurn('a.txt holds "alpha".');
    if (role.stepId === 'look') return turn === 0 ? toolCallTurn('research', { question: 'What does a.txt hold?' }) : textTurn('It holds alpha.');
    return textTurn('a.txt says alpha.');
  };
}

test('--plan without a terminal prints the plan and ends without running it', async () => {
  const server = await startScriptedServer({ loop: planLoop() });
  try {
    const result = await runCli(['ask', 'What is in a.txt?', '--plan', '--base-url', server.baseURL, '--model', 'scripted-model']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Proposed plan:\n {2}Goal: Know a\.txt\n {2}1\. \[look\] Look at a\.txt \(read-only\)\n {2}2\. \[say\] Say it \(after look\)/);
    assert.match(result.stderr, /The plan was not run: stdin is not a terminal.*--approve-plan/);
    assert.equal(result.stdout, '');
    assert.equal(server.requests.filter((r) => planRoleOf(r).kind !== 'planning').length, 0, 'no step ran');
  } finally {
    await server.close();
  }
});

test('--approve-plan runs the plan: each step and the research helper indented in the trace, the answer on stdout', async () => {
  const server = await startScriptedServer({ loop: planLoop() });
  try {
    const result = await runCli(['ask', 'What is in a.txt?', '--approve-plan', '--base-url', server.baseURL, '--model', 'scripted-model']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'a.txt says alpha.\n');
    assert.match(result.stderr, /Approved \(--approve-plan\)/);
    assert.match(result.stderr, /Plan step look started: Look at a\.txt/);
    assert.match(result.stderr, / {2}look │ \[step 1\] → research/);
    assert.match(result.stderr, / {2}look │ {3}│ \[step 1\] → read_file/);
    assert.match(result.stderr, /Plan step say done/);
  } finally {
    await server.close();
  }
});

test('--jsonl with --approve-plan: every nested event carries the run and the step or call it belongs to', async () => {
  const server = await startScriptedServer({ loop: planLoop() });
  try {
    const result = await runCli(['ask', 'What is in a.txt?', '--approve-plan', '--jsonl', '--base-url', server.baseURL, '--model', 'scripted-model']);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const runId = events[0].runId;
    assert.ok(events.every((e) => e.runId === runId));
    const stepEvents = events.filter((e) => e.type === 'plan-step-event');
    assert.ok(stepEvents.some((e) => e.stepId === 'look' && e.event.type === 'child-started'));
    const child = stepEvents.find((e) => e.event.type === 'child-event');
    assert.equal(child.event.callId, stepEvents.find((e) => e.event.type === 'tool-call' && e.event.tool === 'research').event.callId);
    assert.equal(child.event.event.runId, stepEvents.find((e) => e.event.type === 'child-started').event.childRunId);
  } finally {
    await server.close();
  }
});
