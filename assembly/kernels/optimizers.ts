// Optimizer steps over one contiguous parameter region in one call.   p, g, state [N]
// One pass, 4 lanes at a time, scalar tail. Every update reads the gradient clipped as
//   gc = clamp(scale * g, -clip, clip)
// scale = clipnorm / max(||g||_2, clipnorm) from grad_sumsq (1 without clipnorm), clip = clipvalue
// (+Infinity without); the gradient block itself is not modified. Per-step scalars (bias
// corrections, NAdam's momentum cache, AdamW's decay) are computed by the caller in float64.
// Formulas are PyTorch's (torch.optim), see src/optimizers/*.ts for the sources and choices.

@inline function clip4(g: v128, scale: v128, hi: v128, lo: v128): v128 {
  return f32x4.min(f32x4.max(f32x4.mul(g, scale), lo), hi);
}

@inline function clip1(g: f32, scale: f32, clip: f32): f32 {
  return min(max(g * scale, -clip), clip);
}

/** sum_i g[i]^2, accumulated in float64 (the squared global norm for clipnorm). */
export function grad_sumsq(g: usize, N: i32): f64 {
  const N4 = N & ~3;
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let i = 0;
  for (; i < N4; i += 4) {
    const x = v128.load(g + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(x);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1));
    a0 = f64x2.add(a0, f64x2.mul(lo, lo));
    a1 = f64x2.add(a1, f64x2.mul(hi, hi));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < N; i++) {
    const x = <f64>load<f32>(g + (<usize>i << 2));
    s += x * x;
  }
  return s;
}

/** vel = momentum*vel - lr*gc;  p += vel  (nesterov != 0: p += momentum*vel - lr*gc). */
export function sgd_update(p: usize, g: usize, vel: usize, N: i32, lr: f32, momentum: f32, nesterov: i32, scale: f32, clip: f32): void {
  const N4 = N & ~3;
  const vlr = f32x4.splat(lr);
  const vmo = f32x4.splat(momentum);
  const vs = f32x4.splat(scale);
  const hi = f32x4.splat(clip);
  const lo = f32x4.splat(-clip);
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const step = f32x4.mul(vlr, clip4(v128.load(g + o), vs, hi, lo));
    const nv = f32x4.sub(f32x4.mul(vmo, v128.load(vel + o)), step);
    v128.store(vel + o, nv);
    const dp = nesterov != 0 ? f32x4.sub(f32x4.mul(vmo, nv), step) : nv;
    v128.store(p + o, f32x4.add(v128.load(p + o), dp));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const step = lr * clip1(load<f32>(g + o), scale, clip);
    const nv = momentum * load<f32>(vel + o) - step;
    store<f32>(vel + o, nv);
    store<f32>(p + o, load<f32>(p + o) + (nesterov != 0 ? momentum * nv - step : nv));
  }
}

/** Adam / AdamW: p *= decay;  m = b1*m + (1-b1)*gc;  v = b2*v + (1-b2)*gc^2;
 *  p -= step * m / (sqrt(v)*cb2 + eps), with step = lr/(1 - b1^t), cb2 = 1/sqrt(1 - b2^t) and
 *  decay = 1 - lr*weightDecay (1 for Adam). */
export function adam_update(p: usize, g: usize, m: usize, v: usize, N: i32, step: f32, b1: f32, b2: f32, eps: f32, cb2: f32, decay: f32, scale: f32, clip: f32): void {
  const N4 = N & ~3;
  const c1: f32 = 1 - b1;
  const c2: f32 = 1 - b2;
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const vc1 = f32x4.splat(c1);
  const vc2 = f32x4.splat(c2);
  const vcb2 = f32x4.splat(cb2);
  const veps = f32x4.splat(eps);
  const vstep = f32x4.splat(step);
  const vdecay = f32x4.splat(decay);
  const vs = f32x4.splat(scale);
  const hi = f32x4.splat(clip);
  const lo = f32x4.splat(-clip);
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const gg = clip4(v128.load(g + o), vs, hi, lo);
    const nm = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gg));
    const nv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vc2, f32x4.mul(gg, gg)));
    v128.store(m + o, nm);
    v128.store(v + o, nv);
    const den = f32x4.add(f32x4.mul(f32x4.sqrt(nv), vcb2), veps);
    const pp = f32x4.mul(v128.load(p + o), vdecay);
    v128.store(p + o, f32x4.sub(pp, f32x4.div(f32x4.mul(vstep, nm), den)));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const gg = clip1(load<f32>(g + o), scale, clip);
    const nm = b1 * load<f32>(m + o) + c1 * gg;
    const nv = b2 * load<f32>(v + o) + c2 * (gg * gg);
    store<f32>(m + o, nm);
    store<f32>(v + o, nv);
    store<f32>(p + o, load<f32>(p + o) * decay - (step * nm) / (Mathf.sqrt(nv) * cb2 + eps));
  }
}

/** RMSprop: v = rho*v + (1-rho)*gc^2;  centered != 0: mg = rho*mg + (1-rho)*gc and
 *  den = sqrt(max(v - mg^2, 0)) + eps, else den = sqrt(v) + eps;
 *  momentum > 0: buf = momentum*buf + gc/den, p -= lr*buf;  else p -= lr*gc/den.
 *  mg and buf are read only when used. */
export function rmsprop_update(p: usize, g: usize, v: usize, mg: usize, buf: usize, N: i32, lr: f32, rho: f32, eps: f32, momentum: f32, centered: i32, scale: f32, clip: f32): void {
  const N4 = N & ~3;
  const c: f32 = 1 - rho;
  const vrho = f32x4.splat(rho);
  const vc = f32x4.splat(c);
  const veps = f32x4.splat(eps);
  const vlr = f32x4.splat(lr);
  const vmo = f32x4.splat(momentum);
  const zero = f32x4.splat(0);
  const vs = f32x4.splat(scale);
  const hi = f32x4.splat(clip);
  const lo = f32x4.splat(-clip);
  const useBuf = momentum > 0;
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const gg = clip4(v128.load(g + o), vs, hi, lo);
    const nv = f32x4.add(f32x4.mul(vrho, v128.load(v + o)), f32x4.mul(vc, f32x4.mul(gg, gg)));
    v128.store(v + o, nv);
    let msq = nv;
    if (centered != 0) {
      const nmg = f32x4.add(f32x4.mul(vrho, v128.load(mg + o)), f32x4.mul(vc, gg));
      v128.store(mg + o, nmg);
      msq = f32x4.max(f32x4.sub(nv, f32x4.mul(nmg, nmg)), zero);
    }
    const q = f32x4.div(gg, f32x4.add(f32x4.sqrt(msq), veps));
    let d = q;
    if (useBuf) {
      d = f32x4.add(f32x4.mul(vmo, v128.load(buf + o)), q);
      v128.store(buf + o, d);
    }
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(vlr, d)));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const gg = clip1(load<f32>(g + o), scale, clip);
    const nv = rho * load<f32>(v + o) + c * (gg * gg);
    store<f32>(v + o, nv);
    let msq = nv;
    if (centered != 0) {
      const nmg = rho * load<f32>(mg + o) + c * gg;
      store<f32>(mg + o, nmg);
      msq = max(nv - nmg * nmg, <f32>0);
    }
    let d = gg / (Mathf.sqrt(msq) + eps);
    if (useBuf) {
      d = momentum * load<f32>(buf + o) + d;
      store<f32>(buf + o, d);
    }
    store<f32>(p + o, load<f32>(p + o) - lr * d);
  }
}

/** Adagrad: acc += gc^2;  p -= lr * gc / (sqrt(acc) + eps). */
export function adagrad_update(p: usize, g: usize, acc: usize, N: i32, lr: f32, eps: f32, scale: f32, clip: f32): void {
  const N4 = N & ~3;
  const veps = f32x4.splat(eps);
  const vlr = f32x4.splat(lr);
  const vs = f32x4.splat(scale);
  const hi = f32x4.splat(clip);
  const lo = f32x4.splat(-clip);
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const gg = clip4(v128.load(g + o), vs, hi, lo);
    const na = f32x4.add(v128.load(acc + o), f32x4.mul(gg, gg));
    v128.store(acc + o, na);
    const den = f32x4.add(f32x4.sqrt(na), veps);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(vlr, gg), den)));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const gg = clip1(load<f32>(g + o), scale, clip);
    const na = load<f32>(acc + o) + gg * gg;
    store<f32>(acc + o, na);
    store<f32>(p + o, load<f32>(p + o) - (lr * gg) / (Mathf.sqrt(na) + eps));
  }
}

/** Adamax: m = b1*m + (1-b1)*gc;  u = max(b2*u, |gc| + eps);  p -= step * m / u,
 *  with step = lr / (1 - b1^t). */
export function adamax_update(p: usize, g: usize, m: usize, u: usize, N: i32, step: f32, b1: f32, b2: f32, eps: f32, scale: f32, clip: f32): void {
  const N4 = N & ~3;
  const c1: f32 = 1 - b1;
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const vc1 = f32x4.splat(c1);
  const veps = f32x4.splat(eps);
  const vstep = f32x4.splat(step);
  const vs = f32x4.splat(scale);
  const hi = f32x4.splat(clip);
  const lo = f32x4.splat(-clip);
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const gg = clip4(v128.load(g + o), vs, hi, lo);
    const nm = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gg));
    const nu = f32x4.max(f32x4.mul(vb2, v128.load(u + o)), f32x4.add(f32x4.abs(gg), veps));
    v128.store(m + o, nm);
    v128.store(u + o, nu);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(vstep, nm), nu)));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const gg = clip1(load<f32>(g + o), scale, clip);
    const nm = b1 * load<f32>(m + o) + c1 * gg;
    const nu = max(b2 * load<f32>(u + o), Mathf.abs(gg) + eps);
    store<f32>(m + o, nm);
    store<f32>(u + o, nu);
    store<f32>(p + o, load<f32>(p + o) - (step * nm) / nu);
  }
}

/** NAdam: m = b1*m + (1-b1)*gc;  v = b2*v + (1-b2)*gc^2;  den = sqrt(v)*cb2 + eps;
 *  p -= (cg*gc + cm*m) / den, with cg = lr*(1 - mu_t)/(1 - prod_{i<=t} mu_i),
 *  cm = lr*mu_{t+1}/(1 - prod_{i<=t+1} mu_i) and cb2 = 1/sqrt(1 - b2^t). */
export function nadam_update(p: usize, g: usize, m: usize, v: usize, N: i32, cg: f32, cm: f32, b1: f32, b2: f32, eps: f32, cb2: f32, scale: f32, clip: f32): void {
  const N4 = N & ~3;
  const c1: f32 = 1 - b1;
  const c2: f32 = 1 - b2;
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const vc1 = f32x4.splat(c1);
  const vc2 = f32x4.splat(c2);
  const vcg = f32x4.splat(cg);
  const vcm = f32x4.splat(cm);
  const vcb2 = f32x4.splat(cb2);
  const veps = f32x4.splat(eps);
  const vs = f32x4.splat(scale);
  const hi = f32x4.splat(clip);
  const lo = f32x4.splat(-clip);
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const gg = clip4(v128.load(g + o), vs, hi, lo);
    const nm = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gg));
    const nv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vc2, f32x4.mul(gg, gg)));
    v128.store(m + o, nm);
    v128.store(v + o, nv);
    const den = f32x4.add(f32x4.mul(f32x4.sqrt(nv), vcb2), veps);
    const num = f32x4.add(f32x4.mul(vcg, gg), f32x4.mul(vcm, nm));
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(num, den)));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const gg = clip1(load<f32>(g + o), scale, clip);
    const nm = b1 * load<f32>(m + o) + c1 * gg;
    const nv = b2 * load<f32>(v + o) + c2 * (gg * gg);
    store<f32>(m + o, nm);
    store<f32>(v + o, nv);
    store<f32>(p + o, load<f32>(p + o) - (cg * gg + cm * nm) / (Mathf.sqrt(nv) * cb2 + eps));
  }
}
