// Fuzz of the surfaces hardened in issue 15: folder and file readers on random mixes of real
// special files (devices, FIFOs, dangling/looping/outside symlinks, folders, Latin-1 names),
// model.stream() options and push chunks, and the value formatter on deep and odd structures.
// Readers and streams run through the harness (arena, prototypes and sentinel checked after each
// attempt); every test has a timeout, so a reader that blocks on a device fails instead of hanging.
import { afterAll, beforeAll, test } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, fuzz } from './harness.ts';
import { buildWav } from '../data/wav-bytes.ts';
import { showValue } from '../../src/layers/args.ts';

let root = '';
beforeAll(() => void (root = mkdtempSync(join(tmpdir(), 'cnn1d-fuzz-edges-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// ---- readers on special files ----

type Entry = 'wav' | 'ucr' | 'devZero' | 'fifo' | 'dangling' | 'loop' | 'dir' | 'outside' | 'inside' | 'latin1' | 'garbage';
const entry = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Entry>('wav') },
  { weight: 1, arbitrary: fc.constantFrom<Entry>('ucr', 'devZero', 'fifo', 'dangling', 'loop', 'dir', 'outside', 'inside', 'latin1', 'garbage') },
);
const BAD = new Set<Entry>(['devZero', 'fifo', 'dangling', 'loop', 'dir', 'outside', 'garbage']);
let folders = 0;

/** A folder of `entries` named {digit}_{kind}_{i}.wav (or .tsv); returns it and its first entry. */
function makeFolder(entries: Entry[]): { dir: string; first: string } {
  const dir = join(root, `d${folders++}`);
  mkdirSync(dir);
  const wav = buildWav({ format: 1, bits: 16, channels: [[0.25, -0.5, 0.125]] });
  let first = '';
  entries.forEach((kind, i) => {
    const name = `${i % 3}_${kind}_${i}.${kind === 'ucr' ? 'tsv' : 'wav'}`;
    const path = join(dir, name);
    first ||= path;
    if (kind === 'wav') writeFileSync(path, wav);
    else if (kind === 'ucr') writeFileSync(path, '1\t0.5\t3.4028235e38\n2\t-1\t0\n');
    else if (kind === 'devZero') symlinkSync('/dev/zero', path);
    else if (kind === 'fifo') execFileSync('mkfifo', [path]);
    else if (kind === 'dangling') symlinkSync(join(dir, 'missing'), path);
    else if (kind === 'loop') symlinkSync(path, path);
    else if (kind === 'dir') mkdirSync(path);
    else if (kind === 'outside') (writeFileSync(join(root, `out-${folders}-${i}.wav`), wav), symlinkSync(join(root, `out-${folders}-${i}.wav`), path));
    else if (kind === 'inside') (writeFileSync(join(dir, `target-${i}`), wav), symlinkSync(join(dir, `target-${i}`), path));
    else if (kind === 'latin1') writeFileSync(Buffer.concat([Buffer.from(`${dir}/${i % 3}_caf`), Buffer.from([0xe9]), Buffer.from(`_${i}.wav`)]), wav);
    else writeFileSync(path, 'RIFF junk');
  });
  return { dir, first };
}

test('fuzz readers on folders of special files: a DataError naming the entry, or every file read', { timeout: 120_000 }, async () => {
  await fuzz({
    name: 'readers on special files',
    seed: 0x5eca1,
    numRuns: 60,
    sentinelEvery: 10,
    arb: fc.record({ entries: fc.array(entry, { minLength: 0, maxLength: 6 }), reader: fc.constantFrom('loadWavFolder', 'fromWavFolder', 'loadFSDD', 'readWav', 'loadUCR', 'fromUCRFile') }),
    allowed: ['DataError', 'ConfigError'],
    attempt: async ({ lib }, { entries, reader }) => {
      const { dir, first } = makeFolder(entries);
      const wavs = entries.filter((e) => e !== 'ucr');
      try {
        if (reader === 'loadWavFolder' || reader === 'loadFSDD') {
          const d = reader === 'loadWavFolder' ? lib.loadWavFolder(dir, { length: 3 }) : lib.loadFSDD(dir, { length: 3, sampleRate: 8000 }).train;
          if (reader === 'loadWavFolder') expect(d.files.length === wavs.length, `${d.files.length} files read of ${wavs.length}`);
          expect(!wavs.some((e) => BAD.has(e)), `read a folder holding ${wavs.join(', ')}`);
          return 'read';
        }
        if (reader === 'fromWavFolder') {
          let n = 0;
          for await (const b of lib.fromWavFolder(dir, { length: 3, batchSize: 2 })) n += b.ys.length;
          expect(n === wavs.length && !wavs.some((e) => BAD.has(e)), `streamed ${n} of ${wavs.join(', ')}`);
          return 'read';
        }
        if (!first) return 'empty';
        if (reader === 'readWav') lib.readWav(first);
        else if (reader === 'loadUCR') lib.loadUCR(first);
        else for await (const _ of lib.fromUCRFile(first, { classes: [1, 2] }));
        return 'read';
      } catch (e) {
        if (e instanceof lib.DataError) expect(e.message.includes(root), `the DataError does not name the file: ${e.message}`);
        throw e;
      }
    },
  });
});

// ---- stream options and chunks ----

const optionKey = fc.constantFrom('maxChunk', 'maxChunck', 'maxchunk', 'chunk', 'batchSize', '__proto__', 'constructor');
const optionValue = fc.constantFrom<unknown>(1, 64, 256, 0, -1, 2.5, 2 ** 20, 2 ** 20 + 1, NaN, Infinity, '64', null, [64], {});
const options = fc.oneof(
  { weight: 4, arbitrary: fc.record({ maxChunk: fc.constantFrom(1, 7, 64, 256) }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.dictionary(optionKey, optionValue, { maxKeys: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 64, 'x', [], () => 1) },
);
const chunk = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      n: fc.integer({ min: 0, max: 70 }),
      fill: fc.oneof({ weight: 6, arbitrary: fc.constant('finite') }, { weight: 1, arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity', 'max') }),
      odd: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [1, 2], new Float64Array(4), 'ab', 7) },
);

test('fuzz model.stream options and push chunks: ConfigError with did-you-mean, or outputs as predict gives', { timeout: 120_000 }, async () => {
  await fuzz({
    name: 'stream options and chunks',
    seed: 0x57e4,
    numRuns: 150,
    sentinelEvery: 10,
    arb: fc.record({ options, chunks: fc.array(chunk, { minLength: 1, maxLength: 4 }) }),
    allowed: ['ConfigError'],
    attempt: ({ lib }, { options: opts, chunks }) => {
      const x = lib.input({ shape: [null, 2] });
      const y = lib.layers.conv1d({ filters: 3, kernelSize: 3, activation: 'tanh' }).apply(x);
      const m = lib.model({ inputs: x, outputs: y as never, seed: 3 });
      try {
        let s;
        try {
          s = m.stream(opts as never);
        } catch (e) {
          const msg = (e as Error).message;
          const typo = /unknown option "(maxChunck|maxchunk)"/.test(msg);
          if (typo) expect(msg.includes('(did you mean "maxChunk"?)'), `no hint in: ${msg}`);
          throw e;
        }
        const pushed: number[] = [];
        const outs: number[] = [];
        for (const c of chunks) {
          if (typeof c !== 'object' || c === null || !('n' in c)) {
            s.push(c as never);
            continue;
          }
          const { n, fill, odd } = c as { n: number; fill: string; odd: boolean };
          const data = Float32Array.from({ length: 2 * n + (odd ? 1 : 0) }, (_, i) => Math.sin(i));
          if (n > 0 && fill !== 'finite') data[data.length - 1 - (odd ? 1 : 0)] = fill === 'max' ? 3.4028235e38 : Number(fill);
          const out = s.push(data);
          expect(!odd && (fill === 'finite' || fill === 'max' || n === 0), `push accepted a chunk of ${data.length} values filled ${fill}`);
          expect(out.every((v) => Number.isFinite(v)), 'a stream output is not finite');
          pushed.push(...data);
          outs.push(...out);
        }
        if (pushed.length >= 6) {
          const whole = (m.predict(lib.tensor(Float32Array.from(pushed), [1, pushed.length / 2, 2])) as { data: Float32Array }).data;
          expect(whole.length === outs.length, `stream gave ${outs.length} values, predict ${whole.length}`);
          expect(outs.every((v, i) => Math.abs(v - whole[i]) <= 1e-6), 'stream outputs differ from predict');
        }
        return 'streamed';
      } finally {
        m.dispose();
      }
    },
  });
});

// ---- the value formatter ----

const leaf = fc.oneof(fc.double(), fc.string({ maxLength: 20 }), fc.constantFrom<unknown>(null, undefined, true, NaN, -Infinity, 10n, Symbol('s'), () => 1, new Date(0)));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 5 }), tie('node'), { maxKeys: 4 })),
})).node;
const deep = fc.record({ depth: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 250_000 }) }), kind: fc.constantFrom('array', 'object', 'mixed'), cycle: fc.boolean() }).map(({ depth, kind, cycle }) => {
  const top: Record<string, unknown> = {};
  let at: unknown = top;
  for (let i = 0; i < depth; i++) {
    const next = kind === 'array' || (kind === 'mixed' && i % 2) ? [] : {};
    if (Array.isArray(at)) at.push(next);
    else (at as Record<string, unknown>).k = next;
    at = next;
  }
  if (cycle) (at as Record<string, unknown>).self = top;
  return top;
});

test('fuzz showValue: never throws or recurses, at most 403 characters, JSON.stringify\'s text for short plain objects', { timeout: 60_000 }, () => {
  let checked = 0;
  fc.assert(
    fc.property(fc.oneof(tree, deep), (v) => {
      const s = showValue(v);
      if (typeof s !== 'string' || s.length > 403) throw new Error(`showValue gave ${typeof s} of length ${s?.length}`);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        let json: string | undefined;
        try {
          json = JSON.stringify(v);
        } catch {
          return; // cycles, BigInt: JSON has no text to compare with
        }
        if (json !== undefined && json.length <= 400) {
          checked++;
          if (s !== json) throw new Error(`showValue ${s} differs from JSON.stringify ${json}`);
        }
      }
    }),
    { seed: 0x5a0, numRuns: 300 },
  );
  console.log(`fuzz showValue: 300 values, ${checked} compared with JSON.stringify`);
});
