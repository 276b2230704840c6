// What every bench script needs: numeric command-line flags, interpolated quantiles, and A/B rounds.

/** `--name <number>` from the command line, or `fallback`. */
export function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The q-quantile (0..1) of `xs`, linearly interpolated between the nearest ranks. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}

/**
 * Runs `a` and `b` once a round, `a` first in even rounds and `b` first in odd ones, so drift on a
 * shared machine hits both sides alike. Returns each side's results in round order.
 */
export async function alternate<A, B>(rounds: number, a: (round: number) => Promise<A>, b: (round: number) => Promise<B>): Promise<[A[], B[]]> {
  const as: A[] = [];
  const bs: B[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2) {
      bs.push(await b(round));
      as.push(await a(round));
    } else {
      as.push(await a(round));
      bs.push(await b(round));
    }
  }
  return [as, bs];
}
