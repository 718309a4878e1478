// One second from the microphone: getUserMedia -> MediaStreamSource -> an AudioWorklet that
// copies the input to the main thread in blocks. The second starts PRE_ROLL before the detected
// onset of speech (onset.ts), or is the last second heard when no onset came within the timeout.
// The worklet's source is a Blob URL made here, so it needs no separate file in any bundler.

import { OnsetDetector } from './onset.ts';

export interface Capture {
  /** [round(sampleRate)] mono samples at the context's rate. */
  samples: Float32Array;
  sampleRate: number;
  /** False when no onset came and this is the last second before the timeout. */
  onset: boolean;
}

export interface RecordOptions {
  /** Seconds kept before the onset (default 0.25: a soft "f", "s" or "th" starts before it). */
  preRoll?: number;
  /** Seconds to wait for speech (default 5). */
  timeout?: number;
  /** Called with each block's RMS while listening (for a level meter). */
  onLevel?: (rms: number) => void;
}

const BLOCK = 1024; // frames per message from the worklet
const WORKLET = `
class Cnn1dTap extends AudioWorkletProcessor {
  constructor() { super(); this.buf = new Float32Array(${BLOCK}); this.n = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    for (let i = 0; i < ch.length; i++) {
      this.buf[this.n++] = ch[i];
      if (this.n === this.buf.length) { this.port.postMessage(this.buf, [this.buf.buffer]); this.buf = new Float32Array(${BLOCK}); this.n = 0; }
    }
    return true;
  }
}
registerProcessor('cnn1d-tap', Cnn1dTap);
`;

let workletUrl: string | undefined;

/** Records until one second around a spoken word (or the timeout) is in, then releases the mic. */
export async function recordSecond(options: RecordOptions = {}): Promise<Capture> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('recordSecond: this page has no navigator.mediaDevices (it needs a secure context: https or localhost)');
  // created before the first await, inside the click's user activation (autoplay policies)
  const ctx = new AudioContext();
  let stream: MediaStream | undefined;
  try {
    // raw input: echo cancellation, noise suppression and gain control would reshape the waveform
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    workletUrl ??= URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' }));
    await ctx.audioWorklet.addModule(workletUrl);
    const rate = ctx.sampleRate;
    const length = Math.round(rate);
    const pre = Math.round((options.preRoll ?? 0.25) * rate);
    const limit = Math.round((options.timeout ?? 5) * rate);
    const detector = new OnsetDetector({ frame: Math.round(rate / 100) });
    const source = ctx.createMediaStreamSource(stream);
    const tap = new AudioWorkletNode(ctx, 'cnn1d-tap', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
    source.connect(tap);
    tap.connect(ctx.destination); // the tap writes nothing: silence, but the graph pulls it
    await ctx.resume();
    return await new Promise<Capture>((resolve, reject) => {
      const seconds = (options.timeout ?? 5) + 2;
      const timer = setTimeout(() => reject(new Error(`recordSecond: no audio arrived from the microphone in ${seconds} s`)), seconds * 1000);
      const done = (c: Capture) => (clearTimeout(timer), resolve(c));
      const blocks: Float32Array[] = [];
      let total = 0;
      let from = -1; // stream index where the second starts, once the onset is known
      const slice = (start: number): Float32Array => {
        const out = new Float32Array(length);
        let at = 0; // stream index of blocks[b][0]
        for (const b of blocks) {
          const lo = Math.max(start, at);
          const hi = Math.min(start + length, at + b.length);
          if (hi > lo) out.set(b.subarray(lo - at, hi - at), lo - start);
          at += b.length;
        }
        return out;
      };
      tap.port.onmessage = (e: MessageEvent<Float32Array>) => {
        const x = e.data;
        blocks.push(x);
        total += x.length;
        let sq = 0;
        for (const v of x) sq += v * v;
        options.onLevel?.(Math.sqrt(sq / x.length));
        const onset = detector.push(x);
        if (from < 0 && onset >= 0) from = Math.max(0, onset - pre);
        if (from >= 0 && total >= from + length) done({ samples: slice(from), sampleRate: rate, onset: true });
        else if (from < 0 && total >= limit) done({ samples: slice(total - length), sampleRate: rate, onset: false });
      };
    });
  } finally {
    for (const t of stream?.getTracks() ?? []) t.stop();
    await ctx.close();
  }
}
