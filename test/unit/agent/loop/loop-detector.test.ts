import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoopDetector, canonicalJson } from '../../../../src/agent/loop/loop-detector';

/** The verdicts for a sequence of calls, as kind:repeats:period (or ok). */
function verdicts(detector: LoopDetector, calls: readonly (readonly [string, unknown])[]): string[] {
  return calls.map(([tool, args]) => {
    const verdict = detector.record(tool, args);
    return verdict.kind === 'ok' ? 'ok' : `${verdict.kind}:${verdict.repeats}:${verdict.period}`;
  });
}

test('the same call with its argument keys in another order is the same call', () => {
  assert.equal(canonicalJson({ path: 'a.txt', limit: 5, nested: { y: 1, x: [{ b: 2, a: 1 }] } }), canonicalJson({ nested: { x: [{ a: 1, b: 2 }], y: 1 }, limit: 5, path: 'a.txt' }));
  const detector = new LoopDetector(3, 4);
  const seen = verdicts(detector, [
    ['read_file', { path: 'a.txt', offset: 0 }],
    ['read_file', { offset: 0, path: 'a.txt' }],
    ['read_file', { path: 'a.txt', offset: 0 }],
    ['read_file', { offset: 0, path: 'a.txt' }],
  ]);
  assert.deepEqual(seen, ['ok', 'ok', 'warn:3:1', 'stop:4:1']);
});

test('different arguments, or an array in another order, are different calls', () => {
  const detector = new LoopDetector(2, 3);
  assert.deepEqual(verdicts(detector, [['read_file', { path: 'a.txt' }], ['read_file', { path: 'b.txt' }], ['read_file', { path: 'c.txt' }]]), ['ok', 'ok', 'ok']);
  assert.notEqual(canonicalJson({ paths: ['a', 'b'] }), canonicalJson({ paths: ['b', 'a'] }));
});

test('a three-call cycle A, B, C, A, B, C, … is detected, counted in whole rounds', () => {
  const detector = new LoopDetector(2, 3);
  const round: (readonly [string, unknown])[] = [['list_files', { path: '.' }], ['read_file', { path: 'a.txt' }], ['search_text', { pattern: 'x' }]];
  const seen = verdicts(detector, [...round, ...round, ...round]);
  assert.deepEqual(seen, ['ok', 'ok', 'ok', 'ok', 'ok', 'warn:2:3', 'warn:2:3', 'warn:2:3', 'stop:3:3']);
  const last = detector.record('list_files', { path: '.' });
  assert.ok(last.kind === 'stop');
  assert.match(last.message, /the calls read_file → search_text → list_files have repeated 3 times in a cycle/);
});

test('a two-call cycle is detected; a run of one call is period 1, not a cycle of two', () => {
  const alternating = new LoopDetector(3, 5);
  const a = ['read_file', { path: 'a' }] as const;
  const b = ['read_file', { path: 'b' }] as const;
  assert.deepEqual(verdicts(alternating, [a, b, a, b, a, b]), ['ok', 'ok', 'ok', 'ok', 'ok', 'warn:3:2']);

  const same = new LoopDetector(3, 5);
  const seen = verdicts(same, [a, a, a]);
  assert.deepEqual(seen, ['ok', 'ok', 'warn:3:1']);
});

test('one different call breaks the repetition, and the count starts again', () => {
  const detector = new LoopDetector(3, 4);
  const a = ['read_file', { path: 'a' }] as const;
  assert.deepEqual(verdicts(detector, [a, a, ['list_files', {}], a, a]), ['ok', 'ok', 'ok', 'ok', 'ok']);
});
