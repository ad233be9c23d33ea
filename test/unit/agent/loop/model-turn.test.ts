/**
 * One model turn read from a canned stream (no HTTP): what the live view is shown, what the
 * turn keeps, and what history keeps of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError } from '../../../../src/agent/errors';
import type { AgentEventBody } from '../../../../src/agent/events';
import { MAX_KEPT_ARGUMENT_CHARS, MAX_REPLY_CHARS, keptMessageOf, takeModelTurn, type ModelTurn } from '../../../../src/agent/loop/model-turn';
import { TextCallReader } from '../../../../src/agent/loop/text-call-reader';
import type { Model, ModelChunk } from '../../../../src/agent/model/model';

const SECRET = `sk-proj-${'Zx9'.repeat(16)}`;

/** A model that streams `chunks` once, however it is asked; `read` counts the chunks taken. */
function cannedModel(chunks: readonly ModelChunk[], toolsInPrompt = false): Model & { read: number } {
  const model = {
    name: 'canned',
    toolsInPrompt,
    read: 0,
    async *stream() {
      for (const chunk of chunks) {
        model.read++;
        yield chunk;
      }
    },
  };
  return model;
}

async function turnOf(model: Model, signal = new AbortController().signal): Promise<{ turn: ModelTurn; events: AgentEventBody[] }> {
  const events: AgentEventBody[] = [];
  const turn = await takeModelTurn({
    model,
    messages: [{ role: 'user', content: 'task' }],
    tools: [{ name: 'read_file', description: 'Read a file.', parameters: { type: 'object' } }],
    callChecks: { toolNames: new Set(['read_file']), typeOf: () => 'string', validates: () => true },
    textCalls: new TextCallReader('auto', 'task'),
    signal,
    emit: (body) => void events.push(body),
  });
  return { turn, events };
}

const shown = (events: readonly AgentEventBody[], type: 'text-delta' | 'reasoning-delta') =>
  events.flatMap((e) => (e.type === type ? [e.text] : [])).join('');

test('text and reasoning stream as they come, never showing a secret, while the turn keeps them whole', async () => {
  const { turn, events } = await turnOf(
    cannedModel([
      { type: 'reasoning', text: 'The key is ' },
      { type: 'reasoning', text: `${SECRET}\n` },
      { type: 'text', text: 'Done: ' },
      { type: 'text', text: `${SECRET}\nbye` },
      { type: 'usage', inputTokens: 10, outputTokens: 5 },
      { type: 'finish', reason: 'stop' },
    ]),
  );
  assert.equal(turn.text, `Done: ${SECRET}\nbye`);
  assert.equal(turn.reasoning, `The key is ${SECRET}\n`);
  assert.deepEqual(turn.usage, { inputTokens: 10, outputTokens: 5, cachedInputTokens: undefined });
  assert.ok(!shown(events, 'text-delta').includes(SECRET));
  assert.ok(!shown(events, 'reasoning-delta').includes(SECRET));
  assert.match(shown(events, 'text-delta'), /^Done: .*\nbye$/);
});

test('a retry throws away what the attempt streamed: text, calls and usage', async () => {
  const { turn, events } = await turnOf(
    cannedModel([
      { type: 'text', text: 'Half an ans' },
      { type: 'tool-call', callId: 'c0', name: 'read_file', argsJson: '{}' },
      { type: 'usage', inputTokens: 1, outputTokens: 1 },
      { type: 'retry', attempt: 2, delayMs: 10, reason: 'HTTP 503' },
      { type: 'text', text: 'The whole answer.' },
      { type: 'finish', reason: 'stop' },
    ]),
  );
  assert.equal(turn.text, 'The whole answer.');
  assert.deepEqual(turn.calls, []);
  assert.equal(turn.usage, undefined);
  assert.deepEqual(events.filter((e) => e.type === 'text-reset').map((e) => e.type === 'text-reset' && e.reason), ['HTTP 503']);
  assert.ok(events.some((e) => e.type === 'warning' && e.code === 'retry'));
});

test('a reply past MAX_REPLY_CHARS is cut, the stream left unread, and the turn ends as length', async () => {
  const big = 'x'.repeat(MAX_REPLY_CHARS / 2 + 1);
  const model = cannedModel([{ type: 'text', text: big }, { type: 'text', text: big }, { type: 'text', text: 'never read' }, { type: 'finish', reason: 'stop' }]);
  const { turn, events } = await turnOf(model);
  assert.equal(turn.text.length, MAX_REPLY_CHARS);
  assert.equal(turn.finishReason, 'length');
  assert.equal(model.read, 2);
  assert.ok(events.some((e) => e.type === 'warning' && e.code === 'length'));
});

test('a call written as text becomes a call, its syntax never shown; a plain answer is shown whole', async () => {
  const call = '<tool_call>{"name": "read_file", "arguments": {"path": "a.txt"}}</tool_call>';
  const { turn, events } = await turnOf(cannedModel([{ type: 'text', text: call }, { type: 'finish', reason: 'stop' }]));
  assert.equal(turn.fromText, 'hermes');
  assert.equal(turn.finishReason, 'tool-calls');
  assert.deepEqual(turn.calls.map((c) => [c.name, JSON.parse(c.argumentsJson)]), [['read_file', { path: 'a.txt' }]]);
  assert.equal(shown(events, 'text-delta'), '');

  const answer = await turnOf(cannedModel([{ type: 'text', text: 'Just an answer.' }, { type: 'finish', reason: 'stop' }]));
  assert.equal(answer.turn.fromText, undefined);
  assert.equal(shown(answer.events, 'text-delta'), 'Just an answer.');
});

test('an aborted turn throws CancelledError', async () => {
  const stop = new AbortController();
  stop.abort();
  await assert.rejects(turnOf(cannedModel([{ type: 'text', text: 'hi' }]), stop.signal), CancelledError);
});

test('history keeps a long argument as a note, the call keeps it whole', () => {
  const long = JSON.stringify({ text: 'y'.repeat(MAX_KEPT_ARGUMENT_CHARS) });
  const turn: ModelTurn = {
    text: '',
    reasoning: 'why',
    messageFields: { signature: 's' },
    fromText: undefined,
    callText: undefined,
    unread: undefined,
    calls: [{ id: 'c1', name: 'write_file', argumentsJson: long }, { id: 'c2', name: 'read_file', argumentsJson: '{"path":"a"}' }],
    usage: undefined,
    finishReason: 'tool-calls',
    durationMs: 1,
  };
  const kept = keptMessageOf(turn);
  assert.equal(kept.role, 'assistant');
  if (kept.role !== 'assistant') return;
  assert.equal(kept.content, null);
  assert.match(kept.toolCalls?.[0]?.argumentsJson ?? '', /are not kept in the conversation; the call got them whole/);
  assert.equal(kept.toolCalls?.[1]?.argumentsJson, '{"path":"a"}');
  assert.equal(kept.reasoning, 'why');
  assert.deepEqual(kept.providerFields, { signature: 's' });
  assert.equal(turn.calls[0]!.argumentsJson, long);
});
