/**
 * Seeded randomness for the demo history: the same seed gives the same shoppers, ids and times. The generator is
 * the demo shop's (apps/demo-shop/src/traffic/random.ts: xmur3 to seed, mulberry32 to draw), so history and live
 * traffic are drawn alike; apps do not import each other, hence the copy.
 */
export interface Random {
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A key chosen with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K;
  /** Exponentially distributed with this mean, capped at 5 × mean. */
  exponential(mean: number): number;
  /** Log-normally distributed around `median` (σ of the logarithm `spread`). */
  logNormal(median: number, spread: number): number;
  /** Poisson-distributed count with mean `lambda` (for the arrivals of an hour). */
  poisson(lambda: number): number;
  /** `bytes` random bytes as lowercase hex. */
  hex(bytes: number): string;
  /** A version-4 UUID drawn from this generator. */
  uuid(): string;
}

/** xmur3: a 32-bit hash of a string, to seed the generator. */
function hash(text: string): number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

/** mulberry32 seeded from `seed` (any string). */
export function seededRandom(seed: string): Random {
  let state = hash(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (bytes: number): string => {
    let out = '';
    for (let i = 0; i < bytes; i++) out += Math.floor(next() * 256).toString(16).padStart(2, '0');
    return out;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (p) => next() < p,
    weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
      const entries = Object.entries(weights).filter(([, w]) => (w as number) > 0) as [K, number][];
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [key, w] of entries) {
        if ((r -= w) < 0) return key;
      }
      return (entries[entries.length - 1] as [K, number])[0];
    },
    exponential: (mean) => (mean <= 0 ? 0 : Math.min(5 * mean, -Math.log(1 - next()) * mean)),
    logNormal(median, spread) {
      // Box–Muller from two uniform draws.
      const u = 1 - next();
      const v = next();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return median * Math.exp(spread * normal);
    },
    poisson(lambda) {
      if (lambda <= 0) return 0;
      // Knuth's method; the hourly means here are small (well below 100).
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= next();
      } while (p > limit);
      return k - 1;
    },
    hex,
    uuid() {
      const h = hex(16).split('');
      h[12] = '4';
      h[16] = '89ab'[parseInt(h[16] as string, 16) & 3] as string;
      const s = h.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
  return random;
}
