// Timing shared by the bench scripts: repeat a call until one batch lasts long enough, then take
// the median of several batches (robust to the noise of a shared machine).

/** Median seconds per call of fn over `reps` timed batches, each at least `minMs` long. */
export function time(fn: () => void, reps: number, minMs: number): number {
  fn(); // warm-up (and tier-up)
  let inner = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    if (performance.now() - t0 >= minMs || inner >= 1 << 20) break;
    inner *= 2;
  }
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    times.push((performance.now() - t0) / inner / 1000);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}
