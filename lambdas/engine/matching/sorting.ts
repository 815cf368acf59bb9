/**
 * Orders ticket indices by a number in linear time. A comparator sort of 100k tickets costs a
 * function call per comparison, about as much as a whole pass's other preparation; a radix
 * sort on the keys' bits costs four counting passes over typed arrays.
 */

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;

/**
 * `indices` reordered (a new array) by `keys[index]` ascending, stable: indices with equal keys
 * keep their order in `indices`. Keys must not be NaN (map it to Infinity first); -0 and 0
 * are one key.
 */
export function stableOrderByKey(indices: Int32Array, keys: Float64Array): Int32Array {
  const count = indices.length;
  // Each key as 64 bits that compare like the numbers, in two 32-bit words (high, low): a
  // positive double's bits order like its value once the sign bit is set; a negative one's
  // once all bits are flipped.
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const lowWordAt = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
  const high = new Uint32Array(count);
  const low = new Uint32Array(count);
  for (let at = 0; at < count; at++) {
    bits[0] = (keys[indices[at] as number] as number) + 0;
    let upper = words[1 - lowWordAt] as number;
    let lower = words[lowWordAt] as number;
    if (upper >>> 31 === 1) {
      upper = ~upper >>> 0;
      lower = ~lower >>> 0;
    } else upper = (upper | 0x80000000) >>> 0;
    high[at] = upper;
    low[at] = lower;
  }
  let order = new Int32Array(count);
  for (let at = 0; at < count; at++) order[at] = at;
  let scratch = new Int32Array(count);
  const counts = new Int32Array(BUCKETS);
  // Least significant digit first; each pass is stable, so earlier digits break later ties.
  for (const [word, shift] of [
    [low, 0],
    [low, DIGIT_BITS],
    [high, 0],
    [high, DIGIT_BITS],
  ] as const) {
    counts.fill(0);
    for (let at = 0; at < count; at++) counts[((word[at] as number) >>> shift) & DIGIT_MASK]++;
    // A digit every key shares orders nothing (integers leave the low words at zero).
    if (counts[((word[0] as number) >>> shift) & DIGIT_MASK] === count) continue;
    let start = 0;
    for (let digit = 0; digit < BUCKETS; digit++) {
      const size = counts[digit] as number;
      counts[digit] = start;
      start += size;
    }
    for (let at = 0; at < count; at++) {
      const position = order[at] as number;
      const digit = ((word[position] as number) >>> shift) & DIGIT_MASK;
      scratch[counts[digit] as number] = position;
      counts[digit]++;
    }
    [order, scratch] = [scratch, order];
  }
  for (let at = 0; at < count; at++) order[at] = indices[order[at] as number] as number;
  return order;
}

/** Longest list `sortSmall` sorts by insertion; longer ones go to Array.prototype.sort. */
const INSERTION_SORT_LIMIT = 64;

/**
 * Sorts a short list in place, stably, without the scratch array Array.prototype.sort
 * allocates per call (the pass sorts a window or a team selection per anchor, 100k times on a
 * large pool). Insertion sort is also quick on nearly sorted lists, which windows gathered
 * nearest first are.
 */
export function sortSmall<T>(list: T[], compare: (left: T, right: T) => number): void {
  if (list.length > INSERTION_SORT_LIMIT) {
    list.sort(compare);
    return;
  }
  for (let at = 1; at < list.length; at++) {
    const moving = list[at] as T;
    let to = at;
    while (to > 0 && compare(list[to - 1] as T, moving) > 0) {
      list[to] = list[to - 1] as T;
      to--;
    }
    list[to] = moving;
  }
}
