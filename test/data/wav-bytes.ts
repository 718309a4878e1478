// Builds WAV files in memory for tests: every supported encoding, optional extra chunks.

export interface WavSpec {
  format: 1 | 3 | number; // 1 PCM, 3 float, anything else to test rejection
  bits: number;
  sampleRate?: number;
  /** channels x [frames] values in [-1, 1) */
  channels: number[][];
  extensible?: boolean;
  /** chunks written between fmt and data */
  before?: { id: string; body: Uint8Array }[];
  /** chunks written after data */
  after?: { id: string; body: Uint8Array }[];
  /** leave out a chunk */
  omit?: 'fmt ' | 'data';
}

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  out.set([...id].map((c) => c.charCodeAt(0)), 0);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function buildWav(spec: WavSpec): Uint8Array {
  const C = spec.channels.length;
  const frames = spec.channels[0].length;
  const width = spec.bits / 8;
  const fmt = new DataView(new ArrayBuffer(spec.extensible ? 40 : 16));
  fmt.setUint16(0, spec.extensible ? 0xfffe : spec.format, true);
  fmt.setUint16(2, C, true);
  fmt.setUint32(4, spec.sampleRate ?? 8000, true);
  fmt.setUint32(8, (spec.sampleRate ?? 8000) * C * width, true);
  fmt.setUint16(12, C * width, true);
  fmt.setUint16(14, spec.bits, true);
  if (spec.extensible) {
    fmt.setUint16(16, 22, true); // cbSize
    fmt.setUint16(18, spec.bits, true); // valid bits
    fmt.setUint32(20, C === 1 ? 4 : 3, true); // channel mask
    fmt.setUint16(24, spec.format, true); // SubFormat GUID xxxxxxxx-0000-0010-8000-00aa00389b71
    [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71].forEach((b, i) => fmt.setUint8(26 + i, b));
  }
  const data = new DataView(new ArrayBuffer(frames * C * width));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < C; c++) {
      const v = spec.channels[c][i];
      const p = (i * C + c) * width;
      if (spec.format === 3 && spec.bits === 32) data.setFloat32(p, v, true);
      else if (spec.format === 3) data.setFloat64(p, v, true);
      else if (spec.bits === 8) data.setUint8(p, Math.round(v * 128) + 128);
      else if (spec.bits === 16) data.setInt16(p, Math.round(v * 32768), true);
      else if (spec.bits === 24) {
        const n = Math.round(v * 8388608);
        data.setUint8(p, n & 0xff);
        data.setUint8(p + 1, (n >> 8) & 0xff);
        data.setInt8(p + 2, n >> 16);
      } else data.setInt32(p, Math.round(v * 2147483648), true);
    }
  }
  const chunks = [
    ...(spec.omit === 'fmt ' ? [] : [chunk('fmt ', new Uint8Array(fmt.buffer))]),
    ...(spec.before ?? []).map((c) => chunk(c.id, c.body)),
    ...(spec.omit === 'data' ? [] : [chunk('data', new Uint8Array(data.buffer))]),
    ...(spec.after ?? []).map((c) => chunk(c.id, c.body)),
  ];
  const body = concat(chunks);
  const head = new Uint8Array(12);
  head.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
  new DataView(head.buffer).setUint32(4, 4 + body.length, true);
  head.set([...'WAVE'].map((c) => c.charCodeAt(0)), 8);
  return concat([head, body]);
}
