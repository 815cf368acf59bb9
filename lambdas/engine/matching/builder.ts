import type { Player } from '../model';
import type { CandidateTicket } from '../rules/evaluate';
import { partyNumber } from '../rules/expressions';
import { type ContextPlayer, type MatchContext, type QueueProgram, valueAtAge } from '../rules/program';
import { batchDistance } from './order';
import { type EntryTable, ticketOf } from './prepare';
import { sortSmall } from './sorting';

/**
 * Builds one match around an anchor: picks tickets from the anchor's window greedily, places
 * each party whole on one team (balancing team sizes first, then the balance attribute's sums,
 * which on a sorted list is a snake draft), and hands the result to the rules module. Mutable
 * scratch state is reused across anchors; only `prepareFor` allocates.
 */
export class MatchBuilder {
  private readonly slotCount: number;
  private readonly byOldest: boolean;
  /** Per-slot player count and balance-attribute sum of the players already placed. */
  private readonly counts: number[];
  private readonly sums: number[];
  private readonly maxima: number[];
  private readonly minima: number[];
  private fixedCounts: number[] = [];
  private fixedSums: number[] = [];
  private fixedTickets: CandidateTicket[][] = [];
  private fixedStart = Number.NaN;
  private fixedPlayerIds: string[] = [];
  private preparedForNew = false;

  /** The new tickets (entries) of the current selection and the slot each one sits on. */
  readonly selected: number[] = [];
  readonly slotOf: number[] = [];
  private readonly selectedPlayers = new Set<string>();
  /** Scratch for pack(): placement order, running team counts and sums, and the result. */
  private readonly packOrder: number[] = [];
  private readonly packCounts: number[] = [];
  private readonly packSums: number[] = [];
  private readonly packedSlots: number[] = [];
  private newestStart = Number.NEGATIVE_INFINITY;
  private oldestStart = Number.POSITIVE_INFINITY;
  /** Per entry: batching key (also the balance value of new tickets), start time, size. */
  private readonly sortValue: Float64Array;
  private readonly startTime: Float64Array;
  private readonly size: Int32Array;

  constructor(
    private readonly program: QueueProgram,
    private readonly nowMs: number,
    private readonly balanceValue: (players: readonly Player[]) => number,
    private readonly entries: EntryTable,
  ) {
    this.sortValue = entries.sortValue;
    this.startTime = entries.startTime;
    this.size = entries.size;
    this.slotCount = program.teamSlots.length;
    this.byOldest = program.algorithm.expansionAgeSelection === 'oldest';
    this.counts = new Array(this.slotCount).fill(0);
    this.sums = new Array(this.slotCount).fill(0);
    this.maxima = new Array(this.slotCount).fill(0);
    this.minima = new Array(this.slotCount).fill(0);
  }

  /**
   * Sets the fixed part of the match: nothing for a new match (`backfillEntry` -1), the game's
   * players for a backfill.
   */
  prepareFor(backfillEntry: number): void {
    // New matches follow one another: their (empty) fixed part is already in place.
    if (backfillEntry < 0 && this.preparedForNew) return;
    this.preparedForNew = backfillEntry < 0;
    const backfill = backfillEntry < 0 ? undefined : ticketOf(this.entries, backfillEntry);
    const fixedPlayers = backfillEntry < 0 ? undefined : this.entries.fixedPlayers.get(backfillEntry);
    this.fixedCounts = new Array(this.slotCount).fill(0);
    this.fixedSums = new Array(this.slotCount).fill(0);
    this.fixedTickets = [];
    this.fixedStart = Number.NaN;
    this.fixedPlayerIds = backfill === undefined ? [] : backfill.players.map((player) => player.playerId);
    for (let slot = 0; slot < this.slotCount; slot++) {
      const players = fixedPlayers?.[slot] ?? [];
      this.fixedCounts[slot] = players.length;
      let sum = 0;
      for (const player of players) {
        const value = this.balanceValue([player]);
        if (!Number.isNaN(value)) sum += value;
      }
      this.fixedSums[slot] = sum;
      // Each existing player is its own party: they are individuals already placed on teams,
      // and one party spanning both teams would blend their attributes across teams.
      this.fixedTickets.push(
        players.map((player) => ({
          ticketId: `${backfill?.ticketId}/${player.playerId}`,
          startTime: backfill?.startTime ?? 0,
          players: [player],
        })),
      );
      if (players.length > 0 && backfill !== undefined) this.fixedStart = backfill.startTime;
    }
  }

  reset(): void {
    this.selected.length = 0;
    this.slotOf.length = 0;
    this.selectedPlayers.clear();
    // A player already in the game can't join it a second time from another ticket.
    for (const playerId of this.fixedPlayerIds) this.selectedPlayers.add(playerId);
    for (let slot = 0; slot < this.slotCount; slot++) {
      this.counts[slot] = this.fixedCounts[slot] as number;
      this.sums[slot] = this.fixedSums[slot] as number;
    }
    this.newestStart = Number.isNaN(this.fixedStart) ? Number.NEGATIVE_INFINITY : this.fixedStart;
    this.oldestStart = Number.isNaN(this.fixedStart) ? Number.POSITIVE_INFINITY : this.fixedStart;
    this.refreshBounds(this.drivingAge());
  }

  get newPlayerCount(): number {
    let total = 0;
    for (const entry of this.selected) total += this.size[entry] as number;
    return total;
  }

  /** The age that would drive expansions with the current selection (plus one more start time). */
  drivingAge(extraStart?: number): number {
    let newest = this.newestStart;
    let oldest = this.oldestStart;
    if (extraStart !== undefined) {
      if (extraStart > newest) newest = extraStart;
      if (extraStart < oldest) oldest = extraStart;
    }
    const start = this.byOldest ? oldest : newest;
    return Number.isFinite(start) ? Math.max(0, this.nowMs - start) : 0;
  }

  private refreshBounds(ageMs: number): void {
    for (const slot of this.program.teamSlots) {
      this.maxima[slot.index] = valueAtAge(slot.maxPlayers, ageMs);
      this.minima[slot.index] = valueAtAge(slot.minPlayers, ageMs);
    }
  }

  /** Room left for new players, given the bounds at the current driving age. */
  openRoom(): number {
    let room = 0;
    for (let slot = 0; slot < this.slotCount; slot++) {
      room += Math.max(0, (this.maxima[slot] as number) - (this.counts[slot] as number));
    }
    return room;
  }

  conflicts(entry: number): boolean {
    // A ticket sharing no player with any other ticket of the pool (the backfill's included)
    // can't repeat a selected or fixed player: only sharing tickets are checked and recorded.
    if (this.entries.sharesPlayers[entry] !== 1) return false;
    for (const player of ticketOf(this.entries, entry).players)
      if (this.selectedPlayers.has(player.playerId)) return true;
    return false;
  }

  /**
   * The slot a party should join: one it may play on with room for all of it; below its
   * minimum first, then the one with the most open slots, then the lowest balance sum (a snake
   * draft on a sorted list), then program order.
   */
  private chooseSlot(entry: number, counts: readonly number[], sums: readonly number[]): number {
    let best = -1;
    const size = this.size[entry] as number;
    const allowedSlots = this.allowedSlotsOf(entry);
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (allowedSlots !== undefined && allowedSlots[slot] !== true) continue;
      const count = counts[slot] as number;
      if (count + size > (this.maxima[slot] as number)) continue;
      if (best < 0) {
        best = slot;
        continue;
      }
      const belowMinimum = count < (this.minima[slot] as number);
      const bestCount = counts[best] as number;
      const bestBelowMinimum = bestCount < (this.minima[best] as number);
      if (belowMinimum !== bestBelowMinimum) {
        if (belowMinimum) best = slot;
        continue;
      }
      // FlexMatch fills the team with the most open slots next (teams may differ in size).
      const open = (this.maxima[slot] as number) - count;
      const bestOpen = (this.maxima[best] as number) - bestCount;
      if (open !== bestOpen) {
        if (open > bestOpen) best = slot;
        continue;
      }
      if ((sums[slot] as number) < (sums[best] as number)) best = slot;
    }
    return best;
  }

  /** Which slots an entry's party may play on (slot-specific player filters); undefined: any. */
  private allowedSlotsOf(entry: number): readonly boolean[] | undefined {
    return this.entries.allowedSlots.size === 0 ? undefined : this.entries.allowedSlots.get(entry);
  }

  private commit(entry: number, slot: number): void {
    this.selected.push(entry);
    this.slotOf.push(slot);
    if (slot >= 0) {
      const size = this.size[entry] as number;
      this.counts[slot] = (this.counts[slot] as number) + size;
      const value = this.sortValue[entry] as number;
      if (!Number.isNaN(value)) this.sums[slot] = (this.sums[slot] as number) + value * size;
    }
    if (this.entries.sharesPlayers[entry] === 1)
      for (const player of ticketOf(this.entries, entry).players) this.selectedPlayers.add(player.playerId);
    const startTime = this.startTime[entry] as number;
    if (startTime > this.newestStart) this.newestStart = startTime;
    if (startTime < this.oldestStart) this.oldestStart = startTime;
  }

  /**
   * Adds a ticket if it fits without breaking any team's maximum at the age the match would
   * then have; when no team has room for the party as placed, tries a fresh packing.
   */
  tryAdd(entry: number): boolean {
    if (this.conflicts(entry)) return false;
    const ageMs = this.drivingAge(this.startTime[entry] as number);
    this.refreshBounds(ageMs);
    for (let slot = 0; slot < this.slotCount; slot++) {
      if ((this.counts[slot] as number) > (this.maxima[slot] as number)) {
        this.refreshBounds(this.drivingAge());
        return false;
      }
    }
    const slot = this.chooseSlot(entry, this.counts, this.sums);
    if (slot >= 0) {
      this.commit(entry, slot);
      return true;
    }
    this.selected.push(entry);
    const packed = this.pack();
    this.selected.pop();
    if (packed === undefined) {
      this.refreshBounds(this.drivingAge());
      return false;
    }
    // Slot -1 is a placeholder: adopt() recounts every team from the fresh packing.
    this.commit(entry, -1);
    this.adopt(packed);
    return true;
  }

  /** Re-places every selected party from scratch, big parties and high balance values first. */
  rebalance(): boolean {
    this.refreshBounds(this.drivingAge());
    const packed = this.pack();
    if (packed === undefined) return false;
    this.adopt(packed);
    return true;
  }

  private adopt(packed: readonly number[]): void {
    for (let slot = 0; slot < this.slotCount; slot++) {
      this.counts[slot] = this.fixedCounts[slot] as number;
      this.sums[slot] = this.fixedSums[slot] as number;
    }
    for (let index = 0; index < this.selected.length; index++) {
      const entry = this.selected[index] as number;
      const slot = packed[index] as number;
      const size = this.size[entry] as number;
      this.slotOf[index] = slot;
      this.counts[slot] = (this.counts[slot] as number) + size;
      const value = this.sortValue[entry] as number;
      if (!Number.isNaN(value)) this.sums[slot] = (this.sums[slot] as number) + value * size;
    }
  }

  /**
   * Places every selected party afresh: the slot of each selected ticket (by position in
   * `selected`), or undefined when some party fits nowhere. Works in reused scratch arrays.
   */
  private pack(): readonly number[] | undefined {
    const order = this.packOrder;
    order.length = 0;
    for (let index = 0; index < this.selected.length; index++) order.push(index);
    sortSmall(order, (left, right) =>
      this.comparePackingOrder(this.selected[left] as number, this.selected[right] as number),
    );
    const counts = this.packCounts;
    const sums = this.packSums;
    for (let slot = 0; slot < this.slotCount; slot++) {
      counts[slot] = this.fixedCounts[slot] as number;
      sums[slot] = this.fixedSums[slot] as number;
    }
    const placed = this.packedSlots;
    placed.length = this.selected.length;
    for (const index of order) {
      const entry = this.selected[index] as number;
      const slot = this.chooseSlot(entry, counts, sums);
      if (slot < 0) return undefined;
      const size = this.size[entry] as number;
      placed[index] = slot;
      counts[slot] = (counts[slot] as number) + size;
      const value = this.sortValue[entry] as number;
      if (!Number.isNaN(value)) sums[slot] = (sums[slot] as number) + value * size;
    }
    return placed;
  }

  meetsMinimums(): boolean {
    for (let slot = 0; slot < this.slotCount; slot++) {
      if ((this.counts[slot] as number) < (this.minima[slot] as number)) return false;
    }
    return true;
  }

  /** How many players are on a slot: the game's (a backfill's) and the selected ones. */
  playersOn(slot: number): number {
    return this.counts[slot] as number;
  }

  /**
   * Every ticket of the match on one slot, in the order the rules and the proposal see them:
   * the game's players first (a backfill's), then the selected tickets placed there, in the
   * order they were selected. `visit` gets each ticket with the entry it comes from (-1 for
   * the game's players).
   */
  forEachTicketOn(slot: number, visit: (ticket: CandidateTicket, entry: number) => void): void {
    for (const fixed of this.fixedTickets[slot] ?? []) visit(fixed, -1);
    for (let index = 0; index < this.selected.length; index++) {
      if (this.slotOf[index] !== slot) continue;
      const entry = this.selected[index] as number;
      visit(ticketOf(this.entries, entry), entry);
    }
  }

  /**
   * The selection as the rules module's evaluation context, built straight from the selection
   * rather than from tickets grouped by team name: the same players per slot in the same order,
   * and one party per ticket, numbered as first met. (Matching tickets up by id would read
   * every ticket id string, one cache miss each; pool tickets have distinct ids, and the
   * game's players are one-player tickets of their own.) Call drivingAge() for its age.
   */
  context(): MatchContext {
    const slotPlayers: ContextPlayer[][] = [];
    const parties: (readonly Player[])[] = [];
    for (let slot = 0; slot < this.slotCount; slot++) {
      const players: ContextPlayer[] = [];
      this.forEachTicketOn(slot, (ticket) => {
        const partyIndex = parties.length;
        parties.push(ticket.players);
        for (const player of ticket.players) players.push({ player, partyIndex });
      });
      slotPlayers.push(players);
    }
    return { slotPlayers, parties, missing: undefined };
  }

  /**
   * Selected tickets (all but `keep`) in the order they should be left out: furthest from the
   * anchor in batching terms first, the newest first among equals.
   */
  victimsInOrder(anchor: number, keep: number): number[] {
    const victims = this.selected.filter((entry) => entry !== keep);
    const { ageRank } = this.entries;
    victims.sort((left, right) => {
      const byDistance =
        batchDistance(this.entries, anchor, right) - batchDistance(this.entries, anchor, left);
      if (byDistance !== 0 && !Number.isNaN(byDistance)) return byDistance;
      return (ageRank[right] as number) - (ageRank[left] as number);
    });
    return victims;
  }

  /** The slot a selected ticket sits on. */
  slotOfEntry(entry: number): number {
    return this.slotOf[this.selected.indexOf(entry)] ?? -1;
  }

  /** Fixed (backfill) players per slot as rule candidate tickets. */
  fixedCandidateTickets(slot: number): readonly CandidateTicket[] {
    return this.fixedTickets[slot] ?? [];
  }

  /**
   * Swaps equal-sized parties between teams while that narrows the gap between the highest
   * and lowest team average of the balance attribute: the snake draft gets close, a few swaps
   * get closer. Team sizes never change; at most `maxRounds` swaps.
   */
  improveBalance(maxRounds = 16): void {
    const count = this.selected.length;
    for (let round = 0; round < maxRounds; round++) {
      const current = this.averageGap();
      if (!(current > 0)) return;
      let bestGap = current;
      let bestLeft = -1;
      let bestRight = -1;
      for (let left = 0; left < count; left++) {
        const first = this.selected[left] as number;
        const firstSlot = this.slotOf[left] as number;
        const firstValue = this.sortValue[first] as number;
        const firstSize = this.size[first] as number;
        if (Number.isNaN(firstValue)) continue;
        const firstAllowed = this.allowedSlotsOf(first);
        for (let right = left + 1; right < count; right++) {
          const second = this.selected[right] as number;
          const secondSlot = this.slotOf[right] as number;
          const secondValue = this.sortValue[second] as number;
          if (secondSlot === firstSlot || this.size[second] !== firstSize || Number.isNaN(secondValue))
            continue;
          if (firstAllowed !== undefined && firstAllowed[secondSlot] !== true) continue;
          const secondAllowed = this.allowedSlotsOf(second);
          if (secondAllowed !== undefined && secondAllowed[firstSlot] !== true) continue;
          const moved = (secondValue - firstValue) * firstSize;
          this.sums[firstSlot] = (this.sums[firstSlot] as number) + moved;
          this.sums[secondSlot] = (this.sums[secondSlot] as number) - moved;
          const gap = this.averageGap();
          this.sums[firstSlot] = (this.sums[firstSlot] as number) - moved;
          this.sums[secondSlot] = (this.sums[secondSlot] as number) + moved;
          if (gap < bestGap - 1e-9) {
            bestGap = gap;
            bestLeft = left;
            bestRight = right;
          }
        }
      }
      if (bestLeft < 0) return;
      const first = this.selected[bestLeft] as number;
      const second = this.selected[bestRight] as number;
      const firstSlot = this.slotOf[bestLeft] as number;
      const secondSlot = this.slotOf[bestRight] as number;
      const moved =
        ((this.sortValue[second] as number) - (this.sortValue[first] as number)) *
        (this.size[first] as number);
      this.sums[firstSlot] = (this.sums[firstSlot] as number) + moved;
      this.sums[secondSlot] = (this.sums[secondSlot] as number) - moved;
      this.slotOf[bestLeft] = secondSlot;
      this.slotOf[bestRight] = firstSlot;
    }
  }

  private averageGap(): number {
    let lowest = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (let slot = 0; slot < this.slotCount; slot++) {
      const players = this.counts[slot] as number;
      if (players === 0) continue;
      const mean = (this.sums[slot] as number) / players;
      if (mean < lowest) lowest = mean;
      if (mean > highest) highest = mean;
    }
    return highest - lowest;
  }

  /** Balance value of a whole party, for the fixed players of backfills. */
  static balanceFunction(program: QueueProgram, attribute: string | undefined) {
    const spec = attribute === undefined ? undefined : program.environment.attributes.get(attribute);
    return (players: readonly Player[]): number =>
      spec === undefined || players.length === 0 ? Number.NaN : partyNumber(players, spec, 'avg', undefined);
  }

  /**
   * Parties restricted to fewer teams first, then bigger parties (both are the hard part of
   * packing), then higher balance values.
   */
  private comparePackingOrder(left: number, right: number): number {
    const { allowedSlotCount, size, ageRank } = this.entries;
    const leftAllowed = allowedSlotCount[left] as number;
    const rightAllowed = allowedSlotCount[right] as number;
    if (leftAllowed !== rightAllowed) return leftAllowed - rightAllowed;
    const leftSize = size[left] as number;
    const rightSize = size[right] as number;
    if (leftSize !== rightSize) return rightSize - leftSize;
    const a = this.sortValue[left] as number;
    const b = this.sortValue[right] as number;
    const aMissing = Number.isNaN(a);
    const bMissing = Number.isNaN(b);
    if (aMissing !== bMissing) return aMissing ? 1 : -1;
    if (!aMissing && a !== b) return b - a;
    return (ageRank[left] as number) - (ageRank[right] as number);
  }
}
