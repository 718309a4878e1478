// The two embedded builds: the start-up choice (relaxed-SIMD when the engine validates it, the SIMD
// build otherwise, including when validation throws), and the two builds agreeing on the GEMM
// behind conv1d and dense. relaxed_madd may fuse a*b+c into one rounding, so the builds differ by
// rounding only: each sum of K products is within K*u*sum|a*b| of the exact one (u = 2^-24, the
// classic bound gamma_K), so the two lie within 2*K*u*sum|a*b| (+ u*|C0| for the accumulated C0).
// Node 20 validates relaxed SIMD only with --experimental-wasm-relaxed-simd: the test turns the
// flag on in its own worker (v8.setFlagsFromString) before compiling the relaxed build.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { base64Bytes, chooseBuild, relaxedSimdBase64, simdBase64, wasmBuild, wasmBase64, type KernelExports } from '../../src/generated/kernels.ts';
import { Random, TILE_SIZES, TILE_DEPTHS } from '../helpers/wasm.ts';

test('start-up choice: relaxed-SIMD when validated, the SIMD build when not or when validation throws', () => {
  const seen: number[] = [];
  assert.equal(chooseBuild((b) => (seen.push(b.length), true)), 'relaxed-simd');
  assert.equal(seen[0], base64Bytes(relaxedSimdBase64).length, 'the relaxed module itself is validated');
  assert.equal(chooseBuild(() => false), 'simd');
  assert.equal(chooseBuild(() => { throw new Error('no relaxed SIMD'); }), 'simd');
  assert.equal(wasmBase64, wasmBuild === 'relaxed-simd' ? relaxedSimdBase64 : simdBase64, 'the process runs the build it chose');
  assert.ok(WebAssembly.validate(base64Bytes(simdBase64)), 'the fallback validates on every SIMD engine');
});

function instance(b64: string): { k: KernelExports; f32: (ptr: number, n: number) => Float32Array } {
  // both builds import a shared memory (threads: one memory for every worker)
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  const k = new WebAssembly.Instance(new WebAssembly.Module(base64Bytes(b64)), { env: { memory } }).exports as unknown as KernelExports;
  return { k, f32: (ptr, n) => new Float32Array(memory.buffer, ptr, n) };
}

test('relaxed-SIMD and SIMD builds agree on gemm_f32 / gemm_bias_f32 within 2*K*u*sum|a*b|, every tile edge', () => {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  assert.ok(WebAssembly.validate(base64Bytes(relaxedSimdBase64)), 'the relaxed build validates once the flag is on');
  const builds = [instance(simdBase64), instance(relaxedSimdBase64)];
  const rng = new Random(21);
  const u = 2 ** -24;
  let differ = 0;
  for (const M of TILE_SIZES) for (const N of TILE_SIZES) for (const K of [...TILE_DEPTHS, 64, 301]) {
    const a = rng.uniformArray(M * K, -1, 1);
    const b = rng.uniformArray(K * N, -1, 1);
    const c0 = rng.uniformArray(M * N, -1, 1);
    const [pa, pb, pc, pbias] = [1024, 1024 + 4 * a.length, 1024 + 4 * (a.length + b.length), 1024 + 4 * (a.length + b.length + c0.length)];
    const out = builds.map(({ k, f32 }) => {
      f32(pa, a.length).set(a);
      f32(pb, b.length).set(b);
      f32(pc, c0.length).set(c0);
      k.gemm_f32(M, N, K, pa, K, 1, pb, N, pc, N);
      const acc = f32(pc, c0.length).slice();
      f32(pbias, N).set(c0.subarray(0, N));
      k.gemm_bias_f32(M, N, K, pa, K, 1, pb, N, pc, N, pbias);
      return [acc, f32(pc, c0.length).slice()];
    });
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let abs = 0;
      for (let q = 0; q < K; q++) abs += Math.abs(a[i * K + q] * b[q * N + j]);
      for (const [v, c] of [[0, c0[i * N + j]], [1, c0[j]]]) {
        const [s, r] = [out[0][v][i * N + j], out[1][v][i * N + j]];
        const bound = 2 * (K + 1) * u * (abs + Math.abs(c));
        if (s !== r) differ++;
        assert.ok(Math.abs(s - r) <= bound, `M=${M} N=${N} K=${K} (${i}, ${j}) ${v ? 'gemm_bias' : 'gemm'}: simd ${s}, relaxed ${r}, bound ${bound}`);
      }
    }
  }
  // on a CPU with FMA the relaxed build really fuses; without, both builds may round alike
  if (differ === 0) console.warn('relaxed.test: the two builds gave identical results (relaxed_madd not fused on this CPU)');
});
