import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { Conversation } from '../../../../src/agent/loop/conversation';
import { defineTool } from '../../../../src/agent/tool';
import { runScripted } from '../../../support/agent-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';
import { noteTool } from '../../../support/test-tools';

test('Stop mid-step: a call that already ran keeps its real result in the conversation; only unfinished calls read "Not run"', async () => {
  const stop = new AbortController();
  // Presses Stop as it runs, after the note before it in the same step was written.
  const pressStop = defineTool({
    name: 'press_stop',
    description: 'Stops the run (test helper).',
    risk: 'read',
    input: z.object({}),
    async execute(_args, ctx) {
      stop.abort();
      ctx.signal.throwIfAborted();
      return 'unreachable';
    },
  });
  const conversation = new Conversation();
  const run = await runScripted(
    [
      toolCallTurn(
        { id: 'call_note', name: 'write_note', args: { path: 'note.txt', text: 'hello' } },
        { id: 'call_stop', name: 'press_stop', args: {} },
      ),
      textTurn('never asked'),
    ],
    {
      tools: [noteTool(), pressStop],
      conversation,
      signal: stop.signal,
      approve: async () => ({ kind: 'allow-once' }),
    },
  );
  assert.equal(run.end.reason, 'cancelled');
  assert.equal(run.server.requestCount, 1);

  const toolMessages = conversation.messages.flatMap((m) => (m.role === 'tool' ? [m] : []));
  assert.deepEqual(toolMessages.map((m) => m.toolCallId).sort(), ['call_note', 'call_stop'], 'every call has exactly one result');
  const note = toolMessages.find((m) => m.toolCallId === 'call_note');
  assert.match(String(note?.content), /^Wrote 5 characters to note\.txt\./, 'the write happened, and the model is told so');
  assert.match(String(toolMessages.find((m) => m.toolCallId === 'call_stop')?.content), /^Not run: the run ended \(cancelled\)/);
  assert.equal(run.of('tool-result').find((r) => r.callId === 'call_note')?.ok, true);
});
