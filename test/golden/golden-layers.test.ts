// Every case of test/golden/layers/layers.json (scripts/golden_layers.py: float64 PyTorch, Keras
// definitions written out) through the public layers, regularizers and constraints: outputs,
// input gradients and parameter gradients within the golden tolerance |a-b| <= 1e-4 + 1e-3|b|.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constraints, layers, regularizers, runtime, sequential, type Layer } from '../../src/index.ts';

interface GTensor {
  shape: number[];
  data: number[];
}
interface GCase {
  name: string;
  op: string;
  config: Record<string, unknown>;
  input: GTensor;
  params?: Record<string, GTensor>;
  output: GTensor;
  gradOutput?: GTensor;
  gradInput?: GTensor;
  gradParams?: Record<string, GTensor>;
}

const FILE = join(dirname(fileURLToPath(import.meta.url)), 'layers', 'layers.json');
const cases = (JSON.parse(readFileSync(FILE, 'utf8')) as { cases: GCase[] }).cases;

function close(got: ArrayLike<number>, want: number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, golden ${want.length}`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 + 1e-3 * Math.abs(want[i]), `${what}: value ${i} is ${got[i]}, golden ${want[i]}`);
}

function layerOf(c: GCase, inputShape: number[]): Layer {
  const cfg = c.config;
  switch (c.op) {
    case 'layerNormalization':
      return layers.layerNormalization({ ...cfg, inputShape });
    case 'embedding':
      return layers.embedding({ ...(cfg as { inputDim: number; outputDim: number }), inputShape });
    case 'flatten':
      return layers.flatten({ ...cfg, inputShape });
    case 'timeDistributed':
      return layers.timeDistributed({ layer: layers.dense(cfg as { units: number }), inputShape });
    case 'rrelu':
      return layers.rrelu({ ...cfg, inputShape });
    default:
      throw new Error(`${c.name}: unknown op ${c.op}`);
  }
}

function runLayer(c: GCase): void {
  const [B, ...shape] = c.input.shape;
  const m = sequential({ layers: [layerOf(c, shape)], seed: 1 });
  try {
    m.build();
    const params = c.params ?? {};
    assert.deepEqual(m.weights.map((w) => w.spec.name).sort(), Object.keys(params).sort(), `${c.name}: weights`);
    m.setWeights(m.weights.map((w) => Float32Array.from(params[w.spec.name].data)));
    const x = Float32Array.from(c.input.data);
    const training = c.gradOutput !== undefined; // rrelu's golden case is its inference
    close(m.forwardBatch(x, B, training, training), c.output.data, `${c.name}: output`);
    if (!training) return;
    m.backwardFromOutputGrad(Float32Array.from(c.gradOutput!.data), B);
    close(m.inputGradient(B), c.gradInput!.data, `${c.name}: input gradient`);
    for (const g of m.weightGradients()) close(g.data, c.gradParams![g.name.split('/').pop()!].data, `${c.name}: gradient of ${g.name}`);
  } finally {
    m.dispose();
  }
}

function runWeightOp(c: GCase): void {
  const rt = runtime();
  const n = c.input.data.length;
  const w = rt.upload(Float32Array.from(c.input.data));
  const dw = rt.upload(new Float32Array(n));
  try {
    const cfg = c.config as { l1: number; l2: number; kind: string; maxValue?: number; axis?: number | number[] };
    if (c.op === 'penalty') {
      const value = regularizers.l1l2({ l1: cfg.l1, l2: cfg.l2 }).apply(rt.kernels, w, dw, n);
      close([value], c.output.data, `${c.name}: penalty`);
      close(rt.download(dw, n), c.gradInput!.data, `${c.name}: gradient`);
    } else {
      const con = cfg.kind === 'maxNorm' ? constraints.maxNorm({ maxValue: cfg.maxValue, axis: cfg.axis }) : cfg.kind === 'unitNorm' ? constraints.unitNorm({ axis: cfg.axis }) : constraints.nonNeg();
      con.check(c.name, c.input.shape);
      con.apply(rt.kernels, w, c.input.shape);
      close(rt.download(w, n), c.output.data, `${c.name}: constrained weight`);
    }
  } finally {
    rt.release(w);
    rt.release(dw);
  }
}

test('the golden file has cases of every op', () => {
  assert.deepEqual([...new Set(cases.map((c) => c.op))].sort(), ['constraint', 'embedding', 'flatten', 'layerNormalization', 'penalty', 'rrelu', 'timeDistributed']);
});

for (const c of cases) {
  test(`golden layers.json: ${c.name}`, () => (c.op === 'penalty' || c.op === 'constraint' ? runWeightOp(c) : runLayer(c)));
}
