// Prompt caches bill and recompute everything after the first byte that changed from the
// previous request. These tests compare consecutive requests the scripted server received and
// fail when an earlier message is rewritten without need: only an ageing epoch may change
// earlier messages, and then only tool results, each to a head of what it was.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Conversation } from '../../../../src/agent/loop/conversation';
import { runScripted } from '../../../support/agent-harness';
import { startScriptedServer, textTurn, toolCallTurn, type WireMessage } from '../../../support/scripted-server';
import { linesTool } from '../../../support/test-tools';

/** Index of the first message of `next` that differs from `previous` (previous.length when none does). */
function firstChange(previous: readonly WireMessage[], next: readonly WireMessage[]): number {
  let i = 0;
  while (i < previous.length && i < next.length && JSON.stringify(previous[i]) === JSON.stringify(next[i])) i++;
  return i;
}

test('a long task only appends to the prompt, except at a few epochs that age a block of results', async () => {
  const steps = 14;
  const turns = Array.from({ length: steps }, (_, i) => toolCallTurn('lines', { lines: 300, tag: `r${i + 1} ` }));
  // Defaults, except results that fit the result budget whole (~4.5k tokens each) and a
  // smaller epoch, so that a short task sees several.
  const run = await runScripted([...turns, textTurn('done')], {
    tools: [linesTool],
    limits: { maxSteps: steps + 2, toolResultTokens: 10_000, wholeResultsTokens: 20_000 },
  });
  assert.equal(run.end.reason, 'answered');
  const requests = run.server.requests.map((r) => r.messages);
  const rewrites: number[] = [];
  for (let i = 1; i < requests.length; i++) {
    const previous = requests[i - 1];
    const next = requests[i];
    const at = firstChange(previous, next);
    assert.ok(at >= 2, `request ${i + 1} changed the system prompt or the task`);
    if (at === previous.length) continue;
    rewrites.push(i);
    // Only aged results may differ, each a head of what was sent before, and nothing else.
    for (let m = at; m < previous.length; m++) {
      if (JSON.stringify(previous[m]) === JSON.stringify(next[m])) continue;
      assert.equal(next[m].role, 'tool', `request ${i + 1} rewrote a ${next[m].role} message`);
      const head = String(next[m].content).split('\n[… shortened')[0];
      assert.ok(String(previous[m].content).startsWith(head), `request ${i + 1} changed a result into something else`);
    }
  }
  // ~18k characters a result against 20k tokens (80k characters) of whole results: an epoch
  // every 4 to 5 steps. Ageing every step would rewrite at almost every request.
  assert.ok(rewrites.length >= 2 && rewrites.length <= 3, `rewrites at requests ${rewrites.map((i) => i + 1).join(', ')}`);
  for (let r = 1; r < rewrites.length; r++) assert.ok(rewrites[r] - rewrites[r - 1] >= 3, `epochs at ${rewrites.join(', ')}`);
});

test('the next turn of a chat starts with the whole prompt the last turn sent, then its answer', async (t) => {
  const server = await startScriptedServer([]);
  t.after(() => server.close());
  const conversation = new Conversation();
  // Both turns in the same folder, as in one chat.
  const keepWorkspace = mkdtempSync(join(tmpdir(), 'glassbox-ws-'));
  t.after(() => rmSync(keepWorkspace, { recursive: true, force: true }));
  const first = [1, 2, 3].map((i) => toolCallTurn('lines', { lines: 300, tag: `r${i} ` }));
  await runScripted([...first, textTurn('First answer.')], { server, conversation, keepWorkspace, tools: [linesTool], task: 'First question' });
  const lastOfFirst = server.requests.at(-1)!.messages;
  await runScripted([textTurn('Second answer.')], { server, conversation, keepWorkspace, tools: [linesTool], task: 'Second question' });
  const firstOfSecond = server.requests.at(-1)!.messages;
  assert.deepEqual(firstOfSecond.slice(0, lastOfFirst.length), lastOfFirst);
  assert.deepEqual(firstOfSecond.slice(lastOfFirst.length).map((m) => [m.role, m.content]), [
    ['assistant', 'First answer.'],
    ['user', 'Second question'],
  ]);
});
