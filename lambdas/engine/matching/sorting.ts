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

type NumberColumn = Float64Array | Int32Array | Uint8Array;

/** Scratch for sortIndicesByKeys: each listed index's keys, moved along with it. */
const firstKeys = new Float64Array(INSERTION_SORT_LIMIT);
const secondKeys = new Float64Array(INSERTION_SORT_LIMIT);
const thirdKeys = new Float64Array(INSERTION_SORT_LIMIT);

/**
 * Sorts a short list of indices in place by up to three number columns, smallest first,
 * compared in turn (a missing column counts as all zeros); `compare` must order the same way
 * and sorts lists longer than insertion sort suits. Keys are read once per index into scratch
 * arrays instead of twice per comparison through a comparator call: a window of 40 tickets
 * takes some 400 comparisons, and the columns are read at scattered indices.
 * Keys must not be NaN.
 */
export function sortIndicesByKeys(
  list: number[],
  first: NumberColumn,
  second: NumberColumn | undefined,
  third: NumberColumn | undefined,
  compare: (left: number, right: number) => number,
): void {
  const count = list.length;
  if (count > INSERTION_SORT_LIMIT) {
    sortSmall(list, compare);
    return;
  }
  for (let at = 0; at < count; at++) {
    const index = list[at] as number;
    firstKeys[at] = first[index] as number;
    secondKeys[at] = second === undefined ? 0 : (second[index] as number);
    thirdKeys[at] = third === undefined ? 0 : (third[index] as number);
  }
  for (let at = 1; at < count; at++) {
    const moving = list[at] as number;
    const a = firstKeys[at] as number;
    const b = secondKeys[at] as number;
    const c = thirdKeys[at] as number;
    let to = at;
    while (to > 0) {
      const previousA = firstKeys[to - 1] as number;
      const previousB = secondKeys[to - 1] as number;
      const previousC = thirdKeys[to - 1] as number;
      // Stops at the first earlier item not greater than the moving one: stable.
      if (previousA < a || (previousA === a && (previousB < b || (previousB === b && previousC <= c)))) break;
      list[to] = list[to - 1] as number;
      firstKeys[to] = previousA;
      secondKeys[to] = previousB;
      thirdKeys[to] = previousC;
      to--;
    }
    list[to] = moving;
    firstKeys[to] = a;
    secondKeys[to] = b;
    thirdKeys[to] = c;
  }
}
