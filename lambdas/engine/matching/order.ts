import { type EntryTable, groupsOf } from './prepare';

/** Whether two entries are batched under some common group. */
export function shareGroup(entries: EntryTable, left: number, right: number): boolean {
  if (entries.group[left] === entries.group[right]) return true;
  const rightGroups = groupsOf(entries, right);
  for (const group of groupsOf(entries, left)) if (rightGroups.includes(group)) return true;
  return false;
}

/** How far apart two entries are in batching terms; Infinity across groups or without a key. */
export function batchDistance(entries: EntryTable, anchor: number, other: number): number {
  if (!shareGroup(entries, anchor, other)) return Number.POSITIVE_INFINITY;
  const distance = Math.abs((entries.sortValue[anchor] as number) - (entries.sortValue[other] as number));
  return Number.isNaN(distance) ? Number.POSITIVE_INFINITY : distance;
}

/**
 * The pool sorted once in batching order, as a doubly linked list so a matched ticket is
 * unlinked in O(1) and later walks never step over it. Gathering an anchor's window walks
 * outwards from the anchor, always taking the nearer side: the anchor's nearest neighbours,
 * at a cost bounded by the window size, whatever the pool size.
 *
 * Everything a walk reads lives in typed arrays: walks visit tickets in key order, which is
 * not the order their objects sit in memory, and a ticket object read per step would cost a
 * cache miss per step on a large pool.
 */
export class BatchOrder {
  /** Per placement (a ticket under one of its groups), in batching order. */
  private readonly entryAt: Int32Array;
  private readonly groupAt: Int32Array;
  private readonly keyAt: Float64Array;
  private readonly previous: Int32Array;
  private readonly next: Int32Array;
  /** Per entry: its placements' positions, `firstPosition[i]` to `firstPosition[i + 1]`. */
  private readonly positions: Int32Array;
  private readonly firstPosition: Int32Array;
  private readonly linked: Uint8Array;
  /** Per entry: 1 for a backfill ticket, which is never anyone's candidate. */
  private readonly backfill: Uint8Array;
  /** Per entry: 1 when some player is also on another ticket (see EntryTable.sharesPlayers). */
  private readonly shares: Uint8Array;
  /** Per entry: its batching key, NaN when it has none (EntryTable.sortValue). */
  private readonly sortValue: Float64Array;
  /** Per position: 1 when the placement is under the ticket's preferred group. */
  private readonly primaryAt: Uint8Array;
  /** How many placements there are: a ticket once per group it is batched under. */
  readonly placementCount: number;

  /** `byKey`: entries by key (missing last), then age (PreparedPool.byKey). */
  constructor(entries: EntryTable, byKey: Int32Array) {
    const count = entries.count;
    this.sortValue = entries.sortValue;
    this.backfill = entries.backfill;
    this.shares = entries.sharesPlayers;
    this.firstPosition = new Int32Array(count + 1);
    const sortKey = new Float64Array(count);
    let placements = 0;
    let groupCount = 0;
    // Indexed loops in this run-once code: until the optimiser steps in, for...of allocates an
    // iterator result per step, which on 100k tickets is most of the garbage made here.
    for (let entry = 0; entry < count; entry++) {
      const groups = groupsOf(entries, entry);
      this.firstPosition[entry] = placements;
      placements += groups.length;
      for (let at = 0; at < groups.length; at++) {
        const group = groups[at] as number;
        if (group >= groupCount) groupCount = group + 1;
      }
      const sortValue = entries.sortValue[entry] as number;
      sortKey[entry] = Number.isNaN(sortValue) ? Number.POSITIVE_INFINITY : sortValue;
    }
    this.firstPosition[count] = placements;
    this.placementCount = placements;
    // Each placement's group and whether it is the preferred one, read once in entry order.
    const placementGroup = new Int32Array(placements);
    const placementPrimary = new Uint8Array(placements);
    for (let entry = 0; entry < count; entry++) {
      const groups = groupsOf(entries, entry);
      let placement = this.firstPosition[entry] as number;
      for (let at = 0; at < groups.length; at++) {
        const group = groups[at] as number;
        placementGroup[placement] = group;
        placementPrimary[placement] = group === entries.group[entry] ? 1 : 0;
        placement++;
      }
    }
    // Every placement is dealt into its group's run in key order (a counting sort), so several
    // groups per ticket cost no extra comparisons.
    const groupStart = new Int32Array(groupCount + 1);
    for (let placement = 0; placement < placements; placement++)
      groupStart[(placementGroup[placement] as number) + 1]++;
    for (let group = 0; group < groupCount; group++)
      groupStart[group + 1] = (groupStart[group + 1] as number) + (groupStart[group] as number);
    this.entryAt = new Int32Array(placements);
    this.groupAt = new Int32Array(placements);
    this.keyAt = new Float64Array(placements);
    this.previous = new Int32Array(placements);
    this.next = new Int32Array(placements);
    this.positions = new Int32Array(placements);
    this.primaryAt = new Uint8Array(placements);
    this.linked = new Uint8Array(count).fill(1);
    for (let rank = 0; rank < count; rank++) {
      const entryIndex = byKey[rank] as number;
      const end = this.firstPosition[entryIndex + 1] as number;
      for (let placement = this.firstPosition[entryIndex] as number; placement < end; placement++) {
        const group = placementGroup[placement] as number;
        const at = groupStart[group] as number;
        groupStart[group] = at + 1;
        this.entryAt[at] = entryIndex;
        this.groupAt[at] = group;
        this.keyAt[at] = sortKey[entryIndex] as number;
        this.primaryAt[at] = placementPrimary[placement] as number;
        this.positions[placement] = at;
      }
    }
    for (let at = 0; at < placements; at++) {
      this.previous[at] = at - 1;
      this.next[at] = at + 1 < placements ? at + 1 : -1;
    }
  }

  /** The entry at a position of the batching order. */
  entryIndexAt(at: number): number {
    return this.entryAt[at] as number;
  }

  /** The group of the placement at a position of the batching order. */
  groupAtPosition(at: number): number {
    return this.groupAt[at] as number;
  }

  /** Whether the placement at a position is under its ticket's preferred group. */
  isPrimaryAt(at: number): boolean {
    return this.primaryAt[at] === 1;
  }

  isBackfill(entryIndex: number): boolean {
    return this.backfill[entryIndex] === 1;
  }

  isLinked(entryIndex: number): boolean {
    return this.linked[entryIndex] === 1;
  }

  unlink(entryIndex: number): void {
    if (this.linked[entryIndex] !== 1) return;
    this.linked[entryIndex] = 0;
    const end = this.firstPosition[entryIndex + 1] as number;
    for (let placement = this.firstPosition[entryIndex] as number; placement < end; placement++) {
      const at = this.positions[placement] as number;
      const before = this.previous[at] as number;
      const after = this.next[at] as number;
      if (before >= 0) this.next[before] = after;
      if (after >= 0) this.previous[after] = before;
    }
  }

  private distance(at: number, group: number, key: number, crossGroups: boolean): number {
    if (at < 0) return Number.NaN;
    if (this.groupAt[at] !== group) return crossGroups ? Number.POSITIVE_INFINITY : Number.NaN;
    const distance = Math.abs((this.keyAt[at] as number) - key);
    return Number.isNaN(distance) ? Number.POSITIVE_INFINITY : distance;
  }

  /**
   * Up to `limit` linked matchmaking tickets other than the anchor, nearest to the anchor
   * under `group` first, looking at no more than `maxSteps` entries, as entry indices (the
   * walk reads no ticket or entry object). Other groups are walked into only when
   * `crossGroups` (a ticket batched under several groups is met in each of them instead). A
   * ticket sharing players with others is only taken if `isStale` says none of its players is
   * matched already; stale ones go to `staleOut`. Returns how many entries were looked at.
   */
  gather(
    anchorIndex: number,
    group: number,
    crossGroups: boolean,
    limit: number,
    maxSteps: number,
    isStale: (entryIndex: number) => boolean,
    out: number[],
    staleOut: number[],
  ): number {
    out.length = 0;
    let at = -1;
    const end = this.firstPosition[anchorIndex + 1] as number;
    for (let placement = this.firstPosition[anchorIndex] as number; placement < end; placement++) {
      const position = this.positions[placement] as number;
      if (this.groupAt[position] === group) at = position;
    }
    if (at < 0) return 0;
    const key = this.sortValue[anchorIndex] as number;
    let left = this.previous[at] as number;
    let right = this.next[at] as number;
    let steps = 0;
    let preferRight = true;
    // NaN marks a side that is exhausted (or ends at the group's edge).
    let toLeft = this.distance(left, group, key, crossGroups);
    let toRight = this.distance(right, group, key, crossGroups);
    while (out.length < limit && steps < maxSteps && !(Number.isNaN(toLeft) && Number.isNaN(toRight))) {
      let takeRight: boolean;
      if (Number.isNaN(toLeft)) takeRight = true;
      else if (Number.isNaN(toRight)) takeRight = false;
      else {
        // Equal (or both infinite) distances alternate sides so neither side starves.
        takeRight = toRight < toLeft || (toRight === toLeft && preferRight);
        if (toRight === toLeft) preferRight = !preferRight;
      }
      let taken: number;
      if (takeRight) {
        taken = right;
        right = this.next[right] as number;
        toRight = this.distance(right, group, key, crossGroups);
      } else {
        taken = left;
        left = this.previous[left] as number;
        toLeft = this.distance(left, group, key, crossGroups);
      }
      steps++;
      const entryIndex = this.entryAt[taken] as number;
      // A ticket batched under several groups sits beside itself only across groups.
      if (this.backfill[entryIndex] === 1 || entryIndex === anchorIndex) continue;
      if (this.shares[entryIndex] === 1 && isStale(entryIndex)) staleOut.push(entryIndex);
      else out.push(entryIndex);
    }
    return steps;
  }
}
