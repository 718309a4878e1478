// The shipped digit model (public/models/fsdd, built by scripts/build-fsdd-web-model.ts) and the
// path from a recording to its 10 probabilities, prepared as the training clips were:
// resample to 8 kHz -> find the digit by energy -> centre it in 1 s -> z-normalise per clip.

import { data, fromArtifacts, ready, tensor, type LayersModel } from 'cnn1d';
import { resample } from './resample.ts';
import { activeSpan, centreOn, type Span } from './locate.ts';

export const RATE = 8000;
export const LENGTH = 8000; // 1 s

/** model.json and its weight files from `url` (the weights are found beside it, as TF.js does). */
export async function loadDigitModel(url: string): Promise<LayersModel> {
  await ready();
  const res = await fetch(url);
  if (!res.ok) throw new Error(`loadDigitModel: ${url}: HTTP ${res.status}`);
  const modelJson = (await res.json()) as { weightsManifest?: { paths: string[] }[] };
  const paths = (modelJson.weightsManifest ?? []).flatMap((g) => g.paths);
  const shards = await Promise.all(
    paths.map(async (p) => {
      const r = await fetch(new URL(p, new URL(url, location.href)));
      if (!r.ok) throw new Error(`loadDigitModel: ${p}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    }),
  );
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  shards.reduce((at, s) => (weightData.set(s, at), at + s.length), 0);
  return fromArtifacts({ modelJson, weightData });
}

export interface Heard {
  /** [10] class probabilities, digit d at index d. */
  probs: Float32Array;
  label: number;
  /** The recording at 8 kHz, and where the digit was found in it (null: silence). */
  signal: Float32Array;
  span: Span | null;
}

export function classify(model: LayersModel, samples: Float32Array, sampleRate: number): Heard {
  const signal = resample(samples, sampleRate, RATE);
  const span = activeSpan(signal);
  const x = data.zNormalize(tensor(centreOn(signal, span, LENGTH), [1, LENGTH, 1]));
  const probs = model.predict(x).data.slice(0, 10);
  let label = 0;
  for (let d = 1; d < 10; d++) if (probs[d] > probs[label]) label = d;
  return { probs, label, signal, span };
}
