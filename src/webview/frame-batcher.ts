/**
 * Collects items (incoming events) and hands them over once per animation frame: a run streaming
 * hundreds of events a second costs one render a frame, not one per event.
 */
export class FrameBatcher<T> {
  #pending: T[] = [];
  #scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly schedule: (callback: () => void) => void = (callback) => requestAnimationFrame(() => callback()),
  ) {}

  push(item: T): void {
    this.#pending.push(item);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.schedule(() => this.flushNow());
  }

  /** Hands over everything pending now (e.g. before a full state replaces it). */
  flushNow(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const items = this.#pending;
    this.#pending = [];
    this.flush(items);
  }

  /** Drops pending items (a snapshot that already contains them arrived). */
  clear(): void {
    this.#pending = [];
  }
}
