// Where the spoken digit is in a recording, by short-time energy, and the digit centred in the
// model's window. The same functions prepare the training clips (scripts/build-fsdd-web-model.ts)
// and the microphone's second, so the model sees both the same way.
// x [n] samples at 8 kHz (any rate works; frame is in samples).

export interface SpanOptions {
  /** Samples per analysis frame (default 160 = 20 ms at 8 kHz). */
  frame?: number;
  /** A frame is active when its RMS is within this many dB of the loudest frame's (default 30). */
  rangeDb?: number;
  /** RMS below which nothing counts as sound, in full scale (default 1e-3 = -60 dBFS). */
  floor?: number;
}

/** The sounding part of a recording: samples [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** RMS of each whole or final partial frame: [ceil(n / frame)]. */
export function frameRms(x: Float32Array, frame: number): Float32Array {
  const out = new Float32Array(Math.ceil(x.length / frame));
  for (let f = 0; f < out.length; f++) {
    const end = Math.min(x.length, (f + 1) * frame);
    let sq = 0;
    for (let i = f * frame; i < end; i++) sq += x[i] * x[i];
    out[f] = Math.sqrt(sq / (end - f * frame));
  }
  return out;
}

/**
 * From the first to the last active frame (active: RMS >= loudest / 10^(rangeDb / 20) and >= floor),
 * so a pause inside a word ("six", "seven") stays in. null when no frame reaches the floor.
 */
export function activeSpan(x: Float32Array, options: SpanOptions = {}): Span | null {
  const frame = options.frame ?? 160;
  const rms = frameRms(x, frame);
  let peak = 0;
  for (const r of rms) peak = Math.max(peak, r);
  const threshold = Math.max(options.floor ?? 1e-3, peak * 10 ** (-(options.rangeDb ?? 30) / 20));
  if (peak < threshold) return null;
  let first = 0;
  while (rms[first] < threshold) first++;
  let last = rms.length - 1;
  while (rms[last] < threshold) last--;
  return { start: first * frame, end: Math.min(x.length, (last + 1) * frame) };
}

/**
 * A window of `length` samples whose centre is the centre of `span` (or of x when span is null),
 * moved by `shift` samples (positive: the sound sits later), zeros where it runs past x.
 */
export function centreOn(x: Float32Array, span: Span | null, length: number, shift = 0): Float32Array {
  const mid = span ? (span.start + span.end) >> 1 : x.length >> 1;
  const from = mid - (length >> 1) - shift; // x index of out[0]
  const out = new Float32Array(length);
  const lo = Math.max(0, -from);
  const hi = Math.min(length, x.length - from);
  for (let i = lo; i < hi; i++) out[i] = x[from + i];
  return out;
}

/** The digit of x found by activeSpan and centred in `length` samples (8000 = 1 s at 8 kHz). */
export function centreDigit(x: Float32Array, length = 8000, options?: SpanOptions): Float32Array {
  return centreOn(x, activeSpan(x, options), length);
}
