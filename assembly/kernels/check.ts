// Finite checks over a float region, for the end-of-epoch health check of a model's weights.
//   x [N]
// A float32 is NaN or ±Infinity exactly when its 8 exponent bits are all ones:
// (bits & 0x7f800000) == 0x7f800000. Each equal lane is -1 in i32x4.eq, so subtracting the
// comparison counts it. One pass, 4 lanes at a time (two vectors per iteration), scalar tail.

/** Number of NaN and ±Infinity values in x[0..N). */
export function f32_count_nonfinite(x: usize, N: i32): i32 {
  const exp = i32x4.splat(0x7f800000);
  let acc0 = i32x4.splat(0);
  let acc1 = i32x4.splat(0);
  let i = 0;
  for (; i + 8 <= N; i += 8) {
    const o = <usize>i << 2;
    acc0 = i32x4.sub(acc0, i32x4.eq(v128.and(v128.load(x + o), exp), exp));
    acc1 = i32x4.sub(acc1, i32x4.eq(v128.and(v128.load(x + o, 16), exp), exp));
  }
  for (; i + 4 <= N; i += 4) {
    acc0 = i32x4.sub(acc0, i32x4.eq(v128.and(v128.load(x + (<usize>i << 2)), exp), exp));
  }
  const acc = i32x4.add(acc0, acc1);
  let count = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; i < N; i++) {
    if ((load<i32>(x + (<usize>i << 2)) & 0x7f800000) == 0x7f800000) count++;
  }
  return count;
}
