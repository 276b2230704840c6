// AdamW with linear warmup, cosine decay and global-norm gradient clipping over one flat parameter array.

export interface Schedule {
  lr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
}

export function learningRate(s: Schedule, step: number): number {
  if (step < s.warmupSteps) return (s.lr * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const t = Math.min(1, (step - s.warmupSteps) / span);
  return s.minLr + (s.lr - s.minLr) * 0.5 * (1 + Math.cos(Math.PI * t));
}

export class AdamW {
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Steps taken, for bias correction; saved in checkpoints. */
  t = 0;

  constructor(
    n: number,
    /** 1 where the parameter gets weight decay (matrices), 0 for norm gains and adapters. */
    private readonly decayMask: Uint8Array,
    private readonly opts = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01 },
  ) {
    this.m = new Float32Array(n);
    this.v = new Float32Array(n);
  }

  /** Clips grad to maxNorm in place and returns its norm before clipping. */
  static clip(grad: Float32Array, maxNorm: number): number {
    let ss = 0;
    for (let i = 0; i < grad.length; i++) ss += grad[i] * grad[i];
    const norm = Math.sqrt(ss);
    if (norm > maxNorm) {
      const k = maxNorm / norm;
      for (let i = 0; i < grad.length; i++) grad[i] *= k;
    }
    return norm;
  }

  step(params: Float32Array, grad: Float32Array, lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.opts;
    this.t++;
    const bc1 = 1 - Math.pow(beta1, this.t);
    const bc2 = 1 - Math.pow(beta2, this.t);
    const { m, v } = this;
    const mask = this.decayMask;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      let p = params[i];
      if (mask[i]) p -= lr * weightDecay * p;
      params[i] = p - (lr * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + eps);
    }
  }
}
