// SIMD f32 matrix multiplies for the trainer; pointers are byte offsets into the imported memory.
// Each writes C (or adds to it when acc != 0); row-major throughout.

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** C[M][N] (+)= A[M][K] · B[N][K]ᵀ: every output is a dot product of two contiguous rows. */
export function matmulNT(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, acc: i32): void {
  const K4 = K & ~3;
  for (let i = 0; i < M; i++) {
    const ar = a + ((<usize>i * K) << 2);
    const cr = c + ((<usize>i * N) << 2);
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = b + ((<usize>j * K) << 2);
      const b1 = b0 + (<usize>K << 2);
      const b2 = b1 + (<usize>K << 2);
      const b3 = b2 + (<usize>K << 2);
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
        r0 += x * load<f32>(b0 + o);
        r1 += x * load<f32>(b1 + o);
        r2 += x * load<f32>(b2 + o);
        r3 += x * load<f32>(b3 + o);
      }
      const co = cr + (<usize>j << 2);
      if (acc) {
        r0 += load<f32>(co); r1 += load<f32>(co + 4); r2 += load<f32>(co + 8); r3 += load<f32>(co + 12);
      }
      store<f32>(co, r0); store<f32>(co + 4, r1); store<f32>(co + 8, r2); store<f32>(co + 12, r3);
    }
    for (; j < N; j++) {
      const br = b + ((<usize>j * K) << 2);
      let s = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        s = f32x4.add(s, f32x4.mul(v128.load(ar + o), v128.load(br + o)));
      }
      let r = hsum(s);
      for (let k = K4; k < K; k++) r += load<f32>(ar + (<usize>k << 2)) * load<f32>(br + (<usize>k << 2));
      const co = cr + (<usize>j << 2);
      store<f32>(co, acc ? r + load<f32>(co) : r);
    }
  }
}

/** Adds s * row(src) to row(dst), n floats. */
@inline function axpy(dst: usize, src: usize, s: f32, n: i32): void {
  const n4 = n & ~3;
  const sv = f32x4.splat(s);
  for (let j = 0; j < n4; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(sv, v128.load(src + o))));
  }
  for (let j = n4; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(dst + o, load<f32>(dst + o) + s * load<f32>(src + o));
  }
}

/** Four axpys in one pass over dst, so the output row is loaded and stored once per four inputs. */
@inline function axpy4(dst: usize, s0: usize, s1: usize, s2: usize, s3: usize, x0: f32, x1: f32, x2: f32, x3: f32, n: i32): void {
  const n4 = n & ~3;
  const v0 = f32x4.splat(x0), v1 = f32x4.splat(x1), v2 = f32x4.splat(x2), v3 = f32x4.splat(x3);
  for (let j = 0; j < n4; j += 4) {
    const o = <usize>j << 2;
    let d = v128.load(dst + o);
    d = f32x4.add(d, f32x4.mul(v0, v128.load(s0 + o)));
    d = f32x4.add(d, f32x4.mul(v1, v128.load(s1 + o)));
    d = f32x4.add(d, f32x4.mul(v2, v128.load(s2 + o)));
    d = f32x4.add(d, f32x4.mul(v3, v128.load(s3 + o)));
    v128.store(dst + o, d);
  }
  for (let j = n4; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(dst + o, load<f32>(dst + o) + x0 * load<f32>(s0 + o) + x1 * load<f32>(s1 + o) + x2 * load<f32>(s2 + o) + x3 * load<f32>(s3 + o));
  }
}

@inline function zeroRow(dst: usize, n: i32): void {
  memory.fill(dst, 0, <usize>n << 2);
}

/** C[M][N] (+)= A[M][K] · B[K][N]. */
export function matmulNN(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, acc: i32): void {
  const rowB = <usize>N << 2;
  for (let i = 0; i < M; i++) {
    const ar = a + ((<usize>i * K) << 2);
    const cr = c + ((<usize>i * N) << 2);
    if (!acc) zeroRow(cr, N);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const br = b + <usize>k * rowB;
      const o = <usize>k << 2;
      axpy4(cr, br, br + rowB, br + 2 * rowB, br + 3 * rowB,
        load<f32>(ar + o), load<f32>(ar + o + 4), load<f32>(ar + o + 8), load<f32>(ar + o + 12), N);
    }
    for (; k < K; k++) axpy(cr, b + <usize>k * rowB, load<f32>(ar + (<usize>k << 2)), N);
  }
}

/** C[M][N] (+)= A[K][M]ᵀ · B[K][N]: the weight gradient dW = dYᵀ X. */
export function matmulTN(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, acc: i32): void {
  const rowA = <usize>M << 2;
  const rowB = <usize>N << 2;
  for (let i = 0; i < M; i++) {
    const ac = a + (<usize>i << 2);
    const cr = c + ((<usize>i * N) << 2);
    if (!acc) zeroRow(cr, N);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const br = b + <usize>k * rowB;
      const ak = ac + <usize>k * rowA;
      axpy4(cr, br, br + rowB, br + 2 * rowB, br + 3 * rowB,
        load<f32>(ak), load<f32>(ak + rowA), load<f32>(ak + 2 * rowA), load<f32>(ak + 3 * rowA), N);
    }
    for (; k < K; k++) axpy(cr, b + <usize>k * rowB, load<f32>(ac + <usize>k * rowA), N);
  }
}
