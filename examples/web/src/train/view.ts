// The Train view: a data set (builtin, or UCR / WAV files dropped on the page) and a zoo model,
// trained in a module worker; a live chart of loss and accuracy per epoch, a progress bar, stop
// and resume, the confusion matrix on the test split, download and reload of the model.
// The main thread's longest frame gap during training is shown and exposed, with the rest of the
// state, as window.__cnn1dTrain (read by test/web/app.e2e.test.ts).
import { drawChart, observeSize } from '../ui/chart.ts';
import { renderConfusion } from '../ui/confusion.ts';
import { FrameGapMeter } from '../ui/frames.ts';
import { SupervisedWorker } from '../ui/supervised-worker.ts';
import { builtinDataset, droppedDataset } from './datasets.ts';
import { bnMomentum, defaultBatchSize, MODEL_CHOICES } from './models.ts';
import type { DatasetMsg, EpochLogs, Evaluation, FromWorker, ToWorker } from './protocol.ts';
import { downloadModel, readModelFiles } from './files.ts';
import { mountKept } from './kept-view.ts';
import { workerUrl } from '../ui/worker-url.ts';

export interface TrainState {
  state: 'idle' | 'training' | 'stopped' | 'done' | 'loaded' | 'error';
  dataset?: string;
  epochs: EpochLogs[];
  evaluation?: Evaluation;
  /** Longest gap between animation frames of the main thread during the last run, ms. */
  longestFrameGap: number;
  frames: number;
  error?: string;
  /** Workers started so far: 1, plus one for each that died and was replaced. */
  workers: number;
}

declare global {
  interface Window {
    __cnn1dTrain?: TrainState;
    /** For tests: the Train view's worker, to end it as a crash would (kill: no message, no
     *  error event) or to send it any message (post). */
    __cnn1dTrainWorker?: { kill(): void; post(msg: unknown): void };
  }
}

const TEMPLATE = `
  <p class="muted">Trains in a Web Worker with cnn1d's WebAssembly kernels; this page only draws.</p>
  <div class="controls">
    <label>Data <select name="data">
      <option value="cbf">builtin CBF (3 classes, 128 samples)</option>
      <option value="sines">builtin sines (2 classes, 128 samples)</option>
      <option value="files" disabled>dropped files</option>
    </select></label>
    <label>Model <select name="model">${MODEL_CHOICES.map((m) => `<option value="${m.id}">${m.label}</option>`).join('')}</select></label>
    <label>Epochs <input name="epochs" type="number" min="1" max="500" value="20"></label>
    <label>Batch <input name="batch" type="number" min="1" max="1024" value="32"></label>
    <label>Learning rate <input name="lr" type="number" min="0" step="0.0001" value="0.001"></label>
    <button name="train" class="primary">Train</button>
    <button name="stop" disabled>Stop</button>
    <button name="resume" disabled>Resume</button>
  </div>
  <div class="drop"><p>Labelled <code>.wav</code> clips (<code>LABEL_anything.wav</code>) or UCR <code>.tsv</code> files
    (one, or NAME_TRAIN + NAME_TEST): choose them, or drop them here.</p>
    <label>Choose WAV or UCR files <input name="files" type="file" multiple accept=".wav,audio/wav,.tsv,.txt,.csv"></label>
    <label><input name="znorm" type="checkbox"> z-normalise each UCR series</label></div>
  <p class="dataset muted"></p>
  <div class="progress"><progress max="1" value="0" aria-label="training progress"></progress><span class="status" role="status">idle</span></div>
  <div class="alert" role="alert"></div>
  <canvas class="chart" role="img" aria-label="Chart of loss and accuracy per epoch, training and test"></canvas>
  <div class="stats" aria-live="polite">
    <div><span class="k">train accuracy</span><span class="v" data-stat="trainAcc">-</span></div>
    <div><span class="k">test accuracy</span><span class="v" data-stat="acc">-</span></div>
    <div><span class="k">epoch time</span><span class="v" data-stat="ms">-</span></div>
    <div><span class="k">longest frame gap (main thread)</span><span class="v" data-stat="gap">-</span></div>
  </div>
  <div class="row">
    <div><h3>Confusion matrix (test split)</h3><div class="confusion-box muted">after training</div></div>
    <div><h3>Model</h3>
      <p><button name="download" disabled>Download model.json + weights.bin</button> <button name="keep" disabled>Keep in this browser</button></p>
      <p><label>Kept models <select name="kept"></select></label> <button name="loadKept" disabled>Load kept</button> <button name="forget" disabled>Delete kept</button></p>
      <p><label>Load model.json + weights.bin <input name="load" type="file" multiple accept=".json,.bin"></label></p>
      <p class="model-info muted"></p>
    </div>
  </div>`;

export function mountTrain(container: HTMLElement): void {
  container.innerHTML = TEMPLATE;
  const $ = <T extends Element>(sel: string) => container.querySelector<T>(sel)!;
  const field = <T extends HTMLElement>(name: string) => $<T>(`[name="${name}"]`);
  const dataSelect = field<HTMLSelectElement>('data');
  const buttons = { train: field<HTMLButtonElement>('train'), stop: field<HTMLButtonElement>('stop'), resume: field<HTMLButtonElement>('resume'), download: field<HTMLButtonElement>('download'), keep: field<HTMLButtonElement>('keep') };
  const progress = $<HTMLProgressElement>('progress');
  const status = $<HTMLElement>('.status');
  const chart = $<HTMLCanvasElement>('.chart');
  const stat = (key: string) => $<HTMLElement>(`[data-stat="${key}"]`);

  const state: TrainState = { state: 'idle', epochs: [], longestFrameGap: 0, frames: 0, workers: 0 };
  window.__cnn1dTrain = state;
  const meter = new FrameGapMeter();
  let dropped: DatasetMsg | null = null;
  let selected: DatasetMsg | null = null; // built when picked, not when Train is pressed
  let data: DatasetMsg | null = null;
  let target = 0;
  let epochsDone = 0;
  let gapTimer = 0;
  let runStart = 0; // performance.now() when Train or Resume was pressed
  let runFrom = 0; // progress (0-1) then
  const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

  let modelInWorker = false; // false again when a worker dies: its model died with it
  let keep: (name: string, modelJson: Record<string, unknown>, weightData: Uint8Array) => Promise<void> = async () => undefined; // set with the kept-models controls

  const redraw = () =>
    drawChart(
      chart,
      [
        { label: 'train loss', color: '#c0392b', values: state.epochs.map((e) => e.loss) },
        { label: 'test loss', color: '#c0392b', values: state.epochs.map((e) => e.testLoss), dashed: true },
        { label: 'train accuracy', color: '#2874a6', values: state.epochs.map((e) => e.accuracy), range: [0, 1] },
        { label: 'test accuracy', color: '#229954', values: state.epochs.map((e) => e.testAccuracy), range: [0, 1], dashed: true },
      ],
      Math.max(target, state.epochs.length),
      'epoch',
    );

  const setRunning = (running: boolean) => {
    buttons.train.disabled = running;
    buttons.stop.disabled = !running;
    buttons.resume.disabled = running || !modelInWorker || state.epochs.length === 0 || state.state === 'loaded';
    buttons.download.disabled = running || !modelInWorker;
    buttons.keep.disabled = running || !modelInWorker;
    if (running) {
      meter.start();
      gapTimer = window.setInterval(showGap, 250);
    } else {
      meter.stop();
      window.clearInterval(gapTimer);
      showGap();
    }
  };

  const showGap = () => {
    state.longestFrameGap = meter.longest;
    state.frames = meter.frames;
    stat('gap').textContent = meter.frames > 1 ? `${meter.longest.toFixed(1)} ms over ${meter.frames} frames` : '-';
  };

  // The worker's news is drawn in one animation frame, however many messages arrived: message
  // handlers only record it (a DOM write then a layout read in a handler forces a layout).
  let pendingBatch: Extract<FromWorker, { type: 'batch' }> | null = null;
  let drawnEpochs = 0;
  let frameRequested = false;
  const render = () => {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      const b = pendingBatch;
      pendingBatch = null;
      if (b && state.state === 'training') {
        progress.value = (b.epoch + (b.batch + 1) / b.steps) / target;
        // elapsed in this run, and the rest at this run's pace so far
        const done = progress.value - runFrom;
        const elapsed = (performance.now() - runStart) / 1000;
        const left = done > 0 ? (elapsed / done) * (1 - progress.value) : NaN;
        status.textContent = `epoch ${b.epoch + 1} / ${target}, batch ${b.batch + 1} / ${b.steps}; ${clock(elapsed)} elapsed${Number.isFinite(left) ? `, about ${clock(left)} left` : ''}`;
      }
      if (drawnEpochs !== state.epochs.length) {
        drawnEpochs = state.epochs.length;
        const last = state.epochs.at(-1);
        if (last) {
          stat('trainAcc').textContent = last.accuracy.toFixed(3);
          stat('acc').textContent = last.testAccuracy.toFixed(3);
          stat('ms').textContent = `${last.ms.toFixed(0)} ms`;
        }
        redraw();
      }
    });
  };

  const showEvaluation = (ev: Evaluation, classes: string[]) => {
    state.evaluation = ev;
    stat('acc').textContent = ev.accuracy.toFixed(3);
    renderConfusion($('.confusion-box'), classes, ev.confusion);
  };

  // Errors go to the alert region with what to do next; a later success clears them.
  const alert = $<HTMLElement>('.alert');
  const clearAlert = () => alert.replaceChildren();
  const fail = (message: string, retry?: () => void) => {
    state.state = 'error';
    state.error = message;
    status.textContent = 'error';
    const text = document.createElement('span');
    text.textContent = message;
    alert.replaceChildren(text);
    if (retry) {
      const again = document.createElement('button');
      again.textContent = 'Retry';
      again.onclick = () => {
        clearAlert();
        retry();
      };
      alert.append(' ', again);
    }
    setRunning(false);
  };

  const onMessage = (msg: FromWorker) => {
    switch (msg.type) {
      case 'ready':
        modelInWorker = true;
        $('.model-info').textContent = `${msg.params} parameters`;
        return;
      case 'batch':
        pendingBatch = msg;
        render();
        return;
      case 'epoch':
        state.epochs.push(msg.logs);
        epochsDone = msg.logs.epoch + 1;
        render();
        return;
      case 'done':
        state.state = msg.stopped ? 'stopped' : 'done';
        epochsDone = msg.epochsDone;
        progress.value = epochsDone / target;
        status.textContent = msg.stopped ? `stopped after epoch ${epochsDone}; Resume continues to ${target}` : `done: ${epochsDone} epochs`;
        setRunning(false);
        showEvaluation(msg.evaluation, data!.classes);
        return;
      case 'artifacts':
        if (msg.purpose === 'download') downloadModel(msg.modelJson, msg.weightData);
        else void keep(msg.name, msg.modelJson, msg.weightData);
        return;
      case 'loaded':
        modelInWorker = true;
        state.state = 'loaded';
        state.error = undefined;
        $('.model-info').textContent = `loaded "${msg.name}": test accuracy ${msg.evaluation.accuracy.toFixed(3)} on ${data!.name}`;
        showEvaluation(msg.evaluation, data!.classes);
        setRunning(false);
        return;
      case 'error':
        fail(msg.message, state.state === 'training' ? start : undefined);
        return;
    }
  };
  const worker = new SupervisedWorker<ToWorker, FromWorker>(() => new Worker(workerUrl('train-worker'), { type: 'module' }), {
    onMessage,
    onDeath(reason) {
      modelInWorker = false;
      state.workers = worker.generation;
      const was = state.state;
      fail(was === 'training' ? `Training stopped: ${reason}. A new worker is ready; Retry trains again from the start.` : `${reason}. A new worker is ready.`, was === 'training' ? start : undefined);
    },
  });
  state.workers = worker.generation;
  const send = (msg: ToWorker, transfer: Transferable[] = []) => worker.post(msg, transfer);
  window.__cnn1dTrainWorker = { kill: () => worker.kill(), post: (msg) => worker.post(msg as ToWorker) };
  // leaving the page ends the worker: ask first while it trains
  window.addEventListener('beforeunload', (e) => {
    if (state.state !== 'training') return;
    e.preventDefault();
    e.returnValue = '';
  });

  const number = (name: string) => Number(field<HTMLInputElement>(name).value);

  function start(): void {
    data = selected;
    if (!data) return fail('Pick a data set first: choose WAV or UCR files, or a builtin set under "Data".');
    clearAlert();
    target = number('epochs');
    epochsDone = 0;
    Object.assign(state, { state: 'training', dataset: data.name, epochs: [], evaluation: undefined, error: undefined });
    status.textContent = 'starting';
    progress.value = 0;
    runStart = performance.now();
    runFrom = 0;
    $('.confusion-box').textContent = 'after training';
    redraw();
    setRunning(true);
    // a copy stays here for the confusion matrix labels; the arrays go to the worker
    const copy: DatasetMsg = { ...data, train: { x: data.train.x.slice(), y: data.train.y.slice() }, test: { x: data.test.x.slice(), y: data.test.y.slice() } };
    send({ type: 'train', data: copy, settings: { model: field<HTMLSelectElement>('model').value, epochs: target, batchSize: number('batch'), learningRate: number('lr'), seed: 0 } }, [copy.train.x.buffer, copy.test.x.buffer]);
  }

  buttons.train.onclick = start;
  buttons.stop.onclick = () => {
    status.textContent = 'stopping after this batch';
    send({ type: 'stop' });
  };
  buttons.resume.onclick = () => {
    target = epochsDone < number('epochs') ? number('epochs') : epochsDone + number('epochs');
    state.state = 'training';
    state.error = undefined;
    runStart = performance.now();
    runFrom = epochsDone / target;
    clearAlert();
    setRunning(true);
    redraw();
    send({ type: 'resume', epochs: target });
  };
  buttons.download.onclick = () => send({ type: 'export', purpose: 'download' });
  buttons.keep.onclick = () => send({ type: 'export', purpose: 'keep' });

  /** The model to the worker, evaluated on the chosen data set's test split. */
  const loadArtifacts = (modelJson: Record<string, unknown>, weightData: Uint8Array) => {
    if (!selected) throw new Error('load: pick a data set first; the model is evaluated on its test split');
    if (state.state === 'training') throw new Error('load: training is running; stop it first');
    data = selected;
    clearAlert();
    send({ type: 'load', modelJson, weightData, data }, [weightData.buffer]);
  };
  const kept = mountKept(container, { fail, load: loadArtifacts, info: (text) => ($('.model-info').textContent = text) });
  keep = (name, modelJson, weightData) =>
    kept.keep({ name, dataset: data?.name ?? '', classes: data?.classes ?? [], testAccuracy: state.evaluation?.accuracy ?? NaN, modelJson, weightData });

  field<HTMLInputElement>('load').onchange = async (e) => {
    const input = e.target as HTMLInputElement;
    try {
      const { modelJson, weightData } = await readModelFiles(Array.from(input.files ?? []));
      loadArtifacts(modelJson, weightData);
    } catch (err) {
      fail((err as Error).message);
    }
    input.value = '';
  };

  const useFiles = async (files: File[]) => {
    try {
      dropped = await droppedDataset(files, field<HTMLInputElement>('znorm').checked);
      const option = dataSelect.querySelector<HTMLOptionElement>('option[value="files"]')!;
      option.disabled = false;
      option.textContent = `dropped: ${dropped.name}`;
      dataSelect.value = 'files';
      showDataset();
    } catch (err) {
      fail((err as Error).message);
    }
  };
  const drop = $<HTMLElement>('.drop');
  drop.ondragover = (e) => {
    e.preventDefault();
    drop.classList.add('over');
  };
  drop.ondragleave = () => drop.classList.remove('over');
  drop.ondrop = (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    void useFiles(Array.from(e.dataTransfer?.files ?? []));
  };
  field<HTMLInputElement>('files').onchange = (e) => void useFiles(Array.from((e.target as HTMLInputElement).files ?? []));

  // Picking data sets the defaults that suit it: the batch size for its size (models.ts), and
  // sampleCnn for audio-length series.
  const batchInput = field<HTMLInputElement>('batch');
  const describeSteps = () => {
    const n = selected?.train.y.length ?? 0;
    const batch = number('batch');
    if (!n || !(batch >= 1)) return '';
    const steps = Math.ceil(n / batch);
    return ` Batch ${batch}: ${steps} steps per epoch, batch-norm momentum ${bnMomentum(steps).toFixed(3)}.`;
  };
  const describeDataset = () => {
    const d = selected;
    $('.dataset').textContent = d ? `${d.name}: ${d.train.y.length} training and ${d.test.y.length} test series of ${d.length} samples, classes ${d.classes.join(', ')}.${describeSteps()}` : '';
  };
  const showDataset = () => {
    const d = (selected = dataSelect.value === 'files' ? dropped : builtinDataset(dataSelect.value as 'cbf' | 'sines'));
    if (d) {
      batchInput.value = String(defaultBatchSize(d.train.y.length));
      if (d.length >= 1000) field<HTMLSelectElement>('model').value = 'sampleCnn';
    }
    describeDataset();
  };
  batchInput.addEventListener('change', describeDataset);
  dataSelect.onchange = showDataset;
  showDataset();
  observeSize(chart, redraw);
}
