import type { Entry } from './prepare';

/** Total order on tickets: batching group, numeric key (missing last), age, id. */
export function compareBatchOrder(left: Entry, right: Entry): number {
  if (left.group !== right.group) return left.group - right.group;
  const a = left.sortValue;
  const b = right.sortValue;
  const aMissing = Number.isNaN(a);
  const bMissing = Number.isNaN(b);
  // Missing keys sort last; two missing keys are equal here (NaN !== NaN would say otherwise).
  if (aMissing !== bMissing) return aMissing ? 1 : -1;
  if (!aMissing && a !== b) return a < b ? -1 : 1;
  return compareAge(left, right);
}

/** Oldest first; equal start times fall back to the ticket id, so runs repeat (see rankAges). */
export function compareAge(left: Entry, right: Entry): number {
  return left.ageRank - right.ageRank;
}

/** How far apart two tickets are in batching terms; Infinity across groups or without a key. */
export function batchDistance(anchor: Entry, other: Entry): number {
  if (anchor.group !== other.group) return Number.POSITIVE_INFINITY;
  const distance = Math.abs(anchor.sortValue - other.sortValue);
  return Number.isNaN(distance) ? Number.POSITIVE_INFINITY : distance;
}

/**
 * The pool sorted once in batching order, as a doubly linked list so a matched ticket is
 * unlinked in O(1) and later walks never step over it. Gathering an anchor's window walks
 * outwards from the anchor, always taking the nearer side: the anchor's nearest neighbours,
 * at a cost bounded by the window size, whatever the pool size.
 */
export class BatchOrder {
  private readonly position: Int32Array;
  private readonly entryAt: Int32Array;
  private readonly previous: Int32Array;
  private readonly next: Int32Array;
  private readonly linked: Uint8Array;

  constructor(private readonly entries: readonly Entry[]) {
    const count = entries.length;
    const sorted = [...entries].sort(compareBatchOrder);
    this.position = new Int32Array(count);
    this.entryAt = new Int32Array(count);
    this.previous = new Int32Array(count);
    this.next = new Int32Array(count);
    this.linked = new Uint8Array(count).fill(1);
    sorted.forEach((entry, at) => {
      this.position[entry.index] = at;
      this.entryAt[at] = entry.index;
      this.previous[at] = at - 1;
      this.next[at] = at + 1 < count ? at + 1 : -1;
    });
  }

  isLinked(entryIndex: number): boolean {
    return this.linked[entryIndex] === 1;
  }

  unlink(entryIndex: number): void {
    if (this.linked[entryIndex] !== 1) return;
    this.linked[entryIndex] = 0;
    const at = this.position[entryIndex] as number;
    const before = this.previous[at] as number;
    const after = this.next[at] as number;
    if (before >= 0) this.next[before] = after;
    if (after >= 0) this.previous[after] = before;
  }

  /**
   * Up to `limit` linked entries accepted by `accept`, nearest to the anchor first, looking at
   * no more than `maxSteps` entries. Returns how many entries were looked at.
   */
  gather(
    anchor: Entry,
    limit: number,
    maxSteps: number,
    accept: (entry: Entry) => boolean,
    out: Entry[],
  ): number {
    out.length = 0;
    const at = this.position[anchor.index] as number;
    let left = this.previous[at] as number;
    let right = this.next[at] as number;
    let steps = 0;
    let preferRight = true;
    let leftEntry = left >= 0 ? (this.entries[this.entryAt[left] as number] as Entry) : undefined;
    let rightEntry = right >= 0 ? (this.entries[this.entryAt[right] as number] as Entry) : undefined;
    let toLeft = leftEntry === undefined ? Number.POSITIVE_INFINITY : batchDistance(anchor, leftEntry);
    let toRight = rightEntry === undefined ? Number.POSITIVE_INFINITY : batchDistance(anchor, rightEntry);
    while (out.length < limit && steps < maxSteps && (leftEntry !== undefined || rightEntry !== undefined)) {
      let takeRight: boolean;
      if (leftEntry === undefined) takeRight = true;
      else if (rightEntry === undefined) takeRight = false;
      else {
        // Equal (or both infinite) distances alternate sides so neither side starves.
        takeRight = toRight < toLeft || (toRight === toLeft && preferRight);
        if (toRight === toLeft) preferRight = !preferRight;
      }
      let taken: Entry;
      if (takeRight) {
        taken = rightEntry as Entry;
        right = this.next[right] as number;
        rightEntry = right >= 0 ? (this.entries[this.entryAt[right] as number] as Entry) : undefined;
        toRight = rightEntry === undefined ? Number.POSITIVE_INFINITY : batchDistance(anchor, rightEntry);
      } else {
        taken = leftEntry as Entry;
        left = this.previous[left] as number;
        leftEntry = left >= 0 ? (this.entries[this.entryAt[left] as number] as Entry) : undefined;
        toLeft = leftEntry === undefined ? Number.POSITIVE_INFINITY : batchDistance(anchor, leftEntry);
      }
      steps++;
      if (accept(taken)) out.push(taken);
    }
    return steps;
  }
}
