// A line chart on a canvas (no chart library): series of values over a shared x axis, accuracy on
// a fixed 0-1 axis at the left, loss on its own axis at the right, with a legend. Redrawn whole on every update;
// a few hundred points cost well under a millisecond. The canvas's size comes from observeSize.

export interface Series {
  label: string;
  color: string;
  values: number[];
  /** Fixed y range; default [0, the largest value]. */
  range?: [number, number];
  dashed?: boolean;
}

/** CSS size of each observed canvas, kept by a ResizeObserver so that drawing never reads
 *  layout (reading clientWidth after a DOM change forces a synchronous style and layout). */
const sizes = new WeakMap<HTMLCanvasElement, { w: number; h: number }>();

/** Keeps the canvas's size up to date and calls onResize (to redraw) when it changes. */
export function observeSize(canvas: HTMLCanvasElement, onResize: () => void): void {
  new ResizeObserver(([entry]) => {
    const { inlineSize: w, blockSize: h } = entry.contentBoxSize[0];
    sizes.set(canvas, { w, h });
    onResize();
  }).observe(canvas);
}

/** Canvas backing store at the device pixel ratio for its CSS size (as last observed); returns
 *  the 2D context in CSS pixels, and the size. */
export function fitCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const dpr = window.devicePixelRatio || 1;
  const { w, h } = sizes.get(canvas) ?? { w: 600, h: 200 };
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h };
}

/** Tick labels for [0, hi]: 5 values, printed to the precision the range needs. */
const tick = (v: number, hi: number) => (hi >= 10 ? v.toFixed(0) : hi >= 1 ? v.toFixed(1) : v.toPrecision(2));

/**
 * Draws the series against x = 1..xMax (epochs). Series with a fixed `range` share the left axis
 * (accuracy, 0 to 1); the others share the right axis, from 0 to their largest value (loss), with
 * its own ticks. The legend wraps onto as many lines as the width needs; series without values yet
 * are listed without a scale.
 */
export function drawChart(canvas: HTMLCanvasElement, series: Series[], xMax: number, xLabel: string): void {
  const { ctx, w, h } = fitCanvas(canvas);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  // legend first: its height sets the plot's top
  const items = series.map((s) => ({ s, text: s.label, width: 0 }));
  for (const it of items) it.width = 24 + ctx.measureText(it.text).width;
  const rows: (typeof items)[] = [[]];
  let used = 40;
  for (const it of items) {
    if (used + it.width > w - 12 && rows.at(-1)!.length > 0) (rows.push([]), (used = 40));
    rows.at(-1)!.push(it);
    used += it.width;
  }
  const free = series.filter((s) => !s.range);
  const freeHi = Math.max(0, ...free.flatMap((s) => s.values.filter(Number.isFinite)));
  const right = free.length > 0 && freeHi > 0; // a loss axis at the right
  const pad = { l: 40, r: right ? 44 : 12, t: (right ? 22 : 10) + 14 * rows.length, b: 26 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  rows.forEach((row, r) => {
    let lx = pad.l;
    for (const { s, text, width } of row) {
      ctx.fillStyle = s.color;
      ctx.fillRect(lx, 6 + 14 * r, 14, 3);
      ctx.fillStyle = '#1d2430';
      ctx.fillText(text, lx + 18, 11 + 14 * r);
      lx += width;
    }
  });
  ctx.strokeStyle = '#d5dae1';
  ctx.fillStyle = '#5a6472';
  ctx.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + (ph * i) / 4;
    ctx.beginPath();
    ctx.moveTo(pad.l, y);
    ctx.lineTo(pad.l + pw, y);
    ctx.stroke();
    ctx.fillText((1 - i / 4).toFixed(2), 6, y + 4);
    if (right) ctx.fillText(tick((freeHi * (4 - i)) / 4, freeHi), pad.l + pw + 4, y + 4);
  }
  if (right) ctx.fillText('loss', pad.l + pw + 4, pad.t - 10);
  const n = Math.max(xMax, 1);
  const xs = (i: number) => pad.l + (n === 1 ? pw / 2 : (pw * i) / (n - 1));
  for (let i = 0; i < n; i += Math.max(1, Math.ceil(n / 10))) ctx.fillText(String(i + 1), xs(i) - 3, h - 10);
  ctx.fillText(xLabel, pad.l + pw - 30, h - 10);
  for (const s of series) {
    const [lo, hi] = s.range ?? [0, freeHi || 1];
    const ys = (v: number) => pad.t + ph * (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo));
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [5, 4] : []);
    ctx.beginPath();
    s.values.forEach((v, i) => (i === 0 ? ctx.moveTo(xs(i), ys(v)) : ctx.lineTo(xs(i), ys(v))));
    ctx.stroke();
    for (let i = 0; i < s.values.length; i++) ctx.fillRect(xs(i) - 2, ys(s.values[i]) - 2, 4, 4);
    ctx.setLineDash([]);
  }
}
