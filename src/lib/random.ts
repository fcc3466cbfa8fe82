/**
 * Seeded pseudo-random numbers. There is no global generator: every function that
 * needs randomness takes an `Rng`, so the same seed always gives the same output.
 *
 * The generator is xoshiro128** (Blackman & Vigna), seeded through splitmix32 from a
 * 32-bit hash of the seed and a stream label. Doubles carry 53 random bits; integers
 * below 2^32 come from one 32-bit draw by rejection, without bias.
 */

export interface Rng {
  /** A double uniformly distributed in [0, 1). */
  next(): number;
  /** An integer uniformly distributed in [0, n). */
  int(n: number): number;
  /** A standard normal deviate (Box–Muller; one spare value is kept). */
  normal(): number;
  /** An independent generator for a named sub-stream, derived from this one's seed. */
  fork(label: string): Rng;
  /** The seed and stream this generator was made from (for provenance). */
  readonly seed: string;
}

/** FNV-1a over the UTF-16 code units of a string, to 32 bits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Creates a generator from a seed (a number or a string) and an optional stream
 * label. Different labels give independent streams from one seed.
 */
export function createRng(seed: number | string, stream = ""): Rng {
  const seedText = String(seed);
  if (typeof seed === "number" && !Number.isFinite(seed)) {
    throw new Error(`Seed must be a finite number or a string, got ${seed}`);
  }
  const key = stream ? `${seedText}/${stream}` : seedText;
  const mix = splitmix32(hashString(key) ^ hashString(`${key.length}:${key}`));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  if ((a | b | c | d) === 0) a = 1;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };

  let spare: number | undefined;
  const rng: Rng = {
    seed: key,
    next() {
      // 53 bits: 27 from one draw and 26 from another.
      const hi = nextUint32() >>> 5;
      const lo = nextUint32() >>> 6;
      return (hi * 67108864 + lo) / 9007199254740992;
    },
    int(n: number) {
      if (!(n > 0) || !Number.isInteger(n)) throw new Error(`int(n) needs a positive integer, got ${n}`);
      if (n <= 0x100000000) {
        // Unbiased: reject the top partial block of the 32-bit range, then reduce.
        const limit = 0x100000000 - (0x100000000 % n);
        for (;;) {
          const u = nextUint32();
          if (u < limit) return u % n;
        }
      }
      return Math.floor(rng.next() * n);
    },
    normal() {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork(label: string) {
      return createRng(key, label);
    },
  };
  return rng;
}

/**
 * Draws n indices uniformly from [0, n) with replacement and returns how many
 * times each index was drawn (the multinomial weights of one bootstrap resample).
 */
export function resampleCounts(n: number, rng: Rng, out?: Int32Array): Int32Array {
  const counts = out && out.length === n ? out.fill(0) : new Int32Array(n);
  for (let i = 0; i < n; i++) counts[rng.int(n)]!++;
  return counts;
}

/** Draws n indices uniformly from [0, n) with replacement, in draw order. */
export function resampleIndices(n: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = rng.int(n);
  return idx;
}
