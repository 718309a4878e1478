// Layer normalization over the last axis (Ba, Kiros & Hinton 2016; Keras LayerNormalization
// axis -1): every row of C values is normalised by its own mean and biased variance.
//   x, y, dy, dx [R, C]   gamma, beta, dgamma, dbeta [C]   mean, rstd [R]
// forward:  mu = mean_c x,  var = mean_c (x - mu)^2,  rstd = 1/sqrt(var + eps),
//           xhat = (x - mu) * rstd,  y = gamma * xhat + beta
// backward: g = dy * gamma,  dx = rstd * (g - mean_c g - xhat * mean_c(g * xhat)),
//           dgamma += sum_r dy * xhat,  dbeta += sum_r dy

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Writes y, and mean/rstd of every row for the backward. */
export function layernorm_forward(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, R: i32, C: i32, eps: f32): void {
  const C4 = C & ~3;
  const invC: f32 = <f32>1 / <f32>C;
  for (let r = 0; r < R; r++) {
    const xr = x + ((<usize>r * <usize>C) << 2);
    const yr = y + ((<usize>r * <usize>C) << 2);
    let vs = f32x4.splat(0);
    let c = 0;
    for (; c < C4; c += 4) vs = f32x4.add(vs, v128.load(xr + (<usize>c << 2)));
    let s = hsum(vs);
    for (; c < C; c++) s += load<f32>(xr + (<usize>c << 2));
    const mu = s * invC;
    const vmu = f32x4.splat(mu);
    let vq = f32x4.splat(0);
    c = 0;
    for (; c < C4; c += 4) {
      const d = f32x4.sub(v128.load(xr + (<usize>c << 2)), vmu);
      vq = f32x4.add(vq, f32x4.mul(d, d));
    }
    let q = hsum(vq);
    for (; c < C; c++) {
      const d = load<f32>(xr + (<usize>c << 2)) - mu;
      q += d * d;
    }
    const rs: f32 = <f32>1 / Mathf.sqrt(q * invC + eps);
    store<f32>(mean + (<usize>r << 2), mu);
    store<f32>(rstd + (<usize>r << 2), rs);
    const vrs = f32x4.splat(rs);
    c = 0;
    for (; c < C4; c += 4) {
      const p = <usize>c << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + p), vmu), vrs);
      v128.store(yr + p, f32x4.add(f32x4.mul(xhat, v128.load(gamma + p)), v128.load(beta + p)));
    }
    for (; c < C; c++) {
      const p = <usize>c << 2;
      store<f32>(yr + p, (load<f32>(xr + p) - mu) * rs * load<f32>(gamma + p) + load<f32>(beta + p));
    }
  }
}

/** Accumulates dx, dgamma and dbeta from mean/rstd saved by the forward. */
export function layernorm_backward(x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize, R: i32, C: i32): void {
  const C4 = C & ~3;
  const invC: f32 = <f32>1 / <f32>C;
  for (let r = 0; r < R; r++) {
    const off = (<usize>r * <usize>C) << 2;
    const xr = x + off;
    const dyr = dy + off;
    const dxr = dx + off;
    const mu = load<f32>(mean + (<usize>r << 2));
    const rs = load<f32>(rstd + (<usize>r << 2));
    const vmu = f32x4.splat(mu);
    const vrs = f32x4.splat(rs);
    // sums of g and g * xhat over the row; dgamma, dbeta on the way
    let vg = f32x4.splat(0);
    let vgx = f32x4.splat(0);
    let c = 0;
    for (; c < C4; c += 4) {
      const p = <usize>c << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + p), vmu), vrs);
      const d = v128.load(dyr + p);
      const g = f32x4.mul(d, v128.load(gamma + p));
      vg = f32x4.add(vg, g);
      vgx = f32x4.add(vgx, f32x4.mul(g, xhat));
      v128.store(dgamma + p, f32x4.add(v128.load(dgamma + p), f32x4.mul(d, xhat)));
      v128.store(dbeta + p, f32x4.add(v128.load(dbeta + p), d));
    }
    let sg = hsum(vg);
    let sgx = hsum(vgx);
    for (; c < C; c++) {
      const p = <usize>c << 2;
      const xhat = (load<f32>(xr + p) - mu) * rs;
      const d = load<f32>(dyr + p);
      const g = d * load<f32>(gamma + p);
      sg += g;
      sgx += g * xhat;
      store<f32>(dgamma + p, load<f32>(dgamma + p) + d * xhat);
      store<f32>(dbeta + p, load<f32>(dbeta + p) + d);
    }
    const mg = sg * invC;
    const mgx = sgx * invC;
    const vmg = f32x4.splat(mg);
    const vmgx = f32x4.splat(mgx);
    c = 0;
    for (; c < C4; c += 4) {
      const p = <usize>c << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + p), vmu), vrs);
      const g = f32x4.mul(v128.load(dyr + p), v128.load(gamma + p));
      const t = f32x4.mul(vrs, f32x4.sub(f32x4.sub(g, vmg), f32x4.mul(xhat, vmgx)));
      v128.store(dxr + p, f32x4.add(v128.load(dxr + p), t));
    }
    for (; c < C; c++) {
      const p = <usize>c << 2;
      const xhat = (load<f32>(xr + p) - mu) * rs;
      const g = load<f32>(dyr + p) * load<f32>(gamma + p);
      store<f32>(dxr + p, load<f32>(dxr + p) + rs * (g - mg - xhat * mgx));
    }
  }
}
