// SIMD f32 matrix multiplies for the trainer; pointers are byte offsets into the imported memory.
// Each writes C (or adds to it when acc != 0); row-major throughout.

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline function dot4(ar: usize, b0: usize, b1: usize, b2: usize, b3: usize, K: i32, co: usize, acc: i32): void {
  const K4 = K & ~3;
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  for (let k = 0; k < K4; k += 4) {
    const o = <usize>k << 2;
    const av = v128.load(ar + o);
    s0 = f32x4.add(s0, f32x4.mul(av, v128.load(b0 + o)));
    s1 = f32x4.add(s1, f32x4.mul(av, v128.load(b1 + o)));
    s2 = f32x4.add(s2, f32x4.mul(av, v128.load(b2 + o)));
    s3 = f32x4.add(s3, f32x4.mul(av, v128.load(b3 + o)));
  }
  let r0 = hsum(s0), r1 = hsum(s1), r2 = hsum(s2), r3 = hsum(s3);
  for (let k = K4; k < K; k++) {
    const o = <usize>k << 2;
    const x = load<f32>(ar + o);
    r0 += x * load<f32>(b0 + o); r1 += x * load<f32>(b1 + o); r2 += x * load<f32>(b2 + o); r3 += x * load<f32>(b3 + o);
  }
  if (acc) { r0 += load<f32>(co); r1 += load<f32>(co, 4); r2 += load<f32>(co, 8); r3 += load<f32>(co, 12); }
  store<f32>(co, r0); store<f32>(co, r1, 4); store<f32>(co, r2, 8); store<f32>(co, r3, 12);
}

/** C[M][N] (+)= A[M][K] · B[N][K]ᵀ: every output is a dot product of two contiguous rows; tiles of 2×4 outputs. */
export function matmulNT(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, acc: i32): void {
  const K4 = K & ~3;
  const rowK = <usize>K << 2;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const ar = a + <usize>i * rowK, ar1 = ar + rowK;
    const cr = c + ((<usize>i * N) << 2), cr1 = cr + (<usize>N << 2);
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = b + <usize>j * rowK, b1 = b0 + rowK, b2 = b1 + rowK, b3 = b2 + rowK;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const av = v128.load(ar + o), aw = v128.load(ar1 + o);
        const v0 = v128.load(b0 + o), v1 = v128.load(b1 + o), v2 = v128.load(b2 + o), v3 = v128.load(b3 + o);
        s0 = f32x4.add(s0, f32x4.mul(av, v0)); s1 = f32x4.add(s1, f32x4.mul(av, v1));
        s2 = f32x4.add(s2, f32x4.mul(av, v2)); s3 = f32x4.add(s3, f32x4.mul(av, v3));
        t0 = f32x4.add(t0, f32x4.mul(aw, v0)); t1 = f32x4.add(t1, f32x4.mul(aw, v1));
        t2 = f32x4.add(t2, f32x4.mul(aw, v2)); t3 = f32x4.add(t3, f32x4.mul(aw, v3));
      }
      let r0 = hsum(s0), r1 = hsum(s1), r2 = hsum(s2), r3 = hsum(s3);
      let u0 = hsum(t0), u1 = hsum(t1), u2 = hsum(t2), u3 = hsum(t3);
      for (let k = K4; k < K; k++) {
        const o = <usize>k << 2;
        const x = load<f32>(ar + o), y = load<f32>(ar1 + o);
        const w0 = load<f32>(b0 + o), w1 = load<f32>(b1 + o), w2 = load<f32>(b2 + o), w3 = load<f32>(b3 + o);
        r0 += x * w0; r1 += x * w1; r2 += x * w2; r3 += x * w3;
        u0 += y * w0; u1 += y * w1; u2 += y * w2; u3 += y * w3;
      }
      const co = cr + (<usize>j << 2), cp = cr1 + (<usize>j << 2);
      if (acc) {
        r0 += load<f32>(co); r1 += load<f32>(co, 4); r2 += load<f32>(co, 8); r3 += load<f32>(co, 12);
        u0 += load<f32>(cp); u1 += load<f32>(cp, 4); u2 += load<f32>(cp, 8); u3 += load<f32>(cp, 12);
      }
      store<f32>(co, r0); store<f32>(co, r1, 4); store<f32>(co, r2, 8); store<f32>(co, r3, 12);
      store<f32>(cp, u0); store<f32>(cp, u1, 4); store<f32>(cp, u2, 8); store<f32>(cp, u3, 12);
    }
    for (; j < N; j++) {
      const br = b + <usize>j * rowK;
      for (let r = 0; r < 2; r++) {
        const arr = r ? ar1 : ar;
        let sv = f32x4.splat(0);
        for (let k = 0; k < K4; k += 4) sv = f32x4.add(sv, f32x4.mul(v128.load(arr + (<usize>k << 2)), v128.load(br + (<usize>k << 2))));
        let x = hsum(sv);
        for (let k = K4; k < K; k++) x += load<f32>(arr + (<usize>k << 2)) * load<f32>(br + (<usize>k << 2));
        const co = (r ? cr1 : cr) + (<usize>j << 2);
        store<f32>(co, acc ? x + load<f32>(co) : x);
      }
    }
  }
  for (; i < M; i++) {
    const ar = a + <usize>i * rowK;
    const cr = c + ((<usize>i * N) << 2);
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = b + <usize>j * rowK;
      dot4(ar, b0, b0 + rowK, b0 + 2 * rowK, b0 + 3 * rowK, K, cr + (<usize>j << 2), acc);
    }
    for (; j < N; j++) {
      const br = b + <usize>j * rowK;
      let sv = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) sv = f32x4.add(sv, f32x4.mul(v128.load(ar + (<usize>k << 2)), v128.load(br + (<usize>k << 2))));
      let x = hsum(sv);
      for (let k = K4; k < K; k++) x += load<f32>(ar + (<usize>k << 2)) * load<f32>(br + (<usize>k << 2));
      const co = cr + (<usize>j << 2);
      store<f32>(co, acc ? x + load<f32>(co) : x);
    }
  }
}

/**
 * C[M][N] (+)= Σ_k A(i,k) · B[k][N], with A(i,k) at a + 4·(i·sAi + k·sAk): NN is (sAi=K, sAk=1), TN is (1, M).
 * Register-blocked: two output rows by sixteen columns stay in registers across the whole k loop.
 */
@inline function matmulRowsByK(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, acc: i32, sAi: i32, sAk: i32): void {
  const rowB = <usize>N << 2;
  const N16 = N & ~15;
  const N4 = N & ~3;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const c0 = c + ((<usize>i * N) << 2);
    const c1 = c0 + rowB;
    const a0 = a + ((<usize>i * sAi) << 2);
    const a1 = a0 + (<usize>sAi << 2);
    const ak = <usize>sAk << 2;
    let j = 0;
    for (; j < N16; j += 16) {
      const jo = <usize>j << 2;
      let p0 = f32x4.splat(0), p1 = f32x4.splat(0), p2 = f32x4.splat(0), p3 = f32x4.splat(0);
      let q0 = f32x4.splat(0), q1 = f32x4.splat(0), q2 = f32x4.splat(0), q3 = f32x4.splat(0);
      let bp = b + jo;
      let x0p = a0, x1p = a1;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
        const x0 = f32x4.splat(load<f32>(x0p)), x1 = f32x4.splat(load<f32>(x1p));
        p0 = f32x4.add(p0, f32x4.mul(x0, b0)); p1 = f32x4.add(p1, f32x4.mul(x0, b1));
        p2 = f32x4.add(p2, f32x4.mul(x0, b2)); p3 = f32x4.add(p3, f32x4.mul(x0, b3));
        q0 = f32x4.add(q0, f32x4.mul(x1, b0)); q1 = f32x4.add(q1, f32x4.mul(x1, b1));
        q2 = f32x4.add(q2, f32x4.mul(x1, b2)); q3 = f32x4.add(q3, f32x4.mul(x1, b3));
        bp += rowB; x0p += ak; x1p += ak;
      }
      if (acc) {
        p0 = f32x4.add(p0, v128.load(c0 + jo)); p1 = f32x4.add(p1, v128.load(c0 + jo, 16));
        p2 = f32x4.add(p2, v128.load(c0 + jo, 32)); p3 = f32x4.add(p3, v128.load(c0 + jo, 48));
        q0 = f32x4.add(q0, v128.load(c1 + jo)); q1 = f32x4.add(q1, v128.load(c1 + jo, 16));
        q2 = f32x4.add(q2, v128.load(c1 + jo, 32)); q3 = f32x4.add(q3, v128.load(c1 + jo, 48));
      }
      v128.store(c0 + jo, p0); v128.store(c0 + jo, p1, 16); v128.store(c0 + jo, p2, 32); v128.store(c0 + jo, p3, 48);
      v128.store(c1 + jo, q0); v128.store(c1 + jo, q1, 16); v128.store(c1 + jo, q2, 32); v128.store(c1 + jo, q3, 48);
    }
    for (; j < N4; j += 4) {
      const jo = <usize>j << 2;
      let p = f32x4.splat(0), q = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const bv = v128.load(b + <usize>k * rowB + jo);
        p = f32x4.add(p, f32x4.mul(f32x4.splat(load<f32>(a0 + <usize>k * ak)), bv));
        q = f32x4.add(q, f32x4.mul(f32x4.splat(load<f32>(a1 + <usize>k * ak)), bv));
      }
      if (acc) { p = f32x4.add(p, v128.load(c0 + jo)); q = f32x4.add(q, v128.load(c1 + jo)); }
      v128.store(c0 + jo, p);
      v128.store(c1 + jo, q);
    }
    for (; j < N; j++) {
      const jo = <usize>j << 2;
      let p: f32 = 0, q: f32 = 0;
      for (let k = 0; k < K; k++) {
        const bv = load<f32>(b + <usize>k * rowB + jo);
        p += load<f32>(a0 + <usize>k * ak) * bv;
        q += load<f32>(a1 + <usize>k * ak) * bv;
      }
      store<f32>(c0 + jo, acc ? p + load<f32>(c0 + jo) : p);
      store<f32>(c1 + jo, acc ? q + load<f32>(c1 + jo) : q);
    }
  }
  for (; i < M; i++) {
    const c0 = c + ((<usize>i * N) << 2);
    const a0 = a + ((<usize>i * sAi) << 2);
    const ak = <usize>sAk << 2;
    let j = 0;
    for (; j < N4; j += 4) {
      const jo = <usize>j << 2;
      let p = f32x4.splat(0);
      for (let k = 0; k < K; k++) p = f32x4.add(p, f32x4.mul(f32x4.splat(load<f32>(a0 + <usize>k * ak)), v128.load(b + <usize>k * rowB + jo)));
      if (acc) p = f32x4.add(p, v128.load(c0 + jo));
      v128.store(c0 + jo, p);
    }
    for (; j < N; j++) {
      const jo = <usize>j << 2;
      let p: f32 = 0;
      for (let k = 0; k < K; k++) p += load<f32>(a0 + <usize>k * ak) * load<f32>(b + <usize>k * rowB + jo);
      store<f32>(c0 + jo, acc ? p + load<f32>(c0 + jo) : p);
    }
  }
}

/** C[M][N] (+)= A[M][K] · B[K][N]. */
export function matmulNN(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, acc: i32): void {
  matmulRowsByK(a, b, c, M, K, N, acc, K, 1);
}

/** C[M][N] (+)= A[K][M]ᵀ · B[K][N]: the weight gradient dW = dYᵀ X. */
export function matmulTN(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, acc: i32): void {
  matmulRowsByK(a, b, c, M, K, N, acc, 1, M);
}
