import { timeSpanOf, withChildRows, type TraceRow } from './trace-model';

/**
 * The whole run at a glance: one lane of model calls and one of tool calls over the run's time,
 * drawn on a canvas (hundreds of bars cost one draw, not hundreds of nodes). Clicking a point in
 * time scrolls the list to what was happening then.
 */
export class WaterfallOverview {
  readonly element: HTMLCanvasElement;
  #rows: readonly TraceRow[] = [];
  #start = 0;
  #now = 0;

  constructor(onPickTime: (time: number) => void) {
    this.element = document.createElement('canvas');
    this.element.className = 'waterfall';
    this.element.setAttribute('role', 'img');
    this.element.tabIndex = -1;
    this.element.addEventListener('click', (event) => {
      const box = this.element.getBoundingClientRect();
      const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / Math.max(1, box.width)));
      onPickTime(this.#start + fraction * (this.#now - this.#start));
    });
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  update(rows: readonly TraceRow[], start: number, now: number): void {
    this.#rows = rows;
    this.#start = start;
    this.#now = now;
    this.draw();
  }

  draw(): void {
    const canvas = this.element;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const g = canvas.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, width, height);
    const colors = themeColors();
    const span = Math.max(1, this.#now - this.#start);
    const laneHeight = height / 2;
    const pad = Math.max(1, Math.round(3 * ratio));
    g.fillStyle = colors.grid;
    g.fillRect(0, Math.round(laneHeight), width, Math.max(1, Math.round(ratio)));
    let models = 0;
    let tools = 0;
    for (const row of withChildRows(this.#rows)) {
      const timing = timeSpanOf(row, this.#now);
      // A plan step's bar would hide its own calls, which are drawn one by one.
      if (!timing || row.kind === 'plan-step') continue;
      const lane = row.kind === 'model-call' ? 0 : 1;
      if (lane === 0) models++;
      else tools++;
      const x = ((timing.start - this.#start) / span) * width;
      const w = Math.max(ratio, ((timing.end - timing.start) / span) * width);
      const failed = row.kind === 'tool' && row.result !== undefined && !row.result.ok;
      g.fillStyle = failed ? colors.failed : lane === 0 ? colors.model : colors.tool;
      g.fillRect(x, lane * laneHeight + pad, w, laneHeight - 2 * pad);
      if (row.kind === 'tool' && row.approvalRequest?.taintSources?.length) {
        g.fillStyle = colors.taint;
        g.fillRect(x, lane * laneHeight + pad, Math.max(w, 2 * ratio), Math.max(ratio, pad));
      }
    }
    canvas.setAttribute('aria-label', `Timeline: ${models} model calls and ${tools} tool calls over ${(span / 1000).toFixed(1)} seconds`);
  }
}

function themeColors() {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    model: read('--vscode-charts-blue', '#3794ff'),
    tool: read('--vscode-charts-green', '#89d185'),
    failed: read('--vscode-charts-red', '#f14c4c'),
    taint: read('--vscode-charts-orange', '#d18616'),
    grid: read('--vscode-panel-border', 'rgba(128,128,128,0.35)'),
  };
}
