// Fuzz: ONNX files from torch.onnx.export (test/fixtures/onnx) truncated, with bytes flipped,
// spliced or inserted, loaded from bytes by loadModel: every attempt ends in a ModelFormatError
// (or ConfigError) with a message, or a model that predicts; nothing leaks (see harness.ts for the
// invariants). Hostile files by construction: test/io/onnx-reader.test.ts.
import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzz } from './harness.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'onnx');
const SOURCES = ['squeeze-excite-op13.onnx', 'gated-cnn-op17.onnx', 'flatten-head-op13.onnx'].map((f) => new Uint8Array(readFileSync(join(DIR, f))));

type Edit = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; xor: number } | { kind: 'insert'; at: number; bytes: number[] } | { kind: 'splice'; from: number; to: number; len: number };

function applyEdits(src: Uint8Array, edits: Edit[]): Uint8Array {
  let b = Array.from(src);
  for (const e of edits) {
    const at = (x: number) => x % Math.max(b.length, 1);
    if (e.kind === 'truncate') b = b.slice(0, at(e.at));
    else if (e.kind === 'flip') b[at(e.at)] ^= e.xor;
    else if (e.kind === 'insert') b.splice(at(e.at), 0, ...e.bytes);
    else b.splice(at(e.to), 0, ...b.slice(at(e.from), at(e.from) + e.len));
  }
  return Uint8Array.from(b);
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('splice' as const), from: fc.nat(), to: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
);

test('fuzz: mutated ONNX files load cleanly or fail with ModelFormatError', async () => {
  await fuzz({
    name: 'onnx files (loadModel bytes)',
    seed: 0x6f6e6e78,
    numRuns: 300,
    sentinelEvery: 10,
    arb: fc.tuple(fc.integer({ min: 0, max: SOURCES.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 })),
    allowed: ['ModelFormatError', 'ConfigError'],
    attempt: async ({ lib }, [i, edits]) => {
      const m = await lib.loadModel(applyEdits(SOURCES[i], edits));
      try {
        const [L, C] = m.graph.inputs[0].shape;
        const len = m.variableLength ? 24 : L;
        const y = m.predict(lib.tensor(new Float32Array(2 * len * C).fill(0.25), [2, len, C]));
        return y.data.every(Number.isFinite) ? 'loaded, finite predictions' : 'loaded, non-finite predictions (weights flipped to inf/NaN)';
      } finally {
        m.dispose();
      }
    },
  });
});

