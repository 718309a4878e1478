// Fuzz: a saved conv1d + batchNormalization + maxPooling1d + dense model, mutated (truncation,
// byte flips, JSON edits of shapes, names, paths, sizes, dtypes, class names, layer configs,
// __proto__/constructor keys, removed and duplicated layers and manifest entries), then loaded by
// loadModel (files) and by fromArtifacts (browser-safe); and a saved functional model (a shared
// conv applied twice, a residual add, batch norm) whose inbound_nodes, inputs and outputs are
// mutated (unknown and hostile names, node and tensor indices, rewired inputs that make cycles).
// See harness.ts for the invariants.
import { test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as cnn1d from '../../src/index.ts';
import { fuzz } from './harness.ts';
import { applyMutations, checkLoaded, mutations, savedFrom, type Family, type Saved } from './model-mutations.ts';

const root = mkdtempSync(join(tmpdir(), 'cnn1d-fuzz-model-'));
const dir = join(root, 'model');
const outside = join(root, 'outside.bin');

async function saveOnce(): Promise<Saved> {
  const { layers, sequential, tensor } = cnn1d;
  const m = sequential({
    seed: 3,
    layers: [
      layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [16, 2] }),
      layers.batchNormalization(),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tensor(Float32Array.from({ length: 8 * 32 }, (_, i) => Math.sin(i * 1.3)), [8, 16, 2]);
  await m.fit(x, [0, 1, 2, 3, 0, 1, 2, 3], { epochs: 2, verbose: 0 }); // moving statistics away from 0 and 1
  const src = join(root, 'source');
  m.save(src);
  m.dispose();
  const saved = savedFrom(readFileSync(join(src, 'model.json'), 'utf8'), Uint8Array.from(readFileSync(join(src, 'weights.bin'))));
  writeFileSync(outside, saved.weights); // a valid shard outside the model folder, for ../ paths
  return saved;
}

/** A functional model: x -> shared conv -> BN -> shared conv again (node 1) -> add x -> GAP -> dense. */
async function saveFunctionalOnce(): Promise<Saved> {
  const { layers, model, input, tensor } = cnn1d;
  const x = input({ shape: [16, 2] });
  const conv = layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' });
  const h = conv.apply(layers.batchNormalization().apply(conv.apply(x)));
  const out = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(layers.add().apply([h, x])));
  const m = model({ inputs: x, outputs: out, seed: 4 });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await m.fit(tensor(Float32Array.from({ length: 6 * 32 }, (_, i) => Math.cos(i * 0.9)), [6, 16, 2]), [0, 1, 2, 0, 1, 2], { epochs: 2, verbose: 0 });
  const src = join(root, 'functional');
  m.save(src);
  m.dispose();
  return savedFrom(readFileSync(join(src, 'model.json'), 'utf8'), Uint8Array.from(readFileSync(join(src, 'weights.bin'))));
}

let saved: Saved | undefined;
let savedFunctional: Saved | undefined;
const loaderErrors = ['ModelFormatError', 'ConfigError', 'DataError', 'OutOfMemoryError', 'RangeError'];
// one property per family of mutations, so each failing family reports its own counterexample
const families: [Family, number][] = [['bytes', 120], ['values', 150], ['structure', 80], ['keys', 60], ['paths', 60], ['graph', 150]];

/** The graph family mutates the functional model; the others the Sequential one. */
async function source(family: Family): Promise<Saved> {
  if (family === 'graph') return (savedFunctional ??= await saveFunctionalOnce());
  return (saved ??= await saveOnce());
}

for (const [family, numRuns] of families) {
  test(`fuzz model files (${family}): mutated model.json / weights.bin through loadModel`, async () => {
    const s = await source(family);
    await fuzz({
      name: `model files, ${family} (loadModel)`,
      seed: 0x6d6f64 + numRuns,
      numRuns,
      arb: mutations(s, family, true),
      allowed: loaderErrors,
      attempt: async ({ lib }, ms) => {
        const { jsonBytes, weights } = applyMutations(s, ms, outside);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir);
        writeFileSync(join(dir, 'model.json'), jsonBytes);
        writeFileSync(join(dir, 'weights.bin'), weights);
        const model = await lib.loadModel(dir);
        try {
          const json = JSON.parse(new TextDecoder().decode(jsonBytes));
          const paths = (json.weightsManifest as { paths: string[] }[]).flatMap((g) => g.paths);
          const shards = paths.map((p) => readFileSync(resolve(dir, p)));
          return checkLoaded(lib, model, json, Buffer.concat(shards), resolve(dir));
        } finally {
          model.dispose();
        }
      },
    });
  });

  if (family === 'paths') continue; // fromArtifacts takes the weight bytes directly
  test(`fuzz model artifacts (${family}): mutated artifacts through fromArtifacts (browser-safe path)`, async () => {
    const s = await source(family);
    await fuzz({
      name: `model artifacts, ${family} (fromArtifacts)`,
      seed: 0x617274 + numRuns,
      numRuns,
      arb: mutations(s, family, false),
      allowed: loaderErrors,
      attempt: ({ lib }, ms) => {
        const { jsonBytes, weights } = applyMutations(s, ms, outside);
        const modelJson = JSON.parse(new TextDecoder().decode(jsonBytes));
        const model = lib.fromArtifacts({ modelJson, weightData: weights });
        try {
          return checkLoaded(lib, model, modelJson, weights, null);
        } finally {
          model.dispose();
        }
      },
    });
  });
}
