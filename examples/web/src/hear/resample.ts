// Band-limited resampling by a windowed-sinc kernel (J. O. Smith, "Digital Audio Resampling
// Home Page", ccrma.stanford.edu/~jos/resample): y[n] = sum_k x[k] h(t_n - k), t_n = n * inRate /
// outRate, with the ideal low-pass h(tau) = fc sinc(fc tau) cut at fc = rolloff * min(1, outRate /
// inRate) (cycles per input sample x 2) and a Blackman window over `zeros` zero crossings each
// side. Downsampling widens the kernel by 1 / fc, which is the anti-aliasing filter.
// x [n] at inRate -> y [round(n * outRate / inRate)] at outRate; samples outside x count as 0.

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side of the centre (default 32): longer = sharper. */
  zeros?: number;
  /** The cut-off (the -6 dB point) as a fraction of the lower Nyquist frequency (default 0.92). */
  rolloff?: number;
}

const sinc = (x: number) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));
// Blackman window on u in [-1, 1] (peak 1 at u = 0, about -58 dB side lobes)
const blackman = (u: number) => (Math.abs(u) >= 1 ? 0 : 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u));
// Above this many distinct phases the kernel is evaluated per tap instead of tabulated.
const MAX_PHASES = 4096;

function check(name: string, v: number, ok: boolean, expected: string): void {
  if (!ok) throw new RangeError(`resample: ${name} must be ${expected}, got ${String(v)}`);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function resample(x: Float32Array, inRate: number, outRate: number, options: ResampleOptions = {}): Float32Array {
  const zeros = options.zeros ?? 32;
  const rolloff = options.rolloff ?? 0.92;
  check('inRate', inRate, Number.isFinite(inRate) && inRate > 0, 'a positive number of Hz');
  check('outRate', outRate, Number.isFinite(outRate) && outRate > 0, 'a positive number of Hz');
  check('zeros', zeros, Number.isInteger(zeros) && zeros > 0, 'a positive integer');
  check('rolloff', rolloff, rolloff > 0 && rolloff <= 1, 'in (0, 1]');
  const n = Math.round((x.length * outRate) / inRate);
  const y = new Float32Array(n);
  if (inRate === outRate) return (y.set(x.subarray(0, n)), y);
  const fc = rolloff * Math.min(1, outRate / inRate);
  const half = zeros / fc; // kernel half-width in input samples
  const h = (tau: number) => fc * sinc(fc * tau) * blackman(tau / half);
  const J = Math.ceil(half); // taps k = floor(t) - J + 1 .. floor(t) + J cover |t - k| < half
  // Integer rates: t_i = i p / q exactly, with q phases; one table of 2J taps per phase.
  const g = Number.isInteger(inRate) && Number.isInteger(outRate) ? gcd(inRate, outRate) : 0;
  const p = g ? inRate / g : 0;
  const q = g ? outRate / g : 0;
  if (g && q <= MAX_PHASES) {
    const table = new Float32Array(q * 2 * J); // [phase][j], tap j at k = floor(t) - J + 1 + j
    for (let ph = 0; ph < q; ph++) for (let j = 0; j < 2 * J; j++) table[ph * 2 * J + j] = h(ph / q + J - 1 - j);
    for (let i = 0; i < n; i++) {
      const base = Math.floor((i * p) / q) - J + 1;
      const row = ((i * p) % q) * 2 * J;
      const j0 = Math.max(0, -base);
      const j1 = Math.min(2 * J, x.length - base);
      let acc = 0;
      for (let j = j0; j < j1; j++) acc += x[base + j] * table[row + j];
      y[i] = acc;
    }
    return y;
  }
  const step = inRate / outRate; // input samples per output sample
  for (let i = 0; i < n; i++) {
    const t = i * step;
    const k0 = Math.max(0, Math.ceil(t - half));
    const k1 = Math.min(x.length - 1, Math.floor(t + half));
    let acc = 0;
    for (let k = k0; k <= k1; k++) acc += x[k] * h(t - k);
    y[i] = acc;
  }
  return y;
}
