// Elementwise activations (by kind code, see ActivationKind in src/runtime/codes.ts), softmax over
// the last axis, and PReLU with a per-channel slope.   x, y, dy, dx [N]
// Piecewise-linear kinds (and the backward of sigmoid/tanh/softsign) run 4 lanes at a time with a
// scalar tail; kinds with exp/log/tanh/erf are scalar per element.

// Mirrors ActivationKind in src/runtime/codes.ts.
const LINEAR = 0;
const RELU = 1;
const RELU6 = 2;
const LEAKY_RELU = 3;
const ELU = 4;
const SELU = 5;
const SIGMOID = 6;
const TANH = 7;
const SOFTPLUS = 8;
const SOFTSIGN = 9;
const SWISH = 10;
const GELU = 11;
const HARD_SIGMOID = 12;
const MISH = 13;

// Keras selu constants (Klambauer et al. 2017).
const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;
const INV_SQRT2: f64 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

/** erfc(x) with relative error < 1.2e-7 everywhere (Numerical Recipes 2nd ed. §6.2, erfcc:
 *  Chebyshev fit), evaluated in f64. Relative accuracy in the tail keeps gelu(x) for x << 0 exact. */
function erfc(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

@inline
function sigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow. */
@inline
function softplus(x: f32): f32 {
  return max(x, 0) + Mathf.log1p(Mathf.exp(-Mathf.abs(x)));
}

@inline
function forward1(kind: i32, x: f32, alpha: f32): f32 {
  switch (kind) {
    case LINEAR: return x;
    case RELU: return max(x, 0);
    case RELU6: return min(max(x, 0), 6);
    case LEAKY_RELU: return x > 0 ? x : alpha * x;
    case ELU: return x > 0 ? x : alpha * Mathf.expm1(x);
    case SELU: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Mathf.expm1(x));
    case SIGMOID: return sigmoid(x);
    case TANH: return Mathf.tanh(x);
    case SOFTPLUS: return softplus(x);
    case SOFTSIGN: return x / (1 + Mathf.abs(x));
    case SWISH: return x * sigmoid(alpha * x);
    case GELU: return <f32>(0.5 * <f64>x * erfc(-<f64>x * INV_SQRT2));
    case HARD_SIGMOID: return min(max(<f32>0.2 * x + 0.5, 0), 1);
    case MISH: return x * Mathf.tanh(softplus(x));
  }
  unreachable();
  return 0;
}

/** f'(x); y = f(x). */
@inline
function derivative1(kind: i32, x: f32, y: f32, alpha: f32): f32 {
  switch (kind) {
    case LINEAR: return 1;
    case RELU: return x > 0 ? 1 : 0;
    case RELU6: return x > 0 && x < 6 ? 1 : 0;
    case LEAKY_RELU: return x > 0 ? 1 : alpha;
    case ELU: return x > 0 ? 1 : alpha * Mathf.exp(x);
    case SELU: return SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Mathf.exp(x));
    case SIGMOID: return y * (1 - y);
    case TANH: return 1 - y * y;
    case SOFTPLUS: return sigmoid(x);
    case SOFTSIGN: {
      const d: f32 = 1 + Mathf.abs(x);
      return 1 / (d * d);
    }
    case SWISH: {
      const s = sigmoid(alpha * x);
      return s + alpha * x * s * (1 - s);
    }
    case GELU: return <f32>(0.5 * erfc(-<f64>x * INV_SQRT2)) + x * INV_SQRT_2PI * Mathf.exp(-0.5 * x * x);
    case HARD_SIGMOID: return x > -2.5 && x < 2.5 ? 0.2 : 0;
    case MISH: {
      const th = Mathf.tanh(softplus(x));
      return th + x * sigmoid(x) * (1 - th * th);
    }
  }
  unreachable();
  return 0;
}

/** y = f(x). alpha: leakyRelu slope, elu alpha, swish beta; ignored by the others. */
export function activation_forward(kind: i32, x: usize, y: usize, N: i32, alpha: f32): void {
  const N4 = N & ~3;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const va = f32x4.splat(alpha);
  let i = 0;
  switch (kind) {
    case LINEAR:
      memory.copy(y, x, <usize>N << 2);
      return;
    case RELU:
      for (; i < N4; i += 4) v128.store(y + (<usize>i << 2), f32x4.max(v128.load(x + (<usize>i << 2)), zero));
      break;
    case RELU6: {
      const six = f32x4.splat(6);
      for (; i < N4; i += 4) v128.store(y + (<usize>i << 2), f32x4.min(f32x4.max(v128.load(x + (<usize>i << 2)), zero), six));
      break;
    }
    case LEAKY_RELU:
      for (; i < N4; i += 4) {
        const v = v128.load(x + (<usize>i << 2));
        v128.store(y + (<usize>i << 2), v128.bitselect(v, f32x4.mul(va, v), f32x4.gt(v, zero)));
      }
      break;
    case SOFTSIGN:
      for (; i < N4; i += 4) {
        const v = v128.load(x + (<usize>i << 2));
        v128.store(y + (<usize>i << 2), f32x4.div(v, f32x4.add(one, f32x4.abs(v))));
      }
      break;
    case HARD_SIGMOID: {
      const k = f32x4.splat(0.2);
      const h = f32x4.splat(0.5);
      for (; i < N4; i += 4) {
        const v = f32x4.add(f32x4.mul(k, v128.load(x + (<usize>i << 2))), h);
        v128.store(y + (<usize>i << 2), f32x4.min(f32x4.max(v, zero), one));
      }
      break;
    }
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, forward1(kind, load<f32>(x + o), alpha));
  }
}

/** dx += f'(x) * dy. Uses x, or y where that is cheaper (sigmoid, tanh); both are given. */
export function activation_backward(kind: i32, x: usize, y: usize, dy: usize, dx: usize, N: i32, alpha: f32): void {
  const N4 = N & ~3;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  switch (kind) {
    case LINEAR:
      for (; i < N4; i += 4) {
        const o = <usize>i << 2;
        v128.store(dx + o, f32x4.add(v128.load(dx + o), v128.load(dy + o)));
      }
      break;
    case RELU:
      for (; i < N4; i += 4) {
        const o = <usize>i << 2;
        const g = v128.and(v128.load(dy + o), f32x4.gt(v128.load(x + o), zero));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
      break;
    case RELU6: {
      const six = f32x4.splat(6);
      for (; i < N4; i += 4) {
        const o = <usize>i << 2;
        const v = v128.load(x + o);
        const g = v128.and(v128.load(dy + o), v128.and(f32x4.gt(v, zero), f32x4.lt(v, six)));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
      break;
    }
    case LEAKY_RELU: {
      const va = f32x4.splat(alpha);
      for (; i < N4; i += 4) {
        const o = <usize>i << 2;
        const d = v128.load(dy + o);
        const g = v128.bitselect(d, f32x4.mul(va, d), f32x4.gt(v128.load(x + o), zero));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
      break;
    }
    case SIGMOID:
      for (; i < N4; i += 4) {
        const o = <usize>i << 2;
        const s = v128.load(y + o);
        const g = f32x4.mul(v128.load(dy + o), f32x4.mul(s, f32x4.sub(one, s)));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
      break;
    case TANH:
      for (; i < N4; i += 4) {
        const o = <usize>i << 2;
        const t = v128.load(y + o);
        const g = f32x4.mul(v128.load(dy + o), f32x4.sub(one, f32x4.mul(t, t)));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
      break;
    case SOFTSIGN:
      for (; i < N4; i += 4) {
        const o = <usize>i << 2;
        const d = f32x4.add(one, f32x4.abs(v128.load(x + o)));
        const g = f32x4.div(v128.load(dy + o), f32x4.mul(d, d));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
      break;
    case HARD_SIGMOID: {
      const lo = f32x4.splat(-2.5);
      const hi = f32x4.splat(2.5);
      const k = f32x4.splat(0.2);
      for (; i < N4; i += 4) {
        const o = <usize>i << 2;
        const v = v128.load(x + o);
        const inside = v128.and(f32x4.gt(v, lo), f32x4.lt(v, hi));
        const g = v128.and(f32x4.mul(k, v128.load(dy + o)), inside);
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
      break;
    }
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const g = derivative1(kind, load<f32>(x + o), load<f32>(y + o), alpha) * load<f32>(dy + o);
    store<f32>(dx + o, load<f32>(dx + o) + g);
  }
}

@inline
function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

@inline
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** y[r, :] = softmax(x[r, :])   x, y [R, C]; max-subtracted. */
export function softmax_forward(x: usize, y: usize, R: i32, C: i32): void {
  const C4 = C & ~3;
  for (let r = 0; r < R; r++) {
    const xr = x + (<usize>r * <usize>C << 2);
    const yr = y + (<usize>r * <usize>C << 2);
    let m = load<f32>(xr);
    let c = 0;
    if (C4 > 0) {
      let vm = v128.load(xr);
      for (c = 4; c < C4; c += 4) vm = f32x4.max(vm, v128.load(xr + (<usize>c << 2)));
      m = hmax(vm);
    }
    for (; c < C; c++) m = max(m, load<f32>(xr + (<usize>c << 2)));
    let sum: f32 = 0;
    for (c = 0; c < C; c++) {
      const e = Mathf.exp(load<f32>(xr + (<usize>c << 2)) - m);
      store<f32>(yr + (<usize>c << 2), e);
      sum += e;
    }
    const inv: f32 = 1 / sum;
    const vi = f32x4.splat(inv);
    for (c = 0; c < C4; c += 4) v128.store(yr + (<usize>c << 2), f32x4.mul(v128.load(yr + (<usize>c << 2)), vi));
    for (; c < C; c++) store<f32>(yr + (<usize>c << 2), load<f32>(yr + (<usize>c << 2)) * inv);
  }
}

/** dx[r, i] += y[r, i] * (dy[r, i] - sum_j dy[r, j] * y[r, j]). */
export function softmax_backward(y: usize, dy: usize, dx: usize, R: i32, C: i32): void {
  const C4 = C & ~3;
  for (let r = 0; r < R; r++) {
    const base = <usize>r * <usize>C << 2;
    const yr = y + base;
    const dyr = dy + base;
    const dxr = dx + base;
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c < C4; c += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(yr + (<usize>c << 2)), v128.load(dyr + (<usize>c << 2))));
    let s = hsum(acc);
    for (; c < C; c++) s += load<f32>(yr + (<usize>c << 2)) * load<f32>(dyr + (<usize>c << 2));
    const vs = f32x4.splat(s);
    for (c = 0; c < C4; c += 4) {
      const o = <usize>c << 2;
      const g = f32x4.mul(v128.load(yr + o), f32x4.sub(v128.load(dyr + o), vs));
      v128.store(dxr + o, f32x4.add(v128.load(dxr + o), g));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(dxr + o, load<f32>(dxr + o) + load<f32>(yr + o) * (load<f32>(dyr + o) - s));
    }
  }
}

/** y = x > 0 ? x : alpha[c] * x   x, y [R, C], alpha [C]. */
export function prelu_forward(x: usize, alpha: usize, y: usize, R: i32, C: i32): void {
  const C4 = C & ~3;
  const zero = f32x4.splat(0);
  for (let r = 0; r < R; r++) {
    const base = <usize>r * <usize>C << 2;
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const v = v128.load(x + base + o);
      v128.store(y + base + o, v128.bitselect(v, f32x4.mul(v128.load(alpha + o), v), f32x4.gt(v, zero)));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const v = load<f32>(x + base + o);
      store<f32>(y + base + o, v > 0 ? v : load<f32>(alpha + o) * v);
    }
  }
}

// Rows per block of the dalpha sums: each block is summed in a register, then added to dalpha,
// so an f32 sum over R rows has ~R/ROW_BLOCK + ROW_BLOCK sequential additions, not R.
const ROW_BLOCK = 64;

/** dx += (x > 0 ? 1 : alpha[c]) * dy;  dalpha[c] += sum_r (x <= 0 ? x : 0) * dy. */
export function prelu_backward(x: usize, alpha: usize, dy: usize, dx: usize, dalpha: usize, R: i32, C: i32): void {
  const C4 = C & ~3;
  const rowBytes = <usize>C << 2;
  const zero = f32x4.splat(0);
  for (let r0 = 0; r0 < R; r0 += ROW_BLOCK) {
    const r1 = min(r0 + ROW_BLOCK, R);
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const va = v128.load(alpha + o);
      let acc = zero;
      let p = <usize>r0 * rowBytes + o;
      for (let r = r0; r < r1; r++) {
        const v = v128.load(x + p);
        const d = v128.load(dy + p);
        const pos = f32x4.gt(v, zero);
        v128.store(dx + p, f32x4.add(v128.load(dx + p), v128.bitselect(d, f32x4.mul(va, d), pos)));
        acc = f32x4.add(acc, v128.andnot(f32x4.mul(v, d), pos));
        p += rowBytes;
      }
      v128.store(dalpha + o, f32x4.add(v128.load(dalpha + o), acc));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const a = load<f32>(alpha + o);
      let acc: f32 = 0;
      let p = <usize>r0 * rowBytes + o;
      for (let r = r0; r < r1; r++) {
        const v = load<f32>(x + p);
        const d = load<f32>(dy + p);
        store<f32>(dx + p, load<f32>(dx + p) + (v > 0 ? d : a * d));
        if (!(v > 0)) acc += v * d;
        p += rowBytes;
      }
      store<f32>(dalpha + o, load<f32>(dalpha + o) + acc);
    }
  }
}
