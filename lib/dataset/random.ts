/** Uniform numbers in [0, 1) from a seed: the same seed gives the same numbers on every platform. */
export type Random = () => number;

/**
 * xoshiro128** (Blackman and Vigna), its 128-bit state filled by splitmix64 from the seed. Only
 * integer arithmetic, so the sequence for a seed never depends on the machine or the Node
 * version; each number takes 53 bits from two outputs, as `Math.random` does.
 */
export function seededRandom(seed: number): Random {
  const seeding = splitmix64(BigInt.asUintN(64, BigInt(seed)));
  const first = seeding();
  const second = seeding();
  let s0 = Number(first & 0xffffffffn);
  let s1 = Number(first >> 32n);
  let s2 = Number(second & 0xffffffffn);
  let s3 = Number(second >> 32n);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the one state xoshiro cannot leave
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

/**
 * splitmix64 (Steele, Lea and Flood), used only to seed: its first output is a bijection of the
 * seed, so two different seeds never start from the same state.
 */
function splitmix64(seed: bigint): () => bigint {
  let state = seed;
  return () => {
    state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
    let z = state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Selection sampling (Knuth's Algorithm S): called once per item in order, says whether to pick
 * it, picking exactly `k` of `n` with every `k`-subset equally likely, without storing anything:
 * item `i` is picked with probability `(k − picked so far) / (n − i)`.
 */
export function selectionSampler(n: number, k: number, random: Random): () => boolean {
  let index = 0;
  let picked = 0;
  return () => {
    const pick = random() * (n - index) < k - picked;
    index++;
    if (pick) picked++;
    return pick;
  };
}
