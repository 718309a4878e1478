// The "Hear a digit" view: record one second from the microphone (or open a .wav file), classify
// it with the small sample-level CNN shipped in public/models/fsdd, and show the waveform with the
// located digit and the 10 class probabilities. The last result is on window.__cnn1dHear for the
// end-to-end test (test/web/hear.e2e.test.ts).

import { data, type LayersModel } from 'cnn1d';
import { classify, loadDigitModel, RATE, type Heard } from './classify.ts';
import { recordSecond } from './recorder.ts';
import { drawBars, drawWave } from './draw.ts';
import './hear.css';

export interface HearState {
  /** The model is loaded and the Record button enabled. */
  ready: boolean;
  /** Results so far; each new one increments it. */
  count: number;
  label?: number;
  probs?: number[];
  /** Where the digit was found in the 8 kHz second, in samples (null: only silence). */
  span?: { start: number; end: number } | null;
  /** The capture's rate before resampling, and whether a spoken onset started it. */
  sampleRate?: number;
  onset?: boolean;
  error?: string;
}

declare global {
  interface Window {
    __cnn1dHear?: HearState;
  }
}

const MODEL_URL = './models/fsdd/model.json';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** Renders the view into its tab panel. */
export function mountHear(container: HTMLElement): void {
  const state: HearState = { ready: false, count: 0 };
  window.__cnn1dHear = state;
  const record = el('button', { id: 'hear-record', type: 'button', disabled: true, textContent: 'Record 1 s' });
  const file = el('input', { id: 'hear-file', type: 'file', accept: '.wav,audio/wav' });
  const status = el('span', { id: 'hear-status', className: 'muted', textContent: 'loading the model…' });
  status.setAttribute('role', 'status');
  const wave = el('canvas', { id: 'hear-wave', width: 900, height: 180 });
  wave.setAttribute('role', 'img');
  wave.setAttribute('aria-label', 'Waveform of the second heard, with the located digit');
  const label = el('div', { id: 'hear-label', className: 'hear-label', textContent: '–' });
  const bars = el('div', { id: 'hear-bars', className: 'hear-bars' });
  container.replaceChildren(
    el('div', { className: 'hear' },
      el('p', {}, 'Press ', el('b', {}, 'Record 1 s'), ' and say one digit, 0 to 9, in English. The second starts a quarter of a second before you speak (or is the last second heard after 5 s of quiet), is resampled to 8 kHz, the digit is located by its energy and centred, and a sample-level CNN trained on the Free Spoken Digit Dataset classifies the raw waveform.'),
      el('div', { className: 'hear-controls' }, record, el('label', { className: 'muted' }, 'or open a .wav: ', file), status),
      wave,
      el('div', { className: 'hear-result' }, label, bars),
    ),
  );
  drawWave(wave, null);
  drawBars(bars, null);

  let model: LayersModel | undefined;
  const show = (h: Heard, sampleRate: number, onset: boolean, source: string) => {
    drawWave(wave, h);
    drawBars(bars, h.probs);
    label.textContent = h.span ? String(h.label) : '–';
    Object.assign(state, { label: h.label, probs: Array.from(h.probs), span: h.span, sampleRate, onset, count: state.count + 1 });
    status.textContent = `${h.span ? `heard "${h.label}" (p = ${h.probs[h.label].toFixed(2)})` : 'only silence'}; ${source}, ${(sampleRate / 1000).toFixed(1)} kHz -> ${RATE / 1000} kHz`;
  };
  const fail = (e: unknown) => {
    state.error = e instanceof Error ? e.message : String(e);
    status.textContent = state.error;
    console.warn(e);
  };

  record.addEventListener('click', async () => {
    if (!model) return;
    record.disabled = true;
    status.textContent = 'listening… say a digit';
    try {
      const c = await recordSecond({ onLevel: (rms) => (status.textContent = `listening… say a digit  ${'▮'.repeat(Math.min(20, Math.round(rms * 100)))}`) });
      show(classify(model, c.samples, c.sampleRate), c.sampleRate, c.onset, c.onset ? 'microphone' : 'microphone, no onset: the last second');
    } catch (e) {
      fail(e);
    } finally {
      record.disabled = false;
    }
  });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f || !model) return;
    try {
      const wav = data.decodeWav(new Uint8Array(await f.arrayBuffer()), f.name);
      show(classify(model, wav.samples, wav.sampleRate), wav.sampleRate, false, f.name);
    } catch (e) {
      fail(e);
    }
  });

  loadDigitModel(MODEL_URL).then(
    (m) => {
      model = m;
      state.ready = true;
      record.disabled = false;
      status.textContent = `model ready: ${m.countParams().toLocaleString('en')} parameters`;
    },
    fail,
  );
}
