/**
 * Seeded randomness for simulations, property tests and benchmarks: the same seed gives the
 * same run, so a simulated rule-set change is compared against exactly the same players.
 */

/** mulberry32: a tiny seeded generator returning uniform values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bell-shaped value from a seeded uniform source (sum of three uniforms, mean ± spread). */
export function bell(random: () => number, mean: number, spread: number): number {
  return mean + (random() + random() + random() - 1.5) * spread;
}

/** Normally distributed value (Box–Muller), for arrival models given as mean and deviation. */
export function normal(random: () => number, mean: number, deviation: number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return mean + deviation * radius * Math.cos(2 * Math.PI * random());
}

/** Picks an index with probability proportional to its weight. */
export function weightedIndex(random: () => number, weights: readonly number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let point = random() * total;
  for (let index = 0; index < weights.length; index++) {
    point -= weights[index] ?? 0;
    if (point < 0) return index;
  }
  return weights.length - 1;
}
