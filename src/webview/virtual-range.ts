import type { HeightIndex } from './height-index';

/** The slice of rows a virtualized list keeps in the DOM. */
export interface RowRange {
  /** First row rendered. */
  readonly start: number;
  /** One past the last row rendered. */
  readonly end: number;
  /** Pixels from the top of the list to the top of `start`. */
  readonly top: number;
}

/**
 * Rows that intersect the viewport, plus `overscanPx` above and below so that a fast scroll
 * shows rows already laid out instead of a blank gap.
 */
export function visibleRange(heights: HeightIndex, scrollTop: number, viewportHeight: number, overscanPx: number): RowRange {
  if (heights.count === 0) return { start: 0, end: 0, top: 0 };
  const from = Math.max(0, scrollTop - overscanPx);
  const to = Math.max(from, scrollTop + Math.max(0, viewportHeight) + overscanPx);
  const start = heights.indexAt(from);
  const end = Math.min(heights.count, heights.indexAt(to) + 1);
  return { start, end, top: heights.offsetOf(start) };
}

/** Where the view is anchored: a row and how far into it the viewport's top edge is. */
export interface ScrollAnchor {
  readonly index: number;
  readonly within: number;
}

export function anchorAt(heights: HeightIndex, scrollTop: number): ScrollAnchor {
  if (heights.count === 0) return { index: 0, within: 0 };
  const index = heights.indexAt(scrollTop);
  return { index, within: Math.max(0, scrollTop - heights.offsetOf(index)) };
}

/**
 * The scrollTop that keeps `anchor` where it was after rows above it were measured or grew:
 * without it, content under the reader jumps whenever an estimate is replaced by a real height.
 */
export function anchoredScrollTop(heights: HeightIndex, anchor: ScrollAnchor): number {
  if (heights.count === 0) return 0;
  const index = Math.min(anchor.index, heights.count - 1);
  return heights.offsetOf(index) + Math.min(anchor.within, heights.heightOf(index));
}

/** True when the viewport shows the end of the list (within `slackPx`): a live list keeps following it. */
export function isAtBottom(scrollTop: number, viewportHeight: number, contentHeight: number, slackPx = 4): boolean {
  return scrollTop + viewportHeight >= contentHeight - slackPx;
}
