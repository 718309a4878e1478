// When speech starts in a live stream: the microphone's second is taken from a little before the
// onset, so a digit spoken any time after the button is pressed lands whole in the window.
// Frames of `frame` samples; a frame is loud when its RMS exceeds max(minLevel, ratio x noise),
// noise being a floor that follows every frame down at once and creeps up 2 % a frame (a minimum
// tracker, after R. Martin's minimum statistics, reduced to one exponential): a steady noise
// becomes the floor within a few hundred ms, a word only lifts it a little. An onset is a loud
// frame after at least `quietFrames` quiet ones: a stream that opens in the middle of a word waits
// for the word to end.

export interface OnsetOptions {
  /** Samples per frame (e.g. 10 ms of the stream's rate). */
  frame: number;
  /** Quiet frames needed before an onset counts (default 10). */
  quietFrames?: number;
  /** RMS a loud frame must exceed whatever the noise (default 0.003 full scale, -50 dBFS: FSDD
   *  speaker theo speaks at 0.005 to 0.01). */
  minLevel?: number;
  /** How far above the noise floor a loud frame is, as an RMS ratio (default 6, +15.6 dB). */
  ratio?: number;
}

export class OnsetDetector {
  readonly frame: number;
  private readonly quietNeeded: number;
  private readonly minLevel: number;
  private readonly ratio: number;
  private noise = Infinity;
  private quiet = 0;
  private sq = 0; // sum of squares of the frame being filled
  private filled = 0;
  private seen = 0; // samples pushed so far

  constructor(options: OnsetOptions) {
    this.frame = options.frame;
    this.quietNeeded = options.quietFrames ?? 10;
    this.minLevel = options.minLevel ?? 0.003;
    this.ratio = options.ratio ?? 6;
    if (!(Number.isInteger(this.frame) && this.frame > 0)) throw new RangeError(`OnsetDetector: frame must be a positive integer of samples, got ${String(options.frame)}`);
  }

  /** The RMS a frame must exceed now. */
  get threshold(): number {
    return Math.max(this.minLevel, this.ratio * (Number.isFinite(this.noise) ? this.noise : 0));
  }

  /**
   * Feeds samples; returns the stream index (samples since the first push) of the first sample of
   * the frame where speech starts, or -1 when no onset completed inside this chunk. After an
   * onset the detector needs quiet again before it reports another.
   */
  push(x: Float32Array): number {
    let onset = -1;
    for (let i = 0; i < x.length; i++) {
      this.sq += x[i] * x[i];
      if (++this.filled < this.frame) continue;
      const rms = Math.sqrt(this.sq / this.frame);
      const start = this.seen + i + 1 - this.frame;
      this.sq = 0;
      this.filled = 0;
      if (rms > this.threshold) {
        if (this.quiet >= this.quietNeeded && onset < 0) onset = start;
        this.quiet = 0;
      } else this.quiet++;
      this.noise = Math.min(rms, Number.isFinite(this.noise) ? this.noise * 1.02 + 1e-6 : rms);
    }
    this.seen += x.length;
    return onset;
  }
}
