// The Monitor view: a synthetic ECG played at its real rate (250 Hz) through a causal beat
// classifier with model.stream(): every animation frame pushes the samples due since the last
// one and draws the signal and the per-step class probabilities (no beat / normal / ectopic). The detector is trained in a worker
// when the view opens. window.__cnn1dMonitor exposes what was pushed and streamed, and the
// model's artifacts, so that test/web/app.e2e.test.ts can compare them with predict() offline.
import { fromArtifacts, ready, type LayersModel, type StreamSession } from 'cnn1d';
import { fitCanvas, observeSize } from '../ui/chart.ts';
import { BEAT_CLASSES, DETECT_WINDOW, ECG_RATE, syntheticEcg } from './ecg.ts';
import type { MonitorFromWorker } from './worker.ts';
import { workerUrl } from '../ui/worker-url.ts';

export interface MonitorHandle {
  state: 'training' | 'streaming' | 'paused' | 'error';
  rate: number;
  error?: string;
  /** Samples pushed in the current pass over the recording. */
  pushed(): number;
  /** The pushed samples [pushed] and the streamed outputs [pushed, 3] flattened, as plain arrays. */
  snapshot(): { signal: number[]; outputs: number[] };
  /** The beats found so far: first step of each detection and its class (1 normal, 2 ectopic). */
  beats(): { at: number; cls: number }[];
  /** The streamed model, as model.json + weights.bin bytes. */
  artifacts(): { modelJson: Record<string, unknown>; weightData: number[] } | null;
}

declare global {
  interface Window {
    __cnn1dMonitor?: MonitorHandle;
  }
}

const SECONDS = 60; // the recording; it loops
const SEED = 22; // a recording with ectopic beats at 4.7, 7.5 and 8.5 s
const K = BEAT_CLASSES.length;
const SHOWN = 6 * ECG_RATE; // samples on screen
const MAX_CATCH_UP = 2 * ECG_RATE; // after a pause of the tab, resume from "now" beyond this

const TEMPLATE = `
  <p class="muted">A synthetic ECG (${ECG_RATE} Hz) streamed sample by sample through a causal convolutional beat
    classifier with <code>model.stream()</code>, at the recording's real rate: for every sample it gives the probability
    that a normal or a premature ventricular (ectopic) beat peaked in the last ${(DETECT_WINDOW * 1000) / ECG_RATE} ms. The model
    (5 dilated causal convolutions, receptive field 65 samples) is trained in a worker when this view opens, on another
    synthetic recording.</p>
  <div class="controls"><button name="play" disabled>Pause</button><button name="restart" disabled>Restart</button>
    <span class="status muted" role="status">training the detector</span></div>
  <canvas class="monitor" role="img" aria-label="The ECG streamed, with the beat classifier's probabilities of a normal and an ectopic beat"></canvas>
  <div class="stats">
    <div><span class="k">heart rate (detected)</span><span class="v" data-stat="bpm">-</span></div>
    <div><span class="k">beats found / in the recording so far</span><span class="v" data-stat="beats">-</span></div>
    <div><span class="k">ectopic found / in the recording</span><span class="v" data-stat="ectopic">-</span></div>
    <div><span class="k">push time per sample (about 4 a frame)</span><span class="v" data-stat="cost">-</span></div>
    <div><span class="k">time</span><span class="v" data-stat="time">-</span></div>
  </div>`;

export function mountMonitor(container: HTMLElement): void {
  container.innerHTML = TEMPLATE;
  const $ = <T extends Element>(sel: string) => container.querySelector<T>(sel)!;
  const status = $<HTMLElement>('.status');
  const canvas = $<HTMLCanvasElement>('canvas.monitor');
  const play = $<HTMLButtonElement>('[name="play"]');
  const restart = $<HTMLButtonElement>('[name="restart"]');
  const stat = (key: string) => $<HTMLElement>(`[data-stat="${key}"]`);

  const rec = syntheticEcg(SECONDS, SEED);
  const n = rec.signal.length;
  const outputs = new Float32Array(n * K);
  let model: LayersModel | null = null;
  let session: StreamSession | null = null;
  let artifacts: { modelJson: Record<string, unknown>; weightData: Uint8Array } | null = null;
  let pushed = 0;
  let started = 0; // performance.now() of sample 0 of this pass
  // a beat: a run of steps with P(none) < 0.5; its class is the larger summed probability over the run
  let beats: { at: number; cls: number }[] = [];
  let run: { at: number; sums: number[] } | null = null;
  let pushTime = 0;
  let frame = 0;

  const handle: MonitorHandle = {
    state: 'training',
    rate: ECG_RATE,
    pushed: () => pushed,
    snapshot: () => ({ signal: Array.from(rec.signal.subarray(0, pushed)), outputs: Array.from(outputs.subarray(0, pushed * K)) }),
    beats: () => beats.map((b) => ({ ...b })),
    artifacts: () => (artifacts ? { modelJson: artifacts.modelJson, weightData: Array.from(artifacts.weightData) } : null),
  };
  window.__cnn1dMonitor = handle;

  const fail = (message: string) => {
    handle.state = 'error';
    handle.error = message;
    status.textContent = message;
    status.classList.add('error');
  };

  const begin = (at: number) => {
    session!.reset();
    pushed = 0;
    beats = [];
    run = null;
    pushTime = 0;
    started = at;
  };

  /** Pushes the samples due by `now`; returns how many. */
  const pushDue = (now: number): void => {
    let due = Math.min(n, Math.floor(((now - started) * ECG_RATE) / 1000));
    if (due - pushed > MAX_CATCH_UP) {
      // the tab was hidden: shift the clock rather than push seconds at once (nothing is skipped)
      started = now - (pushed * 1000) / ECG_RATE;
      due = pushed;
    }
    if (due <= pushed) return;
    const t0 = performance.now();
    const out = session!.push(rec.signal.subarray(pushed, due));
    pushTime += performance.now() - t0;
    outputs.set(out, pushed * K);
    for (let i = pushed; i < due; i++) {
      const p = outputs.subarray(i * K, i * K + K);
      if (p[0] < 0.5) {
        if (!run) run = { at: i, sums: new Array<number>(K).fill(0) };
        for (let c = 1; c < K; c++) run.sums[c] += p[c];
      } else if (run) {
        beats.push({ at: run.at, cls: run.sums[2] > run.sums[1] ? 2 : 1 });
        run = null;
      }
    }
    pushed = due;
  };

  const draw = () => {
    const { ctx, w, h } = fitCanvas(canvas);
    ctx.clearRect(0, 0, w, h);
    const first = Math.max(0, pushed - SHOWN);
    const x = (i: number) => ((i - first) / SHOWN) * w;
    const top = { y: 10, h: h * 0.62 };
    const bottom = { y: h * 0.72, h: h * 0.24 };
    const yEcg = (v: number) => top.y + top.h * (1 - (v + 0.7) / 2.4);
    const yOut = (v: number) => bottom.y + bottom.h * (1 - v);
    ctx.strokeStyle = '#eef0f3';
    ctx.lineWidth = 1;
    for (let s = Math.ceil(first / ECG_RATE) * ECG_RATE; s < first + SHOWN; s += ECG_RATE / 5) {
      ctx.beginPath();
      ctx.moveTo(x(s), 0);
      ctx.lineTo(x(s), h);
      ctx.stroke();
    }
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#6b7685';
    ctx.fillText('ECG (mV)', 6, top.y + 10);
    ctx.fillText(`per-step output: P(normal beat), P(ectopic beat) in the last ${(DETECT_WINDOW * 1000) / ECG_RATE} ms`, 6, bottom.y - 4);
    // found beats: a band over each run, green normal, red ectopic, labelled
    const band = (at: number, end: number, cls: number) => {
      if (end < first) return;
      ctx.fillStyle = cls === 2 ? 'rgba(192, 57, 43, 0.2)' : 'rgba(34, 153, 84, 0.18)';
      ctx.fillRect(x(at), top.y, Math.max(2, x(end) - x(at)), top.h);
      if (cls === 2) {
        ctx.fillStyle = '#c0392b';
        ctx.fillText('ectopic', x(at) + 4, top.y + 22);
      }
    };
    for (const b of beats) band(b.at, b.at + DETECT_WINDOW, b.cls);
    if (run) band(run.at, pushed, run.sums[2] > run.sums[1] ? 2 : 1);
    const trace = (value: (i: number) => number, y: (v: number) => number, color: string) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let i = first; i < pushed; i++) (i === first ? ctx.moveTo(x(i), y(value(i))) : ctx.lineTo(x(i), y(value(i))));
      ctx.stroke();
    };
    trace((i) => rec.signal[i], yEcg, '#1d2430');
    ctx.strokeStyle = '#d5dae1';
    ctx.strokeRect(0, bottom.y, w, bottom.h);
    trace((i) => outputs[i * K + 1], yOut, '#229954');
    trace((i) => outputs[i * K + 2], yOut, '#c0392b');
  };

  const showStats = () => {
    const recent = beats.slice(-6);
    if (recent.length >= 2) {
      const rr = (recent[recent.length - 1].at - recent[0].at) / (recent.length - 1) / ECG_RATE;
      stat('bpm').textContent = `${Math.round(60 / rr)} bpm`;
    }
    const past = rec.peaks.flatMap((p, i) => (p < pushed - DETECT_WINDOW ? [rec.ectopic[i]] : []));
    stat('beats').textContent = `${beats.length} / ${past.length}`;
    stat('ectopic').textContent = `${beats.filter((b) => b.cls === 2).length} / ${past.filter(Boolean).length}`;
    stat('cost').textContent = pushed > 0 ? `${((pushTime * 1000) / pushed).toFixed(1)} µs` : '-';
    stat('time').textContent = `${(pushed / ECG_RATE).toFixed(1)} / ${SECONDS} s`;
  };

  const tick = (now: number) => {
    frame = 0;
    if (handle.state !== 'streaming' || !session) return;
    try {
      pushDue(now);
      if (pushed >= n) begin(now); // loop the recording
      draw();
      showStats();
    } catch (err) {
      fail((err as Error).message);
      return;
    }
    frame = requestAnimationFrame(tick);
  };

  play.onclick = () => {
    if (handle.state === 'streaming') {
      handle.state = 'paused';
      play.textContent = 'Play';
    } else if (handle.state === 'paused') {
      handle.state = 'streaming';
      play.textContent = 'Pause';
      started = performance.now() - (pushed * 1000) / ECG_RATE;
      if (!frame) frame = requestAnimationFrame(tick);
    }
  };
  restart.onclick = () => {
    if (!session) return;
    begin(performance.now());
    if (handle.state === 'paused') draw();
  };

  observeSize(canvas, () => handle.state !== 'training' && draw());
  const worker = new Worker(workerUrl('monitor-worker'), { type: 'module' });
  worker.onerror = (e) => fail(`worker: ${e.message}`);
  worker.onmessage = async (e: MessageEvent<MonitorFromWorker>) => {
    const msg = e.data;
    if (msg.type === 'epoch') {
      status.textContent = `training the detector in a worker: epoch ${msg.epoch + 1} / ${msg.epochs}, loss ${msg.loss.toFixed(4)}`;
      return;
    }
    if (msg.type === 'error') return fail(msg.message);
    worker.terminate();
    try {
      await ready();
      artifacts = { modelJson: msg.modelJson, weightData: msg.weightData.slice() };
      model = fromArtifacts({ modelJson: msg.modelJson, weightData: msg.weightData });
      session = model.stream({ maxChunk: 64 });
    } catch (err) {
      return fail((err as Error).message);
    }
    status.textContent = `streaming: ${model.countParams()} parameters, ${K} outputs per sample, latency 0 samples`;
    play.disabled = false;
    restart.disabled = false;
    handle.state = 'streaming';
    begin(performance.now());
    frame = requestAnimationFrame(tick);
  };
  worker.postMessage('train');
}
