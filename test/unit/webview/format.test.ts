import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameBatcher } from '../../../src/webview/frame-batcher';
import { formatCost, formatDuration, formatTokens, summarizeArgs } from '../../../src/webview/format';

test('events pushed within one frame are handed over together, once', () => {
  const frames: (() => void)[] = [];
  const batches: number[][] = [];
  const batcher = new FrameBatcher<number>((items) => batches.push(items), (callback) => frames.push(callback));
  batcher.push(1);
  batcher.push(2);
  batcher.push(3);
  assert.equal(frames.length, 1, 'one frame requested for three events');
  assert.deepEqual(batches, []);
  frames.shift()!();
  assert.deepEqual(batches, [[1, 2, 3]]);
  batcher.push(4);
  frames.shift()!();
  assert.deepEqual(batches, [[1, 2, 3], [4]]);
});

test('clear drops pending events (a snapshot already holds them)', () => {
  const frames: (() => void)[] = [];
  const batches: number[][] = [];
  const batcher = new FrameBatcher<number>((items) => batches.push(items), (callback) => frames.push(callback));
  batcher.push(1);
  batcher.clear();
  frames.shift()!();
  assert.deepEqual(batches, []);
});

test('numbers read well at every scale', () => {
  assert.deepEqual([formatTokens(999), formatTokens(1_234), formatTokens(56_789), formatTokens(2_500_000)], ['999', '1.2k', '57k', '2.5M']);
  assert.deepEqual([formatCost(0), formatCost(0.00042), formatCost(0.1234), formatCost(12.5)], ['$0', '$0.0004', '$0.123', '$12.50']);
  assert.deepEqual([formatDuration(250), formatDuration(1_234), formatDuration(42_000), formatDuration(125_000)], ['250 ms', '1.23 s', '42 s', '2 min 5 s']);
});

test('tool arguments are summed up on one short line', () => {
  assert.equal(summarizeArgs({ path: 'src/a.ts', startLine: 1 }), 'path: src/a.ts, startLine: 1');
  assert.equal(summarizeArgs('{"broken'), '{"broken');
  assert.equal(summarizeArgs({ text: 'line one\nline two' }), 'text: line one line two');
  assert.equal(summarizeArgs({ query: 'x'.repeat(200) }, 20).length, 20);
});
