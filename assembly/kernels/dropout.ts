// Inverted dropout. The keep mask comes from a counter-based hash of (seed, i) (Wellons'
// lowbias32), so a step is reproducible from one seed and needs no generator state.
//   x, y, dy, dx, mask [N];  mask[i] = 1/(1-rate) if kept, else 0

@inline function hash(x: u32): u32 {
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  x ^= x >> 16;
  return x;
}

/** mask[i] = u(seed, i) >= rate ? 1/(1-rate) : 0, u uniform in [0, 1) with 24 bits;  y = x * mask. */
export function dropout_forward(x: usize, y: usize, mask: usize, N: i32, rate: f32, seed: u32): void {
  const scale: f32 = rate < 1 ? <f32>1 / (<f32>1 - rate) : 0;
  const vscale = f32x4.splat(scale);
  const vrate = f32x4.splat(rate);
  const inv24 = f32x4.splat(<f32>1 / <f32>16777216);
  const lanes = i32x4(0, 1, 2, 3);
  let i = 0;
  for (; i + 4 <= N; i += 4) {
    let h = i32x4.add(i32x4.splat(<i32>seed + i), lanes);
    h = v128.xor(h, i32x4.shr_u(h, 16));
    h = i32x4.mul(h, i32x4.splat(0x7feb352d));
    h = v128.xor(h, i32x4.shr_u(h, 15));
    h = i32x4.mul(h, i32x4.splat(<i32>0x846ca68b));
    h = v128.xor(h, i32x4.shr_u(h, 16));
    const u = f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(h, 8)), inv24);
    const m = v128.and(f32x4.ge(u, vrate), vscale);
    const p = <usize>i << 2;
    v128.store(mask + p, m);
    v128.store(y + p, f32x4.mul(v128.load(x + p), m));
  }
  for (; i < N; i++) {
    const u = <f32>(hash(seed + <u32>i) >> 8) * (<f32>1 / <f32>16777216);
    const m: f32 = u >= rate ? scale : 0;
    const p = <usize>i << 2;
    store<f32>(mask + p, m);
    store<f32>(y + p, load<f32>(x + p) * m);
  }
}

/** dx += dy * mask. */
export function dropout_backward(dy: usize, mask: usize, dx: usize, N: i32): void {
  let i = 0;
  for (; i + 4 <= N; i += 4) {
    const p = <usize>i << 2;
    v128.store(dx + p, f32x4.add(v128.load(dx + p), f32x4.mul(v128.load(dy + p), v128.load(mask + p))));
  }
  for (; i < N; i++) {
    const p = <usize>i << 2;
    store<f32>(dx + p, load<f32>(dx + p) + load<f32>(dy + p) * load<f32>(mask + p));
  }
}
