// Optimizer steps over one contiguous parameter region in one call.   p, g, vel, m, v [N]
// One pass, 4 lanes at a time, scalar tail.

/** vel = momentum*vel - lr*g;  p += vel  (nesterov != 0: p += momentum*vel - lr*g). */
export function sgd_update(p: usize, g: usize, vel: usize, N: i32, lr: f32, momentum: f32, nesterov: i32): void {
  const N4 = N & ~3;
  const vlr = f32x4.splat(lr);
  const vmo = f32x4.splat(momentum);
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const step = f32x4.mul(vlr, v128.load(g + o));
    const nv = f32x4.sub(f32x4.mul(vmo, v128.load(vel + o)), step);
    v128.store(vel + o, nv);
    const dp = nesterov != 0 ? f32x4.sub(f32x4.mul(vmo, nv), step) : nv;
    v128.store(p + o, f32x4.add(v128.load(p + o), dp));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const step = lr * load<f32>(g + o);
    const nv = momentum * load<f32>(vel + o) - step;
    store<f32>(vel + o, nv);
    store<f32>(p + o, load<f32>(p + o) + (nesterov != 0 ? momentum * nv - step : nv));
  }
}

/** m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;  p -= lr * (m/bc1) / (sqrt(v/bc2) + eps),
 *  with the bias corrections bc1 = 1 - b1^t, bc2 = 1 - b2^t computed by the caller. */
export function adam_update(p: usize, g: usize, m: usize, v: usize, N: i32, lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, bc2: f32): void {
  const N4 = N & ~3;
  const c1: f32 = 1 - b1;
  const c2: f32 = 1 - b2;
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const vc1 = f32x4.splat(c1);
  const vc2 = f32x4.splat(c2);
  const vbc1 = f32x4.splat(bc1);
  const vbc2 = f32x4.splat(bc2);
  const veps = f32x4.splat(eps);
  const vlr = f32x4.splat(lr);
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const gg = v128.load(g + o);
    const nm = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gg));
    const nv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vc2, f32x4.mul(gg, gg)));
    v128.store(m + o, nm);
    v128.store(v + o, nv);
    const den = f32x4.add(f32x4.sqrt(f32x4.div(nv, vbc2)), veps);
    const step = f32x4.div(f32x4.mul(vlr, f32x4.div(nm, vbc1)), den);
    v128.store(p + o, f32x4.sub(v128.load(p + o), step));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const gg = load<f32>(g + o);
    const nm = b1 * load<f32>(m + o) + c1 * gg;
    const nv = b2 * load<f32>(v + o) + c2 * (gg * gg);
    store<f32>(m + o, nm);
    store<f32>(v + o, nv);
    store<f32>(p + o, load<f32>(p + o) - lr * (nm / bc1) / (Mathf.sqrt(nv / bc2) + eps));
  }
}
