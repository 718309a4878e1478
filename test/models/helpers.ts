// Small synthetic tasks for API tests (fast, deterministic).
import { Random } from '../../src/runtime/random.ts';
import { Tensor } from '../../src/tensor.ts';

/** Two classes of noisy sines: 2 vs 5 cycles over `length` samples, random phase. x [n, length, 1]. */
export function twoSines(n: number, length: number, seed: number): { x: Tensor; y: Int32Array } {
  const rng = new Random(seed);
  const x = new Float32Array(n * length);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const cycles = y[i] ? 5 : 2;
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let t = 0; t < length; t++) x[i * length + t] = Math.sin((2 * Math.PI * cycles * t) / length + phase) + 0.3 * rng.normal();
  }
  return { x: new Tensor(x, [n, length, 1]), y };
}
