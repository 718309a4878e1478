// Merges of two operands, elementwise with broadcasting over the length axis, and concatenation.
//   x0 [B, L0, C]   x1 [B, L1, C]   y, dy [B, L, C]   with L0, L1 each L or 1: an operand of one
//   row is broadcast over the length (a [C] or [1, C] operand against [L, C]: the squeeze-and-
//   excitation scale). A broadcast operand's gradient sums over the length.
// kind: 0 add, 1 subtract, 2 multiply, 3 maximum, 4 minimum (MergeKind in src/runtime/codes.ts).
// Maximum/minimum send the gradient to x0 on ties (x0 >= x1, x0 <= x1), as TensorFlow does.

const ADD = 0;
const SUB = 1;
const MUL = 2;
const MAX = 3;
const MIN = 4;

@inline
function op4(kind: i32, a: v128, b: v128): v128 {
  switch (kind) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case MAX: return f32x4.max(a, b);
    default: return f32x4.min(a, b);
  }
}

@inline
function op1(kind: i32, a: f32, b: f32): f32 {
  switch (kind) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case MAX: return max(a, b);
    default: return min(a, b);
  }
}

/** y = x0 (op) x1. y may be x0 (in place) when L0 = L. */
export function merge_forward(kind: i32, x0: usize, x1: usize, y: usize, B: i32, L0: i32, L1: i32, C: i32): void {
  const L = max(L0, L1);
  const C4 = C & ~3;
  const row = <usize>C << 2;
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L; l++) {
      const a = x0 + (<usize>(b * L0 + (L0 == 1 ? 0 : l)) * row);
      const c = x1 + (<usize>(b * L1 + (L1 == 1 ? 0 : l)) * row);
      const o = y + (<usize>(b * L + l) * row);
      let j = 0;
      for (; j < C4; j += 4) {
        const p = <usize>j << 2;
        v128.store(o + p, op4(kind, v128.load(a + p), v128.load(c + p)));
      }
      for (; j < C; j++) {
        const p = <usize>j << 2;
        store<f32>(o + p, op1(kind, load<f32>(a + p), load<f32>(c + p)));
      }
    }
  }
}

/** dx0 += d y / d x0 * dy,  dx1 += d y / d x1 * dy (summed over broadcast rows); a 0 address
 *  skips that gradient. For add and subtract the gradients are scaled by s (1/n for average). */
export function merge_backward(kind: i32, x0: usize, x1: usize, dy: usize, dx0: usize, dx1: usize, B: i32, L0: i32, L1: i32, C: i32, s: f32): void {
  const L = max(L0, L1);
  const C4 = C & ~3;
  const row = <usize>C << 2;
  const vs = f32x4.splat(s);
  const sign: f32 = kind == SUB ? -s : s;
  const vsign = f32x4.splat(sign);
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L; l++) {
      const r0 = <usize>(b * L0 + (L0 == 1 ? 0 : l)) * row;
      const r1 = <usize>(b * L1 + (L1 == 1 ? 0 : l)) * row;
      const g = dy + (<usize>(b * L + l) * row);
      let j = 0;
      for (; j < C4; j += 4) {
        const p = <usize>j << 2;
        const d = v128.load(g + p);
        let g0 = d;
        let g1 = d;
        if (kind == ADD || kind == SUB) {
          g0 = f32x4.mul(d, vs);
          g1 = f32x4.mul(d, vsign);
        } else if (kind == MUL) {
          g0 = f32x4.mul(d, v128.load(x1 + r1 + p));
          g1 = f32x4.mul(d, v128.load(x0 + r0 + p));
        } else {
          const a = v128.load(x0 + r0 + p);
          const c = v128.load(x1 + r1 + p);
          const m = kind == MAX ? f32x4.ge(a, c) : f32x4.le(a, c);
          g0 = v128.and(d, m);
          g1 = v128.andnot(d, m);
        }
        if (dx0 != 0) v128.store(dx0 + r0 + p, f32x4.add(v128.load(dx0 + r0 + p), g0));
        if (dx1 != 0) v128.store(dx1 + r1 + p, f32x4.add(v128.load(dx1 + r1 + p), g1));
      }
      for (; j < C; j++) {
        const p = <usize>j << 2;
        const d = load<f32>(g + p);
        let g0 = d;
        let g1 = d;
        if (kind == ADD || kind == SUB) {
          g0 = d * s;
          g1 = d * sign;
        } else if (kind == MUL) {
          g0 = d * load<f32>(x1 + r1 + p);
          g1 = d * load<f32>(x0 + r0 + p);
        } else {
          const a = load<f32>(x0 + r0 + p);
          const c = load<f32>(x1 + r1 + p);
          const first = kind == MAX ? a >= c : a <= c;
          g0 = first ? d : 0;
          g1 = first ? 0 : d;
        }
        if (dx0 != 0) store<f32>(dx0 + r0 + p, load<f32>(dx0 + r0 + p) + g0);
        if (dx1 != 0) store<f32>(dx1 + r1 + p, load<f32>(dx1 + r1 + p) + g1);
      }
    }
  }
}

/** y = s * x   x, y [N] (in place allowed). */
export function scale_f32(x: usize, y: usize, N: i32, s: f32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= N; i += 4) {
    const p = <usize>i << 2;
    v128.store(y + p, f32x4.mul(v128.load(x + p), vs));
  }
  for (; i < N; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, load<f32>(x + p) * s);
  }
}

/** y[r, offset + j] = x[r, j]   x [R, Ci], y [R, Co]: one operand of a concatenation (channels:
 *  R = B*L rows; length: R = B, Ci = Li*C, Co = L*C). */
export function concat_forward(x: usize, y: usize, R: i32, Ci: i32, Co: i32, offset: i32): void {
  const bytes = <usize>Ci << 2;
  for (let r = 0; r < R; r++) memory.copy(y + ((<usize>r * <usize>Co + <usize>offset) << 2), x + <usize>r * bytes, bytes);
}

/** dx[r, j] += dy[r, offset + j]. */
export function concat_backward(dy: usize, dx: usize, R: i32, Ci: i32, Co: i32, offset: i32): void {
  const C4 = Ci & ~3;
  for (let r = 0; r < R; r++) {
    const src = dy + ((<usize>r * <usize>Co + <usize>offset) << 2);
    const dst = dx + ((<usize>r * <usize>Ci) << 2);
    let j = 0;
    for (; j < C4; j += 4) {
      const p = <usize>j << 2;
      v128.store(dst + p, f32x4.add(v128.load(dst + p), v128.load(src + p)));
    }
    for (; j < Ci; j++) {
      const p = <usize>j << 2;
      store<f32>(dst + p, load<f32>(dst + p) + load<f32>(src + p));
    }
  }
}
