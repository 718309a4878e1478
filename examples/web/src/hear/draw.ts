// Drawing of the "Hear a digit" view: the 8 kHz second as min/max columns on a canvas with the
// located digit shaded, and the 10 class probabilities as bars.

import type { Heard } from './classify.ts';

export function drawWave(canvas: HTMLCanvasElement, h: Heard | null): void {
  const dpr = window.devicePixelRatio || 1;
  const cssWidth = canvas.clientWidth || canvas.width;
  const cssHeight = canvas.clientHeight || canvas.height;
  canvas.width = Math.round(cssWidth * dpr);
  canvas.height = Math.round(cssHeight * dpr);
  const g = canvas.getContext('2d')!;
  const W = canvas.width;
  const H = canvas.height;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, W, H);
  g.strokeStyle = '#d5dae1';
  g.beginPath();
  g.moveTo(0, H / 2);
  g.lineTo(W, H / 2);
  g.stroke();
  if (!h) return;
  const x = h.signal;
  const n = x.length;
  if (h.span) {
    g.fillStyle = 'rgba(59, 130, 246, 0.12)';
    g.fillRect((h.span.start / n) * W, 0, ((h.span.end - h.span.start) / n) * W, H);
  }
  let peak = 1e-6;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  g.fillStyle = '#1d4ed8';
  for (let px = 0; px < W; px++) {
    const a = Math.floor((px / W) * n);
    const b = Math.max(a + 1, Math.floor(((px + 1) / W) * n));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = a; i < Math.min(b, n); i++) (lo = Math.min(lo, x[i])), (hi = Math.max(hi, x[i]));
    if (lo > hi) continue;
    const y0 = H / 2 - (hi / peak) * (H / 2 - 4);
    const y1 = H / 2 - (lo / peak) * (H / 2 - 4);
    g.fillRect(px, y0, 1, Math.max(1, y1 - y0));
  }
  g.fillStyle = '#6b7685';
  g.font = `${12 * dpr}px system-ui, sans-serif`;
  g.fillText(`${(n / 8000).toFixed(2)} s at 8 kHz, peak ${peak.toFixed(3)}${h.span ? `; digit ${(h.span.start / 8000).toFixed(2)}-${(h.span.end / 8000).toFixed(2)} s` : ''}`, 6 * dpr, 16 * dpr);
}

export function drawBars(container: HTMLElement, probs: Float32Array | null): void {
  let best = -1;
  if (probs) for (let d = 0; d < 10; d++) if (best < 0 || probs[d] > probs[best]) best = d;
  container.replaceChildren(
    ...Array.from({ length: 10 }, (_, d) => {
      const p = probs ? probs[d] : 0;
      const row = document.createElement('div');
      row.className = d === best ? 'hear-bar best' : 'hear-bar';
      const name = document.createElement('span');
      name.textContent = String(d);
      const track = document.createElement('span');
      track.className = 'track';
      const fill = document.createElement('span');
      fill.className = 'fill';
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      track.append(fill);
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = probs ? p.toFixed(3) : '';
      row.append(name, track, value);
      return row;
    }),
  );
}
