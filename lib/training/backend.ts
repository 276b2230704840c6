// Matrix-multiply backends for the model: the WASM SIMD kernel (float32, the fast path) and plain JS
// (float32 or float64: the float64 one is what the finite-difference gradient check runs on).
import { readFileSync } from "node:fs";

export type Arr = Float32Array | Float64Array;

export interface Backend {
  readonly precision: "f32" | "f64";
  /** Zeroed storage; on the WASM backend it lives in the kernel's memory so calls need no copies. */
  alloc(n: number): Arr;
  /** C[M][N] (+)= A[M][K] · B[N][K]ᵀ */
  matmulNT(a: Arr, b: Arr, c: Arr, M: number, K: number, N: number, acc: boolean): void;
  /** C[M][N] (+)= A[M][K] · B[K][N] */
  matmulNN(a: Arr, b: Arr, c: Arr, M: number, K: number, N: number, acc: boolean): void;
  /** C[M][N] (+)= A[K][M]ᵀ · B[K][N] */
  matmulTN(a: Arr, b: Arr, c: Arr, M: number, K: number, N: number, acc: boolean): void;
}

export function jsMatmulNT(a: Arr, b: Arr, c: Arr, M: number, K: number, N: number, acc: boolean): void {
  for (let i = 0; i < M; i++) {
    const ao = i * K;
    for (let j = 0; j < N; j++) {
      const bo = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ao + k] * b[bo + k];
      c[i * N + j] = acc ? c[i * N + j] + s : s;
    }
  }
}

/** C[M][N] (+)= A · B[K][N], where A's element (i, k) is at a[i * rowStride + k * colStride]. */
function jsMatmulXN(a: Arr, b: Arr, c: Arr, M: number, K: number, N: number, acc: boolean, rowStride: number, colStride: number): void {
  for (let i = 0; i < M; i++) {
    const co = i * N;
    if (!acc) c.fill(0, co, co + N);
    for (let k = 0; k < K; k++) {
      const x = a[i * rowStride + k * colStride];
      const bo = k * N;
      for (let j = 0; j < N; j++) c[co + j] += x * b[bo + j];
    }
  }
}

/** A is [M][K]. */
export function jsMatmulNN(a: Arr, b: Arr, c: Arr, M: number, K: number, N: number, acc: boolean): void {
  jsMatmulXN(a, b, c, M, K, N, acc, K, 1);
}

/** A is [K][M], read transposed. */
export function jsMatmulTN(a: Arr, b: Arr, c: Arr, M: number, K: number, N: number, acc: boolean): void {
  jsMatmulXN(a, b, c, M, K, N, acc, 1, M);
}

export function jsBackend(precision: "f32" | "f64"): Backend {
  return {
    precision,
    alloc: (n) => (precision === "f64" ? new Float64Array(n) : new Float32Array(n)),
    matmulNT: jsMatmulNT,
    matmulNN: jsMatmulNN,
    matmulTN: jsMatmulTN,
  };
}

/** Counts the floats a model would allocate, so the WASM memory can be sized once (growing it detaches views). */
export function countingBackend(): Backend & { floats: number } {
  const b = {
    precision: "f32" as const,
    floats: 0,
    alloc(n: number) {
      b.floats += n + 4;
      return new Float32Array(0);
    },
    matmulNT: jsMatmulNT,
    matmulNN: jsMatmulNN,
    matmulTN: jsMatmulTN,
  };
  return b;
}

type KernelFn = (a: number, b: number, c: number, M: number, K: number, N: number, acc: number) => void;

/** The WASM kernel with a bump allocator over `floats` floats of its memory; arrays from elsewhere are copied in. */
export function wasmBackend(wasmFile: string, floats: number): Backend {
  const base = 65536; // leave the first page to the module's own static data
  const scratchFloats = 1 << 16;
  const bytes = base + (floats + scratchFloats) * 4 + 64;
  const pages = Math.ceil(bytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const compiled = new WebAssembly.Module(readFileSync(wasmFile));
  const inst = new WebAssembly.Instance(compiled, { env: { memory, abort: () => { throw new Error("kernel abort"); } } });
  const fns = inst.exports as unknown as { matmulNT: KernelFn; matmulNN: KernelFn; matmulTN: KernelFn };
  let next = base + scratchFloats * 4;
  const buffer = memory.buffer;

  const alloc = (n: number): Float32Array => {
    const aligned = (next + 15) & ~15;
    if (aligned + n * 4 > bytes) throw new Error(`WASM arena exhausted (${n} floats requested)`);
    next = aligned + n * 4;
    return new Float32Array(buffer, aligned, n);
  };
  // Arrays outside the arena (tests, ad-hoc calls) go through a temporary copy at the end of the arena.
  const call = (fn: KernelFn, a: Arr, b: Arr, c: Arr, M: number, K: number, N: number, acc: boolean, sizes: [number, number, number]) => {
    const inArena = (x: Arr) => x instanceof Float32Array && x.buffer === buffer;
    if (inArena(a) && inArena(b) && inArena(c)) return fn(a.byteOffset, b.byteOffset, c.byteOffset, M, K, N, acc ? 1 : 0);
    const saved = next;
    try {
      const pa = inArena(a) ? a.byteOffset : (alloc(sizes[0]).set(a.subarray(0, sizes[0])), next - sizes[0] * 4);
      const pb = inArena(b) ? b.byteOffset : (alloc(sizes[1]).set(b.subarray(0, sizes[1])), next - sizes[1] * 4);
      const tc = inArena(c) ? (c as Float32Array) : alloc(sizes[2]);
      if (!inArena(c) && acc) tc.set(c.subarray(0, sizes[2]));
      fn(pa, pb, tc.byteOffset, M, K, N, acc ? 1 : 0);
      if (tc !== c) c.set(tc);
    } finally {
      next = saved;
    }
  };
  return {
    precision: "f32",
    alloc,
    matmulNT: (a, b, c, M, K, N, acc) => call(fns.matmulNT, a, b, c, M, K, N, acc, [M * K, N * K, M * N]),
    matmulNN: (a, b, c, M, K, N, acc) => call(fns.matmulNN, a, b, c, M, K, N, acc, [M * K, K * N, M * N]),
    matmulTN: (a, b, c, M, K, N, acc) => call(fns.matmulTN, a, b, c, M, K, N, acc, [K * M, K * N, M * N]),
  };
}
