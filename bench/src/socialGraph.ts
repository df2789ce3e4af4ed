/**
 * Who talks with whom, and how much, for S6: a skewed graph like a real one (most people have a
 * handful of partners, a few have dozens; a few conversations carry most messages), the same in
 * every run (seeded PRNG) so sizes and runs compare.
 */

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Picks an index with probability proportional to `weights` (binary search on the running sum). */
function weightedPicker(weights: readonly number[], random: () => number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/**
 * Undirected pairs among `n` users (Chung-Lu): user i's expected partner count is 3 + 45 u^3 for a
 * uniform u (median about 8, mean about 14, at most 48).
 */
export function skewedPairs(n: number, random: () => number): [number, number][] {
  const targets = Array.from({ length: n }, () => 3 + 45 * random() ** 3);
  const edges = Math.round(targets.reduce((sum, t) => sum + t, 0) / 2);
  const pick = weightedPicker(targets, random);
  const seen = new Set<string>();
  const pairs: [number, number][] = [];
  for (let attempt = 0; pairs.length < edges && attempt < edges * 20; attempt++) {
    const i = pick();
    const j = pick();
    const key = i < j ? `${i}:${j}` : `${j}:${i}`;
    if (i === j || seen.has(key)) continue;
    seen.add(key);
    pairs.push([i, j]);
  }
  return pairs;
}

/** Zipf weights by pair position (pairs come in random order): the first conversations are the busiest. */
export function pairWeights(count: number): number[] {
  return Array.from({ length: count }, (_, rank) => 1 / (rank + 1) ** 0.9);
}

/** `count` messages over `pairs` by `weights`, each way at random, in sending order: [sender, receiver]. */
export function skewedMessages(
  pairs: readonly [number, number][],
  weights: readonly number[],
  count: number,
  random: () => number,
): [number, number][] {
  const pick = weightedPicker(weights, random);
  return Array.from({ length: count }, () => {
    const [a, b] = pairs[pick()]!;
    return random() < 0.5 ? [a, b] : [b, a];
  });
}

/**
 * `k` users spread over the degree ranks (light to heavy), each with their busiest partner (the
 * conversation a person opens most): the readers S6 times.
 */
export function probeReaders(n: number, pairs: readonly [number, number][], weights: readonly number[], k: number) {
  const degree = new Array<number>(n).fill(0);
  const busiest = new Array<number>(n).fill(-1);
  pairs.forEach(([a, b], index) => {
    for (const me of [a, b]) {
      degree[me]!++;
      const best = busiest[me]!;
      if (best < 0 || weights[index]! > weights[best]!) busiest[me] = index;
    }
  });
  const byDegree = Array.from({ length: n }, (_, i) => i).filter((i) => degree[i]! > 0).sort((x, y) => degree[x]! - degree[y]!);
  return Array.from({ length: Math.min(k, byDegree.length) }, (_, q) => {
    const reader = byDegree[Math.floor(((q + 0.5) * byDegree.length) / k)]!;
    const [a, b] = pairs[busiest[reader]!]!;
    return { reader, partner: a === reader ? b : a, partners: degree[reader]! };
  });
}
