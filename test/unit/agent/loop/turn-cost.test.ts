import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEventBody } from '../../../../src/agent/events';
import type { Compaction } from '../../../../src/agent/loop/compact-history';
import type { ModelTurn } from '../../../../src/agent/loop/model-turn';
import { TurnCost } from '../../../../src/agent/loop/turn-cost';
import { CostTracker } from '../../../../src/agent/model/cost-tracker';
import type { ChatMessage } from '../../../../src/agent/model/model';

const price = { inputPerMillion: 1, outputPerMillion: 2, cachedInputPerMillion: 0.5 };

function prompt(approximateTokens: number, messages: readonly ChatMessage[] = [{ role: 'user', content: 'task' }], exact = approximateTokens): Compaction {
  return { messages, estimatedTokens: undefined, exactTokens: () => exact, approximateTokens, agedResults: 0, compactedResults: 0, droppedMessages: 0 };
}

function turn(usage: ModelTurn['usage'], text = 'answer'): ModelTurn {
  return { text, reasoning: '', messageFields: undefined, fromText: undefined, callText: undefined, unread: undefined, calls: [], usage, finishReason: 'stop', durationMs: 5 };
}

function cost(maxCostUsd = Infinity): { cost: TurnCost; events: AgentEventBody[] } {
  const events: AgentEventBody[] = [];
  return { cost: new TurnCost(new CostTracker(price, maxCostUsd), 8_192, (body) => void events.push(body)), events };
}

const warnings = (events: readonly AgentEventBody[]) => events.flatMap((e) => (e.type === 'warning' ? [e.code] : []));

test('without a budget the next call is priced from the prompt\'s length at no cost; with one, by the tokenizer', () => {
  assert.deepEqual(cost().cost.priceNext(prompt(1_000, undefined, 1_200), []), { promptTokens: 1_000, cachedTokens: 0, costUsd: 0 });
  const capped = cost(1).cost.priceNext(prompt(1_000, undefined, 1_200), []);
  assert.equal(capped.promptTokens, 1_200);
  assert.ok(capped.costUsd > 0);
});

test('once the endpoint reports usage, later prompts are priced by its count, scaled by length', () => {
  const { cost: c } = cost(1);
  c.record(turn({ inputTokens: 1_500, outputTokens: 10 }), prompt(1_000));
  assert.equal(c.priceNext(prompt(2_000, undefined, 99), []).promptTokens, 3_000);
});

test('usage the endpoint did not report is estimated, and said so once', () => {
  const { cost: c, events } = cost();
  c.record(turn(undefined, 'four words of answer'), prompt(100, undefined, 120));
  c.record(turn(undefined), prompt(100));
  assert.deepEqual(warnings(events), ['estimated-usage']);
  const usage = events.filter((e) => e.type === 'usage');
  assert.equal(usage.length, 2);
  assert.equal(usage[0]?.type === 'usage' && usage[0].estimated, true);
  assert.equal(usage[0]?.type === 'usage' && usage[0].inputTokens, 120);
});

test('a prompt the endpoint cut (far fewer tokens counted than sent) is warned of once, and never calibrates', () => {
  const { cost: c, events } = cost();
  c.record(turn({ inputTokens: 2_000, outputTokens: 10 }), prompt(6_000));
  c.record(turn({ inputTokens: 2_000, outputTokens: 10 }), prompt(6_500));
  assert.deepEqual(warnings(events), ['truncated-prompt']);
  const warning = events.find((e) => e.type === 'warning');
  assert.match(warning?.type === 'warning' ? warning.message : '', /8192 now/);
  assert.equal(c.tracker.isCalibrated, false);
});

test('the prefix a caching endpoint saw last time is expected from its cache', () => {
  const { cost: c } = cost(1);
  const first: ChatMessage[] = [{ role: 'system', content: 's'.repeat(4_000) }, { role: 'user', content: 'task' }];
  c.record(turn({ inputTokens: 1_010, outputTokens: 10, cachedInputTokens: 0 }), prompt(1_010, first));
  const next = c.priceNext(prompt(1_100, [...first, { role: 'assistant', content: 'more' }]), []);
  const cached = next.cachedTokens ?? 0;
  assert.ok(cached > 900 && cached <= next.promptTokens, JSON.stringify(next));
});
