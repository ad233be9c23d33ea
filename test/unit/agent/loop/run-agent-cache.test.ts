// Cached prompt tokens through a whole run: what the endpoint's prompt cache served is counted,
// priced at the cached rate, added up, shown per call, and expected (for the budget check)
// only once the endpoint has shown that it caches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costOf } from '../../../../src/agent/model/pricing';
import { runScripted } from '../../../support/agent-harness';
import { startScriptedServer, textTurn, toolCallTurn, usage } from '../../../support/scripted-server';
import { linesTool } from '../../../support/test-tools';

const price = { inputPerMillion: 10, cachedInputPerMillion: 1, outputPerMillion: 20 };
const readTurns = () => [
  ...[1, 2, 3].map((i) => [...toolCallTurn('lines', { lines: 300, tag: `r${i} ` }), usage(0, 10)]),
  textTurn('All read.', { promptTokens: 0, completionTokens: 5 }),
];

test('cached input is counted as the endpoint reports it, priced at the cached rate and totalled', async (t) => {
  const server = await startScriptedServer({ turns: readTurns(), promptCache: true });
  t.after(() => server.close());
  const run = await runScripted([], { server, tools: [linesTool], price, task: 'Read three times' });
  assert.equal(run.end.reason, 'answered');
  const used = run.of('usage');
  assert.deepEqual(
    used.map((u) => [u.inputTokens, u.cachedInputTokens]),
    server.promptCounts.map((c) => [c.promptTokens, c.cachedTokens]),
  );
  assert.equal(used[0].cachedInputTokens, 0, 'the first call has nothing to reuse');
  // The second shares only the system prompt and task with the first: under 1,024 tokens.
  assert.equal(used[1].cachedInputTokens, 0);
  for (const u of used.slice(2)) assert.ok(u.cachedInputTokens! > 0.5 * u.inputTokens, `${u.cachedInputTokens} of ${u.inputTokens} cached`);
  for (const u of used) assert.equal(u.costUsd, costOf(price, u));
  const cachedTotal = used.reduce((sum, u) => sum + (u.cachedInputTokens ?? 0), 0);
  assert.equal(run.end.totals.cachedInputTokens, cachedTotal);
  assert.ok(Math.abs(run.end.totals.costUsd - used.reduce((sum, u) => sum + u.costUsd, 0)) < 1e-12);
});

test('the budget check expects the repeated prefix from cache once the endpoint has reported caching', async (t) => {
  const server = await startScriptedServer({ turns: readTurns(), promptCache: true });
  t.after(() => server.close());
  const run = await runScripted([], { server, tools: [linesTool], price, limits: { maxCostUsd: 10 } });
  const requests = run.of('model-request');
  assert.equal(requests[0].estimatedCachedInputTokens, 0, 'before any usage nothing is expected from cache');
  for (const [i, request] of requests.entries()) {
    // The third call is the first whose shared prefix is long enough to be cached.
    if (i < 2) continue;
    const actual = server.promptCounts[i].sharedTokens;
    const expected = request.estimatedCachedInputTokens ?? 0;
    assert.ok(Math.abs(expected - actual) < 0.15 * actual, `call ${i + 1}: expected ${expected} cached, the server shared ${actual}`);
    // What the budget is checked against: the cached part at the cached price, not in full.
    const uncachedEstimate = costOf(price, { inputTokens: request.estimatedInputTokens, outputTokens: 256 });
    assert.ok(request.estimatedCostUsd < 0.6 * uncachedEstimate, `${request.estimatedCostUsd} vs ${uncachedEstimate} uncached`);
  }
});

test('an endpoint that reports no caching: nothing is shown as cached or expected from cache', async () => {
  const run = await runScripted(
    [...[1, 2].map((i) => [...toolCallTurn('lines', { lines: 300, tag: `r${i} ` }), usage(5_000, 10)]), textTurn('Done.', { promptTokens: 9_000, completionTokens: 2 })],
    { tools: [linesTool], price },
  );
  assert.ok(run.of('usage').every((u) => u.cachedInputTokens === undefined));
  assert.ok(run.of('model-request').every((r) => r.estimatedCachedInputTokens === 0));
  assert.equal(run.end.totals.cachedInputTokens, 0);
  assert.equal(run.of('usage')[0].costUsd, costOf(price, { inputTokens: 5_000, outputTokens: 10 }));
});
