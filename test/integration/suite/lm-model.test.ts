/**
 * VS Code's Language Model API as a Glassbox provider, in the real extension host: the test
 * extension (test/integration/lm-provider) registers a chat model with the finalized
 * `vscode.lm.registerLanguageModelChatProvider`; Glassbox finds it with `selectChatModels`
 * (no API key) and runs the read-then-answer task through it — tool calls as
 * LanguageModelToolCallPart, results as LanguageModelToolResultPart, usage from countTokens,
 * Stop through the cancellation token.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AgentEvent } from '../../../src/agent/events';
import { silentLogger } from '../../../src/agent/logger';
import { runAgent } from '../../../src/agent/loop/run-agent';
import { FREE } from '../../../src/agent/model/pricing';
import { findLmModel, LmModel } from '../../../src/host/providers/lm-model';
import { modelForRun } from '../../../src/host/providers/model-for-run';
import { parseSettings } from '../../../src/host/settings/settings-values';
import { createHostSearcher } from '../../../src/host/workspace/host-searcher';
import { VscodeWorkspaceFs } from '../../../src/host/workspace/vscode-workspace-fs';
import { createTools } from '../../../src/tools';
import type { RecordedLmRequest } from '../lm-provider/extension';

const PROVIDER_EXTENSION = 'glassbox-test.lm-provider';
const MODEL_ID = 'glassbox-test-lm';

async function providerRequests(): Promise<RecordedLmRequest[]> {
  const extension = vscode.extensions.getExtension<{ requests: RecordedLmRequest[] }>(PROVIDER_EXTENSION);
  assert.ok(extension, `${PROVIDER_EXTENSION} is not installed: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
  return (await extension.activate()).requests;
}

/** The provider registers on activation; VS Code may list its model a moment later. */
async function testModel(): Promise<vscode.LanguageModelChat> {
  await providerRequests();
  for (let tries = 0; tries < 50; tries++) {
    const [model] = await vscode.lm.selectChatModels({ vendor: 'glassbox-test' });
    if (model) return model;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const all = await vscode.lm.selectChatModels();
  throw new Error(`VS Code lists no glassbox-test model; it lists: ${all.map((m) => `${m.vendor}/${m.id}`).join(', ') || 'none'}`);
}

async function run(model: LmModel, task: string, signal?: AbortSignal): Promise<AgentEvent[]> {
  const fs = new VscodeWorkspaceFs();
  const events: AgentEvent[] = [];
  for await (const event of runAgent({
    model,
    price: FREE,
    tools: createTools({ searcher: await createHostSearcher(fs, silentLogger) }),
    fs,
    task,
    approve: async () => ({ kind: 'deny', reason: 'no risky calls in this test' }),
    signal,
  })) {
    events.push(event);
  }
  return events;
}

describe("VS Code's Language Model API as a provider", () => {
  it('finds the registered model by id, with no API key, and reports its window', async () => {
    const chat = await testModel();
    assert.equal(chat.id, MODEL_ID);
    assert.equal(chat.maxInputTokens, 32_000);
    assert.equal((await findLmModel(MODEL_ID)).id, MODEL_ID);
    const { settings } = parseSettings((key) => ({ provider: 'vscode-lm', model: MODEL_ID })[key]);
    const runModel = await modelForRun(settings, undefined, silentLogger);
    assert.equal(runModel.model.name, MODEL_ID);
    assert.equal(runModel.contextWindow, 32_000);
    await assert.rejects(findLmModel('no-such-model'), /VS Code offers no language model "no-such-model"\. It offers: .*glassbox-test-lm \(glassbox-test\)/);
  });

  it('completes read-then-answer: the tool call runs, its result goes back as a tool result part, usage is counted', async () => {
    const requests = await providerRequests();
    const before = requests.length;
    const events = await run(new LmModel(await testModel()), 'Question: what is the title of README.md?');
    const end = events.at(-1);
    assert.ok(end?.type === 'run-end', JSON.stringify(end));
    assert.equal(end.reason, 'answered', end.answer);
    assert.equal(end.answer, 'The README\'s title is "Sample project".');

    const call = events.find((e): e is Extract<AgentEvent, { type: 'tool-call' }> => e.type === 'tool-call');
    assert.equal(call?.tool, 'read_file');
    assert.deepEqual(call?.args, { path: 'README.md' });
    const result = events.find((e): e is Extract<AgentEvent, { type: 'tool-result' }> => e.type === 'tool-result');
    assert.equal(result?.ok, true, result?.output);
    const usage = events.filter((e): e is Extract<AgentEvent, { type: 'usage' }> => e.type === 'usage');
    assert.equal(usage.length, 2);
    assert.ok(usage.every((u) => !u.estimated && u.inputTokens > 0 && u.costUsd === 0), JSON.stringify(usage));

    const sent = requests.slice(before);
    assert.equal(sent.length, 2, 'two model calls');
    assert.ok(sent[0].tools.includes('read_file') && sent[0].tools.includes('search_text'), sent[0].tools.join(', '));
    assert.equal(sent[0].toolMode, vscode.LanguageModelChatToolMode.Auto);
    const second = sent[1].messages;
    const callPart = second.flatMap((m) => m.parts).find((p) => p.kind === 'tool-call');
    assert.deepEqual(callPart, { kind: 'tool-call', callId: 'call-readme-1', name: 'read_file', input: { path: 'README.md' } });
    const resultPart = second.flatMap((m) => m.parts).find((p) => p.kind === 'tool-result');
    assert.equal(resultPart?.callId, 'call-readme-1');
    assert.match(resultPart?.text ?? '', /Sample project/, 'the file content reached the model as a tool result');
    assert.equal(second.at(-1)?.role, 'user', 'tool results travel in a user message');
  });

  it('Stop cancels the request through its token within a second', async () => {
    const requests = await providerRequests();
    const before = requests.length;
    const abort = new AbortController();
    const model = new LmModel(await testModel());
    const running = run(model, 'Please answer slowly.', abort.signal);
    while (requests.length === before) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stoppedAt = Date.now();
    abort.abort();
    const events = await running;
    const end = events.at(-1);
    assert.ok(end?.type === 'run-end');
    assert.equal(end.reason, 'cancelled');
    assert.ok(Date.now() - stoppedAt < 1000, `took ${Date.now() - stoppedAt} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(requests[before].cancelled, true, 'the provider saw the cancellation');
  });
});
