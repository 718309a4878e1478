// A synthetic ECG (no recording is read at run time): each beat is a sum of Gaussian waves
// P, Q, R, S, T (the shape of McSharry et al., "A dynamical model for generating synthetic
// electrocardiogram signals", IEEE TBME 2003, written in time instead of phase), with
// beat-to-beat RR variability, about one premature ventricular beat in twelve (wide QRS,
// no P, inverted T), baseline wander and noise. Deterministic for a seed.

/** Sampling rate of the synthetic recordings, Hz. */
export const ECG_RATE = 250;

export interface EcgRecording {
  /** [n] millivolts, ECG_RATE samples per second */
  signal: Float32Array;
  /** Sample index of every R peak (ascending). */
  peaks: number[];
  /** Per peak: a premature ventricular beat. */
  ectopic: boolean[];
}

/** mulberry32: a small seeded generator (uniform [0, 1)). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waves of one beat: [offset from the R peak s, amplitude mV, width s]. */
const NORMAL: [number, number, number][] = [
  [-0.2, 0.15, 0.025], // P
  [-0.03, -0.12, 0.01], // Q
  [0, 1.1, 0.012], // R
  [0.03, -0.25, 0.012], // S
  [0.26, 0.3, 0.05], // T
];
const ECTOPIC: [number, number, number][] = [
  [-0.04, -0.2, 0.02],
  [0, 1.4, 0.03],
  [0.06, -0.45, 0.03],
  [0.3, -0.35, 0.06],
];

/** `seconds` of synthetic ECG at ECG_RATE Hz, about `bpm` beats per minute. */
export function syntheticEcg(seconds: number, seed: number, bpm = 72): EcgRecording {
  const rand = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const n = Math.round(seconds * ECG_RATE);
  const signal = new Float32Array(n);
  const peaks: number[] = [];
  const ectopicFlags: boolean[] = [];
  const rr0 = 60 / bpm;
  let t = 0.5 + 0.3 * rand();
  while (t < seconds + 1) {
    const ectopic = peaks.length > 0 && rand() < 1 / 12;
    const peak = ectopic ? t - 0.3 * rr0 : t; // premature
    const scale = 1 + 0.1 * normal();
    const waves = ectopic ? ECTOPIC : NORMAL;
    const r = Math.round(peak * ECG_RATE);
    if (r >= 0 && r < n) (peaks.push(r), ectopicFlags.push(ectopic));
    const from = Math.max(0, Math.floor((peak - 0.4) * ECG_RATE));
    const to = Math.min(n, Math.ceil((peak + 0.6) * ECG_RATE));
    for (let i = from; i < to; i++) {
      const dt = i / ECG_RATE - peak;
      let v = 0;
      for (const [at, amp, width] of waves) v += amp * Math.exp(-((dt - at) ** 2) / (2 * width * width));
      signal[i] += scale * v;
    }
    t += rr0 * (1 + 0.08 * normal()) + (ectopic ? 0.3 * rr0 : 0); // compensatory pause
  }
  const phase = 2 * Math.PI * rand();
  for (let i = 0; i < n; i++) signal[i] += 0.12 * Math.sin((2 * Math.PI * 0.25 * i) / ECG_RATE + phase) + 0.03 * normal();
  return { signal, peaks, ectopic: ectopicFlags };
}

/** Samples after an R peak during which the detector should say "beat" (48 ms). */
export const DETECT_WINDOW = 12;

/** The detector's classes per time step. */
export const BEAT_CLASSES = ['none', 'normal', 'ectopic'] as const;

/** Per-step class indices [n]: for the DETECT_WINDOW samples from each R peak on, 1 (normal
 *  beat) or 2 (ectopic beat); 0 elsewhere. */
export function beatTargets(rec: EcgRecording): Float32Array {
  const y = new Float32Array(rec.signal.length);
  rec.peaks.forEach((r, i) => y.fill(rec.ectopic[i] ? 2 : 1, r, Math.min(y.length, r + DETECT_WINDOW)));
  return y;
}
