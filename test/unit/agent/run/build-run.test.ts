import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AgentEvent } from '../../../../src/agent/events';
import type { Model, ModelChunk, ModelRequest } from '../../../../src/agent/model/model';
import { buildRun, type RunParts, type RunSettings } from '../../../../src/agent/run/build-run';
import { startRun } from '../../../../src/agent/run/start-run';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { cliRunSettings } from '../../../../src/cli/cli-run-settings';
import { parseCommandLine, type AskCommand } from '../../../../src/cli/args';

/** Answers every request with one line of text, and keeps what it was asked. */
class AnsweringModel implements Model {
  readonly name = 'answering-model';
  readonly requests: ModelRequest[] = [];
  async *stream(request: ModelRequest): AsyncIterable<ModelChunk> {
    this.requests.push(request);
    yield { type: 'text', text: 'Done.' };
    yield { type: 'finish', reason: 'stop' };
  }
}

const neverDecided: RunParts['decidePlan'] = () => Promise.reject(new Error('no plan was expected'));

function partsFor(model: Model, fs: NodeWorkspaceFs): RunParts {
  return { model, tools: [], fs, task: 'What is here?', decidePlan: neverDecided };
}

const askCommand = (...flags: string[]): AskCommand => {
  const command = parseCommandLine(['ask', 'What is here?', ...flags], {}, false);
  assert.equal(command.command, 'ask');
  return command as AskCommand;
};

test('CLI flags left out keep the loop defaults: no limit or approval key is set to undefined', () => {
  const request = buildRun(cliRunSettings(askCommand(), undefined), partsFor(new AnsweringModel(), new NodeWorkspaceFs([tmpdir()])));
  assert.equal(request.planned, false);
  assert.deepEqual(request.options.limits, {});
  assert.deepEqual(request.options.approvalSettings, {});
  assert.ok(!('price' in request.options) && !('toolSources' in request.options) && !('logger' in request.options));
});

test('CLI flags become the run limits, approval and plan choice', () => {
  const command = askCommand('--max-steps', '7', '--max-cost', '0.5', '--timeout', '30', '--approve', 'allow', '--plan', '--small-model', 'on');
  const request = buildRun(cliRunSettings(command, 16_000), partsFor(new AnsweringModel(), new NodeWorkspaceFs([tmpdir()])));
  assert.equal(request.planned, true);
  assert.deepEqual(request.options.limits, { maxSteps: 7, maxCostUsd: 0.5, runTimeoutMs: 30_000, contextTokens: 16_000 });
  assert.deepEqual(request.options.approvalSettings, { autoApprove: { read: true, write: true, execute: true, network: true } });
  assert.equal(request.options.smallModel, 'on');
  assert.equal(request.planned && request.options.decidePlan, neverDecided);
  // --allow-command / --deny-command (repeatable) become the run's command rules.
  const ruled = askCommand('--allow-command', 'git status', '--allow-command', 'npm run *', '--deny-command', 'rm');
  const ruledRequest = buildRun(cliRunSettings(ruled, undefined), partsFor(new AnsweringModel(), new NodeWorkspaceFs([tmpdir()])));
  assert.deepEqual(ruledRequest.options.approvalSettings?.commandRules, { allow: ['git status', 'npm run *'], deny: ['rm'] });
});

test('startRun runs a plain request straight away and a planned one through planning first', async (t) => {
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-build-run-'));
  t.after(() => rmSync(workspace, { recursive: true, force: true }));
  const fs = new NodeWorkspaceFs([workspace]);
  const settings = (planFirst: boolean): RunSettings => ({ limits: { maxSteps: 3 }, approval: {}, planFirst });

  const plainModel = new AnsweringModel();
  const plain: AgentEvent[] = [];
  for await (const event of startRun(buildRun(settings(false), partsFor(plainModel, fs)))) plain.push(event);
  assert.equal(plain.at(-1)?.type, 'run-end');
  assert.ok(!plainModel.requests.some((request) => request.tools.some((tool) => tool.name === 'submit_plan')), 'a plain run offers no submit_plan');

  const plannedModel = new AnsweringModel();
  for await (const event of startRun(buildRun(settings(true), partsFor(plannedModel, fs)))) void event;
  assert.ok(plannedModel.requests[0]?.tools.some((tool) => tool.name === 'submit_plan'), 'a planned run starts by asking for a plan');
});
