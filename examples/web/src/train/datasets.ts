// The Train view's data sets, built on the main thread with cnn1d's browser-safe data module:
// the synthetic builtin sets, UCR text files (parseUCR) and labelled WAV files (decodeWav).
import { builtin, decodeWav, parseUCR, stratifiedSplit, Tensor, zNormalize } from 'cnn1d';
import { activeSpan, centreOn } from '../hear/locate.ts';
import type { DatasetMsg, Split } from './protocol.ts';

/** CBF or sines: 1,000 training and 300 test series of 128 samples, seeded (train and test
 *  from different seeds, so they share no series). */
export function builtinDataset(name: 'cbf' | 'sines'): DatasetMsg {
  const train = builtin[name]({ n: 1000, length: 128, seed: 1 });
  const test = builtin[name]({ n: 300, length: 128, seed: 2 });
  return { name: `builtin ${name}`, length: 128, channels: 1, classes: train.classes, train: { x: train.x.data, y: train.y }, test: { x: test.x.data, y: test.y } };
}

/** Rows `idx` of x [n, per] and y [n]. */
function take(x: Float32Array, y: Int32Array, per: number, idx: Int32Array): Split {
  const out = new Float32Array(idx.length * per);
  idx.forEach((s, i) => out.set(x.subarray(s * per, (s + 1) * per), i * per));
  return { x: out, y: Int32Array.from(idx, (s) => y[s]) };
}

/** A seeded stratified 75/25 split of one labelled set. */
function split(x: Float32Array, y: Int32Array, per: number): { train: Split; test: Split } {
  const { train, validation } = stratifiedSplit(y, { validationFraction: 0.25, seed: 0 });
  return { train: take(x, y, per, train), test: take(x, y, per, validation) };
}

const norm = (x: Tensor, on: boolean) => (on ? zNormalize(x) : x).data;

/**
 * UCR files: one file (split 75/25 here), or a *_TRAIN and a *_TEST file of one set (its own
 * split; both must have the same length). Labels are mapped to classes over both files.
 */
export async function ucrDataset(files: File[], normalize: boolean): Promise<DatasetMsg> {
  const texts = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
  const trainFile = texts.find((t) => /_TRAIN\.(tsv|txt|csv)$/i.test(t.name));
  const testFile = texts.find((t) => /_TEST\.(tsv|txt|csv)$/i.test(t.name));
  if (texts.length === 2 && trainFile && testFile) {
    const a = parseUCR(trainFile.text, { missing: 'interpolate' }, trainFile.name);
    const b = parseUCR(testFile.text, { missing: 'interpolate' }, testFile.name);
    const [L, Lb] = [a.x.shape[1], b.x.shape[1]];
    if (L !== Lb) throw new Error(`${trainFile.name} has series of ${L} samples, ${testFile.name} of ${Lb}; they must match`);
    const classes = [...new Set([...a.classes, ...b.classes])].sort((p, q) => p - q);
    const remap = (d: typeof a) => Int32Array.from(d.y, (c) => classes.indexOf(d.classes[c]));
    const name = trainFile.name.replace(/_TRAIN\.\w+$/i, '');
    return { name, length: L, channels: 1, classes: classes.map(String), train: { x: norm(a.x, normalize), y: remap(a) }, test: { x: norm(b.x, normalize), y: remap(b) } };
  }
  if (texts.length !== 1) throw new Error(`drop one UCR file, or a pair NAME_TRAIN.tsv + NAME_TEST.tsv; got ${texts.map((t) => t.name).join(', ')}`);
  const d = parseUCR(texts[0].text, { missing: 'interpolate' }, texts[0].name);
  const L = d.x.shape[1];
  return { name: texts[0].name, length: L, channels: 1, classes: d.classes.map(String), ...split(norm(d.x, normalize), d.y, L) };
}

/**
 * WAV files labelled by name as FSDD is ("3_theo_7.wav" is class "3": the text before the first
 * '_'), mono, one sample rate; each clip's sound (activeSpan: frames within 30 dB of its loudest)
 * centred in a window of the longest file's length, at most 1 s, then z-normalised per clip, as
 * the builtin series are and as the Hear view prepares the microphone's second, so a quiet and a
 * loud recording of one digit look alike.
 */
export async function wavDataset(files: File[]): Promise<DatasetMsg> {
  const clips = await Promise.all(files.map(async (f) => ({ name: f.name, wav: decodeWav(new Uint8Array(await f.arrayBuffer()), f.name) })));
  const rate = clips[0].wav.sampleRate;
  const odd = clips.find((c) => c.wav.sampleRate !== rate);
  if (odd) throw new Error(`${odd.name} is sampled at ${odd.wav.sampleRate} Hz, ${clips[0].name} at ${rate} Hz; the clips must share one rate`);
  const label = (name: string) => name.split('_')[0];
  const classes = [...new Set(clips.map((c) => label(c.name)))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  if (classes.length < 2) throw new Error(`the clips' names give one class ("${classes[0]}"); name them LABEL_anything.wav with at least two labels`);
  const L = Math.min(rate, Math.max(...clips.map((c) => c.wav.samples.length)));
  const x = new Float32Array(clips.length * L);
  clips.forEach((c, i) => x.set(centreOn(c.wav.samples, activeSpan(c.wav.samples, { frame: Math.round(rate / 50) }), L), i * L));
  const y = Int32Array.from(clips, (c) => classes.indexOf(label(c.name)));
  const normalized = zNormalize(new Tensor(x, [clips.length, L, 1])).data;
  return { name: `${clips.length} WAV clips at ${rate} Hz`, length: L, channels: 1, classes, ...split(normalized, y, L) };
}

/** Dropped files to a data set: all .wav, or UCR text files. */
export async function droppedDataset(files: File[], normalize: boolean): Promise<DatasetMsg> {
  if (files.length === 0) throw new Error('no files dropped');
  const wav = files.filter((f) => /\.wav$/i.test(f.name));
  if (wav.length === files.length) return wavDataset(files);
  if (wav.length > 0) throw new Error('drop either .wav clips or UCR .tsv files, not both');
  return ucrDataset(files, normalize);
}
