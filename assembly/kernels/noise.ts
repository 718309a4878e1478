// The random layers other than Dropout: GaussianNoise, GaussianDropout, SpatialDropout1D and
// RReLU. Their random numbers come from the counter hash of dropout.ts (lowbias32) of
// (seed + i), so a step is reproducible from one seed drawn from the model's generator. Each
// forward writes a multiplicative mask that its backward reads (dropout_backward: dx += dy * mask),
// except GaussianNoise, whose gradient is dy itself.
//   x, y, mask [N] (SpatialDropout1D: x, y [B, L, C], mask [B, C])
// Standard normals by Box-Muller in f64: n_i = sqrt(-2 ln u1) cos(2 pi u2) with
//   u1 = (hash(seed + 2i) >> 8 + 1) / 2^24 in (0, 1],  u2 = (hash(seed + 2i + 1) >> 8) / 2^24.

@inline function hash(x: u32): u32 {
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  x ^= x >> 16;
  return x;
}

@inline function uniform24(seed: u32, i: u32): f32 {
  return <f32>(hash(seed + i) >> 8) * (<f32>1 / <f32>16777216);
}

@inline function normalAt(seed: u32, i: u32): f32 {
  const u1 = (<f64>(hash(seed + 2 * i) >> 8) + 1) / 16777216;
  const u2 = <f64>(hash(seed + 2 * i + 1) >> 8) / 16777216;
  return <f32>(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
}

// GaussianNoise and GaussianDropout stay scalar: Box-Muller needs log and cos, which WebAssembly
// SIMD has no instruction for; RReLU and the SpatialDropout1D multiply run in f32x4.

/** GaussianNoise: y = x + stddev * n_i. */
export function gaussian_noise_forward(x: usize, y: usize, N: i32, stddev: f32, seed: u32): void {
  for (let i = 0; i < N; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, load<f32>(x + p) + stddev * normalAt(seed, <u32>i));
  }
}

/** GaussianDropout: mask = 1 + stddev * n_i (a draw of N(1, stddev^2)), y = x * mask. */
export function gaussian_dropout_forward(x: usize, y: usize, mask: usize, N: i32, stddev: f32, seed: u32): void {
  for (let i = 0; i < N; i++) {
    const p = <usize>i << 2;
    const m: f32 = <f32>1 + stddev * normalAt(seed, <u32>i);
    store<f32>(mask + p, m);
    store<f32>(y + p, load<f32>(x + p) * m);
  }
}

/** RReLU: slope = x >= 0 ? 1 : lower + (upper - lower) * u_i, y = x * slope. lower == upper
 *  gives the fixed slope of inference. */
export function rrelu_forward(x: usize, y: usize, slope: usize, N: i32, lower: f32, upper: f32, seed: u32): void {
  const width = upper - lower;
  const vlower = f32x4.splat(lower);
  const vwidth = f32x4.splat(width);
  const inv24 = f32x4.splat(<f32>1 / <f32>16777216);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const lanes = i32x4(0, 1, 2, 3);
  let i = 0;
  for (; i + 4 <= N; i += 4) {
    // the lowbias32 hash of seed + i, four lanes at once (as dropout_forward)
    let h = i32x4.add(i32x4.splat(<i32>seed + i), lanes);
    h = v128.xor(h, i32x4.shr_u(h, 16));
    h = i32x4.mul(h, i32x4.splat(0x7feb352d));
    h = v128.xor(h, i32x4.shr_u(h, 15));
    h = i32x4.mul(h, i32x4.splat(<i32>0x846ca68b));
    h = v128.xor(h, i32x4.shr_u(h, 16));
    const u = f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(h, 8)), inv24);
    const a = f32x4.add(vlower, f32x4.mul(vwidth, u));
    const p = <usize>i << 2;
    const v = v128.load(x + p);
    const s = v128.bitselect(one, a, f32x4.ge(v, zero));
    v128.store(slope + p, s);
    v128.store(y + p, f32x4.mul(v, s));
  }
  for (; i < N; i++) {
    const p = <usize>i << 2;
    const v = load<f32>(x + p);
    const a: f32 = v >= 0 ? 1 : lower + width * uniform24(seed, <u32>i);
    store<f32>(slope + p, a);
    store<f32>(y + p, v * a);
  }
}

/** SpatialDropout1D: mask[b, c] = u(seed, b*C + c) >= rate ? 1/(1-rate) : 0 (Dropout's rule),
 *  y[b, l, c] = x[b, l, c] * mask[b, c]: a channel is dropped at every step of a sample. */
export function spatial_dropout_forward(x: usize, y: usize, mask: usize, B: i32, L: i32, C: i32, rate: f32, seed: u32): void {
  const scale: f32 = rate < 1 ? <f32>1 / (<f32>1 - rate) : 0;
  const BC = B * C;
  for (let i = 0; i < BC; i++) store<f32>(mask + (<usize>i << 2), uniform24(seed, <u32>i) >= rate ? scale : 0);
  channel_scale(x, mask, y, B, L, C, 0);
}

/** dx[b, l, c] += dy[b, l, c] * mask[b, c]. */
export function spatial_dropout_backward(dy: usize, mask: usize, dx: usize, B: i32, L: i32, C: i32): void {
  channel_scale(dy, mask, dx, B, L, C, 1);
}

/** out[b, l, c] (= or +=) v[b, l, c] * m[b, c]. */
function channel_scale(v: usize, m: usize, out: usize, B: i32, L: i32, C: i32, acc: i32): void {
  const C4 = C & ~3;
  for (let b = 0; b < B; b++) {
    const mb = m + ((<usize>b * <usize>C) << 2);
    for (let l = 0; l < L; l++) {
      const off = ((<usize>b * <usize>L + <usize>l) * <usize>C) << 2;
      let c = 0;
      for (; c < C4; c += 4) {
        const p = <usize>c << 2;
        let t = f32x4.mul(v128.load(v + off + p), v128.load(mb + p));
        if (acc) t = f32x4.add(t, v128.load(out + off + p));
        v128.store(out + off + p, t);
      }
      for (; c < C; c++) {
        const p = <usize>c << 2;
        const t = load<f32>(v + off + p) * load<f32>(mb + p);
        store<f32>(out + off + p, acc ? load<f32>(out + off + p) + t : t);
      }
    }
  }
}
