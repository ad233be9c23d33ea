/**
 * Row heights of a virtualized list, with prefix sums in a Fenwick tree so that "where does row i
 * start" and "which row is at pixel y" stay O(log n) while rows are measured one by one and
 * appended as a live run streams in. Unmeasured rows count as `estimate` pixels.
 */
export class HeightIndex {
  #tree = new Float64Array(1);
  #heights = new Float64Array(0);
  #measured = new Uint8Array(0);
  #count = 0;

  constructor(readonly estimate: number) {
    if (!(estimate > 0)) throw new RangeError(`Row height estimate must be positive, got ${estimate}`);
  }

  get count(): number {
    return this.#count;
  }

  get total(): number {
    return this.#prefix(this.#count);
  }

  /** Sets the number of rows: new rows take the estimate, removed rows are forgotten. */
  resize(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`Row count must be a whole number, got ${count}`);
    if (count === this.#count) return;
    if (count > this.#heights.length || count < this.#count) {
      const capacity = count > this.#heights.length ? Math.max(count, this.#heights.length * 2, 64) : this.#heights.length;
      const heights = new Float64Array(capacity);
      const measured = new Uint8Array(capacity);
      const kept = Math.min(count, this.#count);
      heights.set(this.#heights.subarray(0, kept));
      measured.set(this.#measured.subarray(0, kept));
      heights.fill(this.estimate, kept, count);
      this.#heights = heights;
      this.#measured = measured;
      this.#count = count;
      this.#rebuild();
      return;
    }
    // Growing within capacity: add the new rows one by one (O(k log n)).
    const from = this.#count;
    this.#count = count;
    for (let i = from; i < count; i++) {
      this.#heights[i] = 0;
      this.#measured[i] = 0;
      this.#add(i, this.estimate);
      this.#heights[i] = this.estimate;
    }
  }

  heightOf(index: number): number {
    this.#check(index);
    return this.#heights[index]!;
  }

  isMeasured(index: number): boolean {
    this.#check(index);
    return this.#measured[index] === 1;
  }

  /** Records a measured height; returns how much the total changed. */
  set(index: number, height: number): number {
    this.#check(index);
    if (!(height >= 0) || !Number.isFinite(height)) throw new RangeError(`Row height must be a finite, non-negative number, got ${height}`);
    this.#measured[index] = 1;
    const delta = height - this.#heights[index]!;
    if (delta !== 0) {
      this.#heights[index] = height;
      this.#add(index, delta);
    }
    return delta;
  }

  /** Marks a row for re-measuring (it keeps its last height until then). */
  invalidate(index: number): void {
    this.#check(index);
    this.#measured[index] = 0;
  }

  /** Pixels from the top of the list to the top of row `index` (index may equal count). */
  offsetOf(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index > this.#count) throw new RangeError(`Row ${index} is outside 0..${this.#count}`);
    return this.#prefix(index);
  }

  /** The row covering pixel `offset`, clamped to the first and last row; 0 when empty. */
  indexAt(offset: number): number {
    if (this.#count === 0 || offset <= 0) return 0;
    // Binary lifting over the tree: the largest i whose prefix sum is <= offset.
    let position = 0;
    let remaining = offset;
    for (let step = highestPowerOfTwoAtMost(this.#count); step > 0; step >>= 1) {
      const next = position + step;
      if (next <= this.#count && this.#tree[next]! <= remaining) {
        position = next;
        remaining -= this.#tree[next]!;
      }
    }
    return Math.min(position, this.#count - 1);
  }

  #prefix(end: number): number {
    let sum = 0;
    for (let i = end; i > 0; i -= i & -i) sum += this.#tree[i]!;
    return sum;
  }

  #add(index: number, delta: number): void {
    for (let i = index + 1; i < this.#tree.length; i += i & -i) this.#tree[i]! += delta;
  }

  #rebuild(): void {
    const size = this.#heights.length + 1;
    const tree = new Float64Array(size);
    // Every node up to capacity, not only up to count: a node past the last row still covers
    // rows before it, and rows added later (within capacity) are summed through it.
    for (let i = 1; i < size; i++) {
      tree[i]! += this.#heights[i - 1]!;
      const parent = i + (i & -i);
      if (parent < size) tree[parent]! += tree[i]!;
    }
    this.#tree = tree;
  }

  #check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.#count) throw new RangeError(`Row ${index} is outside 0..${this.#count - 1}`);
  }
}

function highestPowerOfTwoAtMost(n: number): number {
  let power = 1;
  while (power * 2 <= n) power *= 2;
  return power;
}
