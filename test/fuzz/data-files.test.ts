// Fuzz: UCR text through parseUCR and WAV bytes through decodeWav: truncation, byte flips, random
// text lines and separators, random RIFF header fields (chunk sizes, format codes, channels, bits
// per sample, block align), extra and duplicated chunks. A parse either fails with a DataError /
// ConfigError or returns a dataset whose shapes agree with the input and whose values are finite.
import { test } from 'vitest';
import fc from 'fast-check';
import { expect, fuzz } from './harness.ts';
import { buildWav } from '../data/wav-bytes.ts';

const dataErrors = ['DataError', 'ConfigError'];

// ---- UCR ----

const num = fc.oneof(
  fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((v) => String(v)),
  fc.integer({ min: -3, max: 3 }).map(String),
  fc.constantFrom('NaN', 'nan', 'Infinity', '-Infinity', '1e39', '-3.5e38', '1e-50', '0x1F', '1_0', '', ' ', '+', '-', '.', 'e5', '١', '\u00a0', '1,5', '--1'),
);
const sepArb = fc.constantFrom('\t', ',', ' ', '  ', ';', '\t ');
const eol = fc.constantFrom('\n', '\r\n', '\r', '\n\n');
const line = fc.tuple(sepArb, fc.array(num, { minLength: 0, maxLength: 8 })).map(([s, fields]) => fields.join(s));

/** A well-formed UCR file: n rows of a label and L samples. */
const validUCR = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), L: fc.integer({ min: 1, max: 8 }), sep: fc.constantFrom('\t', ',', ' '), eol })
  .chain(({ n, L, sep, eol: e }) =>
    fc.array(fc.tuple(fc.integer({ min: -2, max: 3 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: L, maxLength: L })), { minLength: n, maxLength: n }).map((rows) => rows.map(([l, xs]) => [l, ...xs].join(sep)).join(e) + e),
  );

type TextEdit = { op: 'truncate'; at: number } | { op: 'flip'; at: number; xor: number } | { op: 'insertLine'; at: number; line: string } | { op: 'setField'; at: number; value: string };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(400) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(400), xor: fc.integer({ min: 1, max: 127 }) }),
  fc.record({ op: fc.constant('insertLine' as const), at: fc.nat(8), line }),
  fc.record({ op: fc.constant('setField' as const), at: fc.nat(60), value: num }),
);

function editText(text: string, edits: TextEdit[]): string {
  for (const e of edits) {
    if (e.op === 'truncate') text = text.slice(0, e.at % (text.length + 1));
    else if (e.op === 'flip' && text.length > 0) {
      const i = e.at % text.length;
      text = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ e.xor) + text.slice(i + 1);
    } else if (e.op === 'insertLine') {
      const lines = text.split('\n');
      lines.splice(e.at % (lines.length + 1), 0, e.line);
      text = lines.join('\n');
    } else if (e.op === 'setField') {
      const parts = text.split(/(\t|,| |\n)/);
      const i = 2 * (e.at % Math.ceil(parts.length / 2));
      parts[i] = e.value;
      text = parts.join('');
    }
  }
  return text;
}

const ucrOptions = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<unknown>(undefined, {}, { missing: 'interpolate' }, { missing: 'error' }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>({ missing: 'drop' }, { mising: 'error' }, 'interpolate', null, [], { missing: undefined, extra: 1 }) },
);

test('fuzz UCR text: parseUCR returns consistent shapes and finite values, or a DataError/ConfigError', async () => {
  await fuzz({
    name: 'UCR text (parseUCR)',
    seed: 0x756372,
    numRuns: 600,
    arb: fc.record({ text: validUCR, edits: fc.array(textEdit, { minLength: 0, maxLength: 3 }), options: ucrOptions }),
    allowed: dataErrors,
    attempt: ({ lib }, { text, edits, options }) => {
      const input = editText(text, edits);
      const d = lib.parseUCR(input, options as undefined);
      const rows = input.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').length;
      const [n, L, c] = d.x.shape;
      expect(d.x.shape.length === 3 && c === 1 && L >= 1, `x has shape [${d.x.shape}], expected [n, L, 1]`);
      expect(n === rows, `${n} series parsed from ${rows} non-blank lines`);
      expect(d.x.data.length === n * L && d.y.length === n, `x [${d.x.shape}] with ${d.x.data.length} values, y of length ${d.y.length}`);
      expect(d.x.data.every(Number.isFinite), `non-finite sample ${d.x.data.find((v) => !Number.isFinite(v))} parsed from ${JSON.stringify(input)}`);
      expect(d.classes.every((v, i) => Number.isFinite(v) && (i === 0 || v > d.classes[i - 1])), `classes [${d.classes}] are not finite and ascending`);
      expect(d.y.every((v) => v >= 0 && v < d.classes.length) && new Set(d.y).size === d.classes.length, `y [${[...d.y]}] does not index classes [${d.classes}]`);
      return edits.length ? 'parsed (edited text)' : 'parsed (valid text)';
    },
  });
});

// ---- WAV ----

const wavSpec = fc
  .record({
    kind: fc.constantFrom([1, 8], [1, 16], [1, 24], [1, 32], [3, 32], [3, 64]),
    C: fc.integer({ min: 1, max: 3 }),
    frames: fc.integer({ min: 0, max: 40 }),
    extensible: fc.boolean(),
    rate: fc.constantFrom(8000, 44100, 1),
  })
  .chain(({ kind, C, frames, extensible, rate }) =>
    fc.array(fc.array(fc.double({ min: -1, max: 0.99, noNaN: true }), { minLength: frames, maxLength: frames }), { minLength: C, maxLength: C }).map((channels) => buildWav({ format: kind[0], bits: kind[1], channels, extensible, sampleRate: rate })),
  );

// byte offsets of header fields in a file built by buildWav (fmt chunk first, at 12)
const FIELDS: Record<string, [number, 2 | 4]> = {
  riffSize: [4, 4],
  fmtSize: [16, 4],
  format: [20, 2],
  channels: [22, 2],
  sampleRate: [24, 4],
  byteRate: [28, 4],
  blockAlign: [32, 2],
  bits: [34, 2],
  subFormat: [44, 2],
};
const fieldValue = fc.constantFrom(0, 1, 2, 3, 7, 8, 15, 16, 17, 24, 32, 40, 64, 255, 0xfffe, 0xffff, 2 ** 31, 2 ** 32 - 1, 2 ** 32 - 8);

type ByteEdit = { op: 'truncate'; at: number } | { op: 'flip'; at: number; xor: number } | { op: 'field'; field: string; value: number } | { op: 'dataSize'; value: number } | { op: 'chunk'; id: string; size: number; body: number };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(600) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(600), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('field' as const), field: fc.constantFrom(...Object.keys(FIELDS)), value: fieldValue }),
  fc.record({ op: fc.constant('dataSize' as const), value: fieldValue }),
  fc.record({ op: fc.constant('chunk' as const), id: fc.constantFrom('fmt ', 'data', 'LIST', 'junk', '\0\0\0\0'), size: fc.oneof(fc.nat(64), fieldValue), body: fc.nat(64) }),
);

function editBytes(bytes: Uint8Array, edits: ByteEdit[]): Uint8Array {
  let b = bytes.slice();
  for (const e of edits) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (e.op === 'truncate') b = b.slice(0, e.at % (b.length + 1));
    else if (e.op === 'flip' && b.length > 0) b[e.at % b.length] ^= e.xor;
    else if (e.op === 'field') {
      const [at, w] = FIELDS[e.field];
      if (at + w <= b.length) w === 2 ? view.setUint16(at, e.value & 0xffff, true) : view.setUint32(at, e.value >>> 0, true);
    } else if (e.op === 'dataSize') {
      const at = findChunk(b, 'data');
      if (at >= 0) view.setUint32(at + 4, e.value >>> 0, true);
    } else if (e.op === 'chunk') {
      // an extra chunk appended: declared size `size`, `body` bytes actually present
      const extra = new Uint8Array(8 + e.body);
      extra.set([...e.id].map((ch) => ch.charCodeAt(0)));
      new DataView(extra.buffer).setUint32(4, e.size >>> 0, true);
      const next = new Uint8Array(b.length + extra.length);
      next.set(b);
      next.set(extra, b.length);
      b = next;
    }
  }
  return b;
}

function findChunk(b: Uint8Array, id: string): number {
  for (let at = 12; at + 8 <= b.length; ) {
    if (String.fromCharCode(...b.subarray(at, at + 4)) === id) return at;
    const size = new DataView(b.buffer, b.byteOffset).getUint32(at + 4, true);
    at += 8 + size + (size & 1);
  }
  return -1;
}

test('fuzz WAV bytes: decodeWav returns consistent channels and finite samples, or a DataError', async () => {
  await fuzz({
    name: 'WAV bytes (decodeWav)',
    seed: 0x776176,
    numRuns: 800,
    arb: fc.record({ wav: wavSpec, edits: fc.array(byteEdit, { minLength: 0, maxLength: 3 }) }),
    allowed: dataErrors,
    attempt: ({ lib }, { wav, edits }) => {
      const bytes = editBytes(wav, edits);
      const d = lib.decodeWav(bytes);
      const frames = d.samples.length;
      expect(Number.isInteger(d.channels) && d.channels >= 1 && d.channelData.length === d.channels, `${d.channels} channels, ${d.channelData.length} channel arrays`);
      expect(d.channelData.every((c) => c.length === frames), `channel lengths [${d.channelData.map((c) => c.length)}] differ from samples (${frames})`);
      expect(frames * d.channels <= bytes.length, `${d.channels} x ${frames} samples decoded from ${bytes.length} bytes`);
      expect(Number.isFinite(d.sampleRate) && d.sampleRate >= 1, `sample rate ${d.sampleRate}`);
      for (const c of d.channelData) expect(c.every(Number.isFinite), `non-finite sample ${c.find((v) => !Number.isFinite(v))} decoded`);
      return edits.length ? 'decoded (edited bytes)' : 'decoded (valid file)';
    },
  });
});
