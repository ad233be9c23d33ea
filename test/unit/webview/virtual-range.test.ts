import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeightIndex } from '../../../src/webview/height-index';
import { anchorAt, anchoredScrollTop, isAtBottom, visibleRange } from '../../../src/webview/virtual-range';

/** The same sums computed the slow, obvious way. */
function naiveOffset(heights: number[], index: number): number {
  return heights.slice(0, index).reduce((sum, h) => sum + h, 0);
}

test('offsets and hit-testing match plain prefix sums after random measurements and growth', () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const index = new HeightIndex(20);
  const heights: number[] = [];
  for (let round = 0; round < 40; round++) {
    // Append a few rows (as a live run does), then measure some at random.
    const added = 1 + Math.floor(random() * 60);
    index.resize(heights.length + added);
    for (let i = 0; i < added; i++) heights.push(20);
    for (let i = 0; i < 30; i++) {
      const row = Math.floor(random() * heights.length);
      const height = Math.round(random() * 200);
      index.set(row, height);
      heights[row] = height;
    }
    for (let probe = 0; probe < 20; probe++) {
      const row = Math.floor(random() * (heights.length + 1));
      assert.equal(index.offsetOf(row), naiveOffset(heights, row));
    }
    const total = naiveOffset(heights, heights.length);
    assert.equal(index.total, total);
    for (let probe = 0; probe < 20; probe++) {
      const y = random() * total;
      const row = index.indexAt(y);
      // The row found covers y: it starts at or above y and (unless zero-height rows tie) ends below it.
      assert.ok(naiveOffset(heights, row) <= y, `row ${row} starts below ${y}`);
      assert.ok(naiveOffset(heights, row + 1) > y || row === heights.length - 1, `row ${row} ends above ${y}`);
    }
  }
});

test('shrinking forgets removed rows and keeps the others', () => {
  const index = new HeightIndex(10);
  index.resize(100);
  index.set(5, 50);
  index.set(80, 500);
  index.resize(10);
  assert.equal(index.count, 10);
  assert.equal(index.total, 9 * 10 + 50);
  index.resize(20);
  assert.equal(index.heightOf(15), 10, 'a re-added row starts from the estimate, not its old height');
  assert.equal(index.isMeasured(5), true);
  assert.equal(index.isMeasured(15), false);
});

test('hit-testing clamps outside the list and handles an empty one', () => {
  const index = new HeightIndex(10);
  assert.equal(index.indexAt(50), 0);
  index.resize(3);
  assert.equal(index.indexAt(-5), 0);
  assert.equal(index.indexAt(29.9), 2);
  assert.equal(index.indexAt(1_000), 2);
  assert.equal(index.indexAt(10), 1, 'the top edge of a row belongs to that row');
});

test('bad input is refused with a clear error', () => {
  assert.throws(() => new HeightIndex(0), /estimate must be positive/);
  const index = new HeightIndex(10);
  index.resize(2);
  assert.throws(() => index.set(2, 5), /outside 0\.\.1/);
  assert.throws(() => index.set(0, -1), /non-negative/);
  assert.throws(() => index.set(0, Number.NaN), /finite/);
  assert.throws(() => index.resize(1.5), /whole number/);
});

test('the visible range covers the viewport plus overscan and no more', () => {
  const index = new HeightIndex(20);
  index.resize(1_000); // 20,000 px
  const range = visibleRange(index, 5_000, 400, 100);
  // Rows from y = 4,900 to y = 5,500: rows 245 through 275.
  assert.deepEqual(range, { start: 245, end: 276, top: 4_900 });
  assert.deepEqual(visibleRange(index, 0, 400, 100), { start: 0, end: 26, top: 0 });
  assert.equal(visibleRange(index, 19_800, 400, 100).end, 1_000, 'the range stops at the last row');
  assert.deepEqual(visibleRange(new HeightIndex(20), 0, 400, 100), { start: 0, end: 0, top: 0 });
});

test('the rendered row count stays bounded however long the list is', () => {
  for (const rows of [100, 10_000, 1_000_000]) {
    const index = new HeightIndex(24);
    index.resize(rows);
    const range = visibleRange(index, (rows * 24) / 2, 800, 400);
    assert.ok(range.end - range.start <= Math.ceil((800 + 2 * 400) / 24) + 1, `${rows} rows rendered ${range.end - range.start}`);
  }
});

test('measuring rows above the view keeps the row under the reader in place', () => {
  const index = new HeightIndex(20);
  index.resize(100);
  const scrollTop = 1_010; // 10 px into row 50
  const anchor = anchorAt(index, scrollTop);
  assert.deepEqual(anchor, { index: 50, within: 10 });
  // Rows 0..9 turn out to be 60 px tall, not 20.
  for (let i = 0; i < 10; i++) index.set(i, 60);
  assert.equal(anchoredScrollTop(index, anchor), 1_410);
  assert.equal(index.indexAt(anchoredScrollTop(index, anchor)), 50);
});

test('at-bottom detection allows a few pixels of slack', () => {
  assert.equal(isAtBottom(600, 400, 1_000), true);
  assert.equal(isAtBottom(597, 400, 1_000), true);
  assert.equal(isAtBottom(500, 400, 1_000), false);
  assert.equal(isAtBottom(0, 400, 100), true, 'content shorter than the viewport is at its end');
});
