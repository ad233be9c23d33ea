import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beforeModelCall, betweenSteps, endingForAbort, firstEnding } from '../../../../src/agent/loop/stop-rules';
import { defaultLimits } from '../../../../src/agent/loop/run-options';

const limits = { ...defaultLimits, maxSteps: 3, maxCostUsd: 0.1 };

test('an answer in the last step allowed ends the run as answered, not as the step limit', () => {
  assert.deepEqual(firstEnding(betweenSteps, { limits, steps: 3, answered: true }), { reason: 'answered' });
  assert.deepEqual(firstEnding(betweenSteps, { limits, steps: 3, answered: false }), { reason: 'max-steps' });
  assert.equal(firstEnding(betweenSteps, { limits, steps: 2, answered: false }), undefined);
});

test('a loop verdict ends the run with what repeated', () => {
  assert.deepEqual(firstEnding(betweenSteps, { limits, steps: 1, answered: false, repeating: 'read_file 5 times' }), {
    reason: 'loop',
    detail: 'read_file 5 times',
  });
});

test('the budget rule fires only when the next call would pass the cap', () => {
  assert.equal(firstEnding(beforeModelCall, { limits, spentUsd: 0.05, next: { promptTokens: 1000, costUsd: 0.05 } }), undefined);
  const ending = firstEnding(beforeModelCall, { limits, spentUsd: 0.05, next: { promptTokens: 1000, costUsd: 0.06 } });
  assert.equal(ending?.reason, 'budget');
  assert.match(ending?.detail ?? '', /about 1000 prompt tokens.*~\$0\.1100, over its \$0\.1 budget/);
});

test('an abort is a timeout when the run timer fired, else the person cancelled', () => {
  assert.deepEqual(endingForAbort(false, limits), { reason: 'cancelled' });
  assert.deepEqual(endingForAbort(true, { ...limits, runTimeoutMs: 15 * 60_000 }), {
    reason: 'timeout',
    detail: 'The run took longer than its 15 min limit.',
  });
});
