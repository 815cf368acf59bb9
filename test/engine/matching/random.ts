/** mulberry32: a tiny seeded generator, so randomized tests and benchmarks repeat exactly. */
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
