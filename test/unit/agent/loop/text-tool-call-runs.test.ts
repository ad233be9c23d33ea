// Tool calls written as text, through the real loop, the real `openai` SDK and the scripted
// OpenAI-compatible server on 127.0.0.1: every reference fixture streamed in small deltas, with
// the tools described in the prompt and with tools the server accepted; what the user sees
// (events, answer) and what the model is sent next (its own call text, the results). Then the
// protections: an unreadable call gets one correction and then ends the run with an error, an
// example runs nothing, a refusal naming --jinja switches to prompt tools without a retry.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AgentEvent, EventOf } from '../../../../src/agent/events';
import { OpenAIModel, type ToolCallMode } from '../../../../src/agent/model/openai-model';
import { runAgent } from '../../../../src/agent/loop/run-agent';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { errorTurn, startScriptedServer, textTurn, type ScriptStep, type ScriptTurn, type ChatRequestBody } from '../../../support/scripted-server';
import { fixtureTools } from '../../../support/fixture-tools';
import { FORMAT_FIXTURES, NEGATIVE_FIXTURES } from '../../../support/tool-call-fixtures';

let workspace: string;
before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'glassbox-text-calls-'));
});
after(() => rmSync(workspace, { recursive: true, force: true }));

const tools = fixtureTools();

/** The reply streamed in 5-character deltas (the first 2), so special tokens are cut across deltas. */
function streamed(text: string): ScriptStep[] {
  const steps: ScriptStep[] = [{ kind: 'text', text: text.slice(0, 2) }];
  for (let i = 2; i < text.length; i += 5) steps.push({ kind: 'text', text: text.slice(i, i + 5) });
  return [...steps, { kind: 'finish', reason: 'stop' }];
}

interface Run {
  readonly events: AgentEvent[];
  readonly requests: readonly ChatRequestBody[];
  of<T extends AgentEvent['type']>(type: T): EventOf<T>[];
}

async function run(turns: ScriptTurn[], toolCalls: ToolCallMode, task = 'Use the tools, then say Done.'): Promise<Run> {
  const server = await startScriptedServer(turns);
  const events: AgentEvent[] = [];
  try {
    const model = new OpenAIModel({ baseURL: server.baseURL, apiKey: 'test', model: 'scripted-model', retryBaseDelayMs: 5, toolCalls });
    for await (const event of runAgent({ task, tools, model, fs: new NodeWorkspaceFs([workspace]) })) events.push(event);
  } finally {
    await server.close();
  }
  return { events, requests: server.requests, of: <T extends AgentEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type) };
}

/** Text shown live in step 1 (before the calls ran). */
const shownInStep1 = (r: Run) =>
  r.events
    .filter((e): e is EventOf<'text-delta'> => e.type === 'text-delta' && e.step === 1)
    .map((e) => e.text)
    .join('');

for (const fixture of FORMAT_FIXTURES) {
  for (const mode of ['prompt', 'native'] as const) {
    const where = mode === 'prompt' ? 'tools in the prompt' : 'the server accepted tools, the model wrote text';
    test(`${fixture.format}: ${fixture.name} — runs its calls (${where})`, async () => {
      const r = await run([streamed(fixture.text), textTurn('Done.')], mode);
      assert.deepEqual(
        r.of('tool-call').map((e) => [e.tool, e.args]),
        fixture.calls.map(([name, args]) => [name, args]),
      );
      assert.ok(r.of('tool-result').every((e) => e.ok));
      assert.deepEqual([r.events.at(-1)?.type, r.of('run-end')[0]?.reason, r.of('final-answer').map((e) => e.text)], ['run-end', 'answered', ['Done.']]);
      // The live view never showed the call's syntax.
      const shown = shownInStep1(r);
      assert.equal(shown, fixture.text.slice(0, shown.length));
      assert.ok(!fixture.calls.some(([name]) => shown.includes(`${name}`) && !fixture.text.slice(0, shown.length).includes(name)));
      assert.equal(r.of('assistant-message')[0]?.toolCallsFromText, fixture.format);
      const sent = r.requests[1].messages;
      const assistant = sent.find((m) => m.role === 'assistant');
      if (mode === 'prompt') {
        assert.equal(r.requests[0].tools, undefined);
        // The model's own call text goes back as it wrote it; the results follow as the user's turn.
        assert.equal(assistant?.content, fixture.text);
        assert.match(String(sent.at(-1)?.content), /^<tool_response name="/);
      } else {
        assert.ok(r.requests[0].tools?.length);
        assert.deepEqual(
          (assistant as { tool_calls?: { function: { name: string } }[] } | undefined)?.tool_calls?.map((c) => c.function.name),
          fixture.calls.map(([name]) => name),
        );
      }
    });
  }
}

for (const negative of NEGATIVE_FIXTURES) {
  test(`not a call, runs nothing and is the answer: ${negative.name}`, async () => {
    const r = await run([streamed(negative.text)], 'prompt');
    assert.equal(r.of('tool-call').length, 0);
    assert.equal(r.requests.length, 1);
    assert.equal(r.of('run-end')[0]?.reason, 'answered');
    assert.equal(r.of('final-answer')[0]?.text, negative.text.trim());
  });
}

test('the ReAct explanation the user asked for is the answer, not a read_file call (issue 21)', async () => {
  const [react] = NEGATIVE_FIXTURES;
  const r = await run([streamed(react.text)], 'native', 'Explain the ReAct format with an example that uses read_file');
  assert.equal(r.of('tool-call').length, 0);
  assert.equal(r.of('run-end')[0]?.answer, react.text);
});

const CUT_OFF = 'Let me look that up.<｜tool▁calls▁begin｜>get_weather';

test('an unreadable call is not the answer: the model is told once which format to write', async () => {
  const good = '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{"city": "Paris"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>';
  const r = await run([streamed(CUT_OFF), streamed(good), textTurn('It is sunny in Paris.')], 'native');
  assert.equal(r.of('warning').filter((w) => w.code === 'unread-tool-call').length, 1);
  const correction = r.requests[1].messages.at(-1);
  assert.equal(correction?.role, 'user');
  assert.match(String(correction?.content), /deepseek format.*could not be read/s);
  assert.match(String(correction?.content), /<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>/);
  assert.deepEqual(r.of('tool-call').map((e) => [e.tool, e.args]), [['get_weather', { city: 'Paris' }]]);
  assert.deepEqual(r.of('final-answer').map((e) => e.text), ['It is sunny in Paris.']);
  assert.equal(r.of('run-end')[0]?.reason, 'answered');
});

test('an unreadable call twice in a row ends the run with an error naming the server fix, never "answered"', async () => {
  const r = await run([streamed(CUT_OFF), streamed(CUT_OFF)], 'prompt');
  assert.equal(r.requests.length, 2);
  assert.equal(r.of('final-answer').length, 0);
  const [error] = r.of('error');
  assert.equal(error?.code, 'unread-tool-call');
  assert.match(error.message, /deepseek format.*twice in a row/);
  assert.match(error.message, /--jinja/);
  assert.match(error.message, /--tool-call-parser deepseek_v3/);
  assert.equal(r.of('run-end')[0]?.reason, 'error');
  // No raw call tokens were shown as if they were the answer.
  assert.ok(!r.events.some((e) => e.type === 'text-delta' && e.text.includes('｜')));
});

test('the server accepted tools: JSON naming an offered tool with arguments that do not validate is corrected, not run and not answered', async () => {
  const bad = '{"name": "special_function", "arguments": {"arg1": "one"}}';
  const r = await run([streamed(bad), streamed('{"name": "special_function", "arguments": {"arg1": 1}}'), textTurn('Done.')], 'native');
  assert.equal(r.of('warning').filter((w) => w.code === 'unread-tool-call').length, 1);
  assert.match(String(r.requests[1].messages.at(-1)?.content), /arguments for special_function do not fit/);
  assert.deepEqual(r.of('tool-call').map((e) => [e.tool, e.args]), [['special_function', { arg1: 1 }]]);
  assert.equal(r.of('run-end')[0]?.reason, 'answered');
});

test('llama.cpp refusing tools ("tools param requires --jinja flag") in any status switches to tools in the prompt at once, no retry', async () => {
  const call = '<tool_call>\n{"name": "special_function", "arguments": {"arg1": 1}}\n</tool_call>';
  const r = await run([errorTurn(503, 'tools param requires --jinja flag'), streamed(call), textTurn('Done.')], 'auto');
  assert.equal(r.requests.length, 3);
  assert.ok(r.requests[0].tools?.length);
  assert.equal(r.requests[1].tools, undefined);
  assert.match(String(r.requests[1].messages[0].content), /## special_function/);
  assert.equal(r.of('warning').filter((w) => w.code === 'retry').length, 0);
  assert.match(r.of('warning').find((w) => w.code === 'endpoint')?.message ?? '', /--jinja/);
  assert.deepEqual(r.of('tool-call').map((e) => e.tool), ['special_function']);
});

test('a text call with an argument too long to keep goes back as a note, not as the whole text the model wrote', async () => {
  const code = 'x = 1\n'.repeat(7_000); // 42,000 characters, over MAX_KEPT_ARGUMENT_CHARS
  const text = `<tool_call>\n${JSON.stringify({ name: 'python', arguments: { code } })}\n</tool_call>`;
  const r = await run([streamed(text), textTurn('Done.')], 'prompt');
  assert.equal(r.of('tool-call').length, 1);
  const assistant = r.requests[1].messages.find((m) => m.role === 'assistant');
  assert.ok(String(assistant?.content).length < 2_000, `sent back ${String(assistant?.content).length} characters`);
  assert.match(String(assistant?.content), /are not kept in the conversation/);
});
