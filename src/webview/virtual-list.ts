import { HeightIndex } from './height-index';
import { anchorAt, anchoredScrollTop, isAtBottom, visibleRange, type RowRange } from './virtual-range';

export interface VirtualListOptions {
  /** A first guess for unmeasured rows; rows are measured once they are rendered. */
  readonly estimateRowHeight: number;
  /** Extra pixels rendered above and below the viewport. */
  readonly overscanPx: number;
  /** Builds the element for a row. Rows must not have vertical margins (use padding). */
  renderRow(index: number): HTMLElement;
  /** Changes whenever the row's content does: a new version re-renders and re-measures it. */
  rowVersion(index: number): number;
  /** Accessible name of the list. */
  readonly label: string;
  /** ARIA roles of the list and its rows (a tree when rows expand). */
  readonly roles: { readonly list: string; readonly row: string };
}

/**
 * A vertically virtualized list: only the rows in view (plus overscan) are in the DOM, laid out in
 * normal flow inside a window translated to the first row's offset, so each row's height is read
 * once with offsetHeight and cached. Keeps the reader's place when rows above are re-measured,
 * and keeps following the end while the reader is at the bottom (a live run).
 */
export class VirtualList {
  readonly element: HTMLElement;
  readonly #sizer: HTMLElement;
  readonly #window: HTMLElement;
  readonly #heights: HeightIndex;
  readonly #rendered = new Map<number, { element: HTMLElement; version: number }>();
  #range: RowRange = { start: 0, end: 0, top: 0 };
  #lastTotal = 0;
  #lastWidth = -1;
  #frame = 0;
  #followEnd = true;
  #placement: 'top' | 'end' | 'keep' = 'keep';

  constructor(private readonly options: VirtualListOptions) {
    this.#heights = new HeightIndex(options.estimateRowHeight);
    this.element = document.createElement('div');
    this.element.className = 'vlist';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', options.roles.list);
    this.element.setAttribute('aria-label', options.label);
    this.#sizer = document.createElement('div');
    this.#sizer.className = 'vlist-sizer';
    this.#window = document.createElement('div');
    this.#window.className = 'vlist-window';
    this.#sizer.append(this.#window);
    this.element.append(this.#sizer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => {
      const width = this.element.clientWidth;
      // A new width re-wraps text: every cached height may be wrong. Rows in view are
      // re-measured now, the others when they scroll into view (anchoring hides the jump).
      if (width !== this.#lastWidth) {
        this.#lastWidth = width;
        for (let i = 0; i < this.#heights.count; i++) this.#heights.invalidate(i);
      }
      this.schedule();
    }).observe(this.element);
  }

  get count(): number {
    return this.#heights.count;
  }

  /** Rows currently in the DOM. */
  get range(): RowRange {
    return this.#range;
  }

  /** Follow the end of the list while the reader is at the bottom (on by default). */
  set followEnd(follow: boolean) {
    this.#followEnd = follow;
  }

  setCount(count: number): void {
    if (count < this.#heights.count) {
      for (const [index, entry] of this.#rendered) {
        if (index >= count) {
          entry.element.remove();
          this.#rendered.delete(index);
        }
      }
    }
    this.#heights.resize(count);
    for (const { element } of this.#rendered.values()) element.setAttribute('aria-setsize', String(count));
    this.schedule();
  }

  /**
   * Forgets every row (different content is shown) and places the view: at the top, at the end
   * (following it), or where it was (the same content re-sent).
   */
  reset(count: number, place: 'top' | 'end' | 'keep' = 'top'): void {
    this.#rendered.clear();
    this.#window.replaceChildren();
    this.#heights.resize(0);
    this.#heights.resize(count);
    this.#placement = place;
    this.schedule();
  }

  /** Re-render and re-measure a row now (e.g. it was expanded), keeping the reader's place. */
  refresh(index: number): void {
    const entry = this.#rendered.get(index);
    // A version no row has: the row is rebuilt in place on this render.
    if (entry) entry.version = Number.NaN;
    this.render();
  }

  scrollToIndex(index: number): void {
    if (index < 0 || index >= this.#heights.count) return;
    const top = this.#heights.offsetOf(index);
    const bottom = top + this.#heights.heightOf(index);
    const viewport = this.element.clientHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (bottom > this.element.scrollTop + viewport) this.element.scrollTop = bottom - viewport;
    this.render();
  }

  elementAt(index: number): HTMLElement | undefined {
    return this.#rendered.get(index)?.element;
  }

  forEachRendered(visit: (index: number, element: HTMLElement) => void): void {
    for (const [index, { element }] of this.#rendered) visit(index, element);
  }

  /** Renders on the next animation frame (many calls in one frame render once). */
  schedule(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.render();
    });
  }

  render(): void {
    if (this.#frame !== 0) {
      cancelAnimationFrame(this.#frame);
      this.#frame = 0;
    }
    const viewport = this.element.clientHeight;
    const placement = this.#placement;
    this.#placement = 'keep';
    if (placement === 'top') this.element.scrollTop = 0;
    const following = placement === 'end' || (placement === 'keep' && this.#followEnd && isAtBottom(this.element.scrollTop, viewport, this.#lastTotal));
    // Measuring can change which rows are in view (estimates were off): settle in a few passes.
    for (let pass = 0; pass < 4; pass++) {
      const anchor = anchorAt(this.#heights, this.element.scrollTop);
      this.#range = visibleRange(this.#heights, this.element.scrollTop, viewport, this.options.overscanPx);
      this.#reconcile();
      const changed = this.#measure();
      const total = this.#heights.total;
      this.#sizer.style.height = `${total}px`;
      if (following) this.element.scrollTop = Math.max(0, total - viewport);
      else if (changed) {
        const target = anchoredScrollTop(this.#heights, anchor);
        if (Math.abs(target - this.element.scrollTop) >= 1) this.element.scrollTop = target;
      }
      this.#window.style.transform = `translateY(${this.#heights.offsetOf(this.#range.start)}px)`;
      this.#lastTotal = total;
      const next = visibleRange(this.#heights, this.element.scrollTop, viewport, this.options.overscanPx);
      if (!changed && next.start === this.#range.start && next.end === this.#range.end) break;
    }
  }

  /**
   * Brings the DOM to the new range by removing rows that left and inserting the ones that came
   * in at either end, leaving the rows that stayed untouched: re-inserting every row on each
   * scroll frame would make the browser lay them all out again.
   */
  #reconcile(): void {
    const { start, end } = this.#range;
    for (const [index, entry] of this.#rendered) {
      if (index < start || index >= end) {
        entry.element.remove();
        this.#rendered.delete(index);
      }
    }
    const above = document.createDocumentFragment();
    const below = document.createDocumentFragment();
    let passedKeptRows = false;
    for (let index = start; index < end; index++) {
      const version = this.options.rowVersion(index);
      const entry = this.#rendered.get(index);
      if (entry && entry.version === version) {
        passedKeptRows = true;
        continue;
      }
      const element = this.options.renderRow(index);
      element.setAttribute('role', this.options.roles.row);
      // Only a window of rows exists: tell assistive technology where this one sits in the whole.
      element.setAttribute('aria-posinset', String(index + 1));
      element.setAttribute('aria-setsize', String(this.#heights.count));
      element.dataset.index = String(index);
      if (entry) {
        entry.element.replaceWith(element);
        passedKeptRows = true;
      } else {
        (passedKeptRows ? below : above).append(element);
      }
      this.#rendered.set(index, { element, version });
      this.#heights.invalidate(index);
    }
    if (above.childNodes.length > 0) this.#window.prepend(above);
    if (below.childNodes.length > 0) this.#window.append(below);
  }

  /** Reads the heights of rows not measured yet (one layout for all); true when any changed. */
  #measure(): boolean {
    let changed = false;
    for (let index = this.#range.start; index < this.#range.end; index++) {
      if (this.#heights.isMeasured(index)) continue;
      const element = this.#rendered.get(index)?.element;
      if (!element) continue;
      if (this.#heights.set(index, element.offsetHeight) !== 0) changed = true;
    }
    return changed;
  }
}
