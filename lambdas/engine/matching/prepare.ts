import type { Player, PoolTicket } from '../model';
import { partyNumber } from '../rules/expressions';
import type { AttributeSpec, Expandable, QueueProgram } from '../rules/program';
import { stableOrderByKey } from './sorting';
import type { InvalidBackfill } from './types';

/**
 * The pool's usable tickets ("entries"), numbered from 0, with everything the pass needs
 * precomputed once, so the per-anchor work never re-reads attributes or re-runs filters. An
 * entry is its number: each fact is a column indexed by it, mostly a typed array. The pass
 * reads these facts for tickets in batching order, which is not the order tickets lie in
 * memory; an object per entry (plus a box per number field) would cost cache misses per ticket
 * per window, and 100k long-lived objects per pass for the garbage collector to copy.
 */
export interface EntryTable {
  count: number;
  /** The pool; an entry's ticket is `pool[poolIndex[entry]]` (see ticketOf). */
  pool: readonly PoolTicket[];
  poolIndex: Int32Array;
  /** 1 for a backfill ticket. */
  backfill: Uint8Array;
  /** Players this ticket adds to a match: all of a matchmaking ticket's, none of a backfill's. */
  size: Int32Array;
  /**
   * Batching group (region, string sort attributes) as a rank among the pool's groups, so
   * comparing two is one integer comparison; tickets of different groups are far apart.
   * The ticket's preferred group: `groups[entry][0]`.
   */
  group: Int32Array;
  /**
   * Every group the ticket is batched under, preferred first (more than one when a latency rule
   * lets it play in several regions), as one of the pool's few distinct lists: the entry's
   * list is `groupLists[groupList[entry]]` (see groupsOf).
   */
  groupList: Int32Array;
  groupLists: readonly (readonly number[])[];
  /** 1 when some player of this ticket is on another ticket too: check it against matched players. */
  sharesPlayers: Uint8Array;
  /** Per slot: may this ticket's party play there (slot-specific player filters)? None: anywhere. */
  allowedSlots: Map<number, readonly boolean[]>;
  /** How many slots the party may play on; the most constrained parties are packed first. */
  allowedSlotCount: Int32Array;
  /** Backfill tickets only: the players already in the game session, per slot index. */
  fixedPlayers: Map<number, Player[][]>;
  /** Numeric batching key (the neighbour attribute, party average); NaN when absent. */
  sortValue: Float64Array;
  /** The ticket's start time. */
  startTime: Float64Array;
  /** Position in the pool's age order (oldest 0; ties by ticket id): FIFO as one integer. */
  ageRank: Int32Array;
}

export function ticketOf(entries: EntryTable, entry: number): PoolTicket {
  return entries.pool[entries.poolIndex[entry] as number] as PoolTicket;
}

export function groupsOf(entries: EntryTable, entry: number): readonly number[] {
  return entries.groupLists[entries.groupList[entry] as number] as readonly number[];
}

export interface PreparedPool {
  entries: EntryTable;
  invalidBackfills: InvalidBackfill[];
  filteredOut: number;
  /** The number attribute used for batching and team balance, if the program has one. */
  neighbourSpec: AttributeSpec | undefined;
  /** Entries oldest first (the order of `ageRank`). */
  byAge: Int32Array;
  /**
   * Entries by batching key (missing keys last), then age: 0, 1, 2, ..., since entries are
   * numbered in this order (see renumberByKey).
   */
  byKey: Int32Array;
}

/** The largest value an expandable ever takes (its base or any step). */
export function largestValue(parameter: Expandable): number {
  let largest = parameter.base;
  for (const step of parameter.steps) if (step.value > largest) largest = step.value;
  return largest;
}

function numberSpec(program: QueueProgram, name: string | undefined): AttributeSpec | undefined {
  if (name === undefined) return undefined;
  const spec = program.environment.attributes.get(name);
  return spec?.type === 'number' ? spec : undefined;
}

/** Rules that reject candidates outright weigh most when choosing the batching key. */
const MEASURING_RULE_RANK: Readonly<Record<string, number>> = {
  distance: 0,
  batchDistance: 0,
  DifferenceRule: 0,
  comparison: 1,
  distanceSort: 2,
  absoluteSort: 2,
};

/**
 * The attribute that lines the pool up into batches, derived from what the rules measure and
 * never from the order attributes are declared in: the designer's explicit balancedAttribute,
 * else the first number attribute of sortByAttributes, else the attribute measured by the first
 * rejecting rule (distance, batchDistance, difference), then comparison, then sort rules. With
 * none of them the pool has no key and batches follow age.
 */
export function chooseNeighbourAttribute(
  program: QueueProgram,
  override: string | undefined,
): AttributeSpec | undefined {
  if (override !== undefined) {
    const spec = numberSpec(program, override);
    if (spec === undefined) throw new Error(`neighbourAttribute "${override}" is not a number attribute`);
    return spec;
  }
  const balanced = numberSpec(program, program.algorithm.balancedAttribute);
  if (balanced !== undefined) return balanced;
  for (const name of program.algorithm.sortByAttributes) {
    const spec = numberSpec(program, name);
    if (spec !== undefined) return spec;
  }
  let best: AttributeSpec | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const rule of program.matchRules) {
    const rank = MEASURING_RULE_RANK[rule.sourceType];
    if (rank === undefined || rank >= bestRank) continue;
    const spec = numberSpec(program, rule.measuredAttribute);
    if (spec === undefined) continue;
    best = spec;
    bestRank = rank;
  }
  return best;
}

/** String attributes of sortByAttributes group the pool (FlexMatch's example sorts by map first). */
function groupingSpecs(program: QueueProgram): AttributeSpec[] {
  const specs: AttributeSpec[] = [];
  for (const name of program.algorithm.sortByAttributes) {
    const spec = program.environment.attributes.get(name);
    if (spec?.type === 'string') specs.push(spec);
  }
  return specs;
}

function partyLatency(players: readonly Player[], region: string): number {
  let total = 0;
  for (const player of players) {
    if (!Object.hasOwn(player.latencyInMs, region)) return Number.NaN;
    total += player.latencyInMs[region] as number;
  }
  return total / players.length;
}

function reportedRegions(players: readonly Player[]): string[] {
  const first = players[0];
  return first === undefined ? [] : Object.keys(first.latencyInMs);
}

/** The region with the lowest party latency; ties broken by name for determinism. */
function fastestRegion(players: readonly Player[]): string {
  let best = '';
  let bestLatency = Number.POSITIVE_INFINITY;
  for (const region of reportedRegions(players)) {
    const latency = partyLatency(players, region);
    if (latency < bestLatency || (latency === bestLatency && region < best)) {
      best = region;
      bestLatency = latency;
    }
  }
  return best;
}

/** A ticket's batching groups, most preferred first: one, or one per playable region. */
type Grouper = (players: readonly Player[], ageMs: number) => string[];

function makeGrouper(program: QueueProgram, pool: readonly PoolTicket[]): Grouper {
  const stringSpecs = groupingSpecs(program);
  const preference = program.algorithm.batchingPreference;
  let regions: ((players: readonly Player[], ageMs: number) => string[]) | undefined;
  const hasLatencyRule = program.matchRules.some((rule) => rule.sourceType === 'latency');
  const playable = program.playableRegions;
  if (preference === 'fastestRegion') {
    regions = (players) => [fastestRegion(players)];
  } else if (preference === 'largestPopulation') {
    // Batches form where the most tickets can play: each ticket joins its best-populated region.
    const population = new Map<string, number>();
    for (const ticket of pool) {
      for (const name of reportedRegions(ticket.players))
        population.set(name, (population.get(name) ?? 0) + 1);
    }
    regions = (players) => {
      let best = '';
      let bestCount = -1;
      for (const name of reportedRegions(players)) {
        const count = population.get(name) ?? 0;
        if (count > bestCount || (count === bestCount && name < best)) {
          best = name;
          bestCount = count;
        }
      }
      return [best];
    };
  } else if (hasLatencyRule && playable !== undefined) {
    // A latency rule needs one region good for everyone: batch each ticket under every region it
    // may play in (not only its fastest), so two players whose fastest regions differ still meet.
    regions = (players, ageMs) => {
      const found = playable(players, ageMs);
      return found.length > 0 ? found : [fastestRegion(players)];
    };
  } else if (hasLatencyRule) {
    regions = (players) => [fastestRegion(players)];
  }
  if (regions === undefined && stringSpecs.length === 0) {
    const single = [''];
    return () => single;
  }
  const regionsOnly = regions;
  if (regionsOnly !== undefined && stringSpecs.length === 0) return regionsOnly;
  return (players, ageMs) => {
    const first = players[0];
    const suffix = stringSpecs.map((spec) => {
      const supplied = first === undefined ? undefined : first.attributes[spec.name];
      return supplied?.kind === 'string' ? supplied.value : String(spec.defaultValue ?? '');
    });
    const names = regions === undefined ? [undefined] : regions(players, ageMs);
    return names.map((region) => (region === undefined ? suffix : [region, ...suffix]).join('\u0000'));
  };
}

/** Maps a backfill player's team to a slot index, or explains why it can't. */
function resolveTeam(program: QueueProgram, team: string): number | string {
  const exact = program.teamSlots.find((slot) => slot.name === team);
  if (exact !== undefined) return exact.index;
  const copies = program.teamSlots.filter((slot) => slot.definitionName === team);
  if (copies.length > 1) {
    return `team "${team}" is ambiguous: the rule set makes ${copies.map((slot) => slot.name).join(', ')} from it`;
  }
  return `team "${team}" is not defined by the rule set (teams: ${program.teamSlots.map((slot) => slot.name).join(', ')})`;
}

function placeBackfillPlayers(program: QueueProgram, ticket: PoolTicket): Player[][] | string {
  const fixed: Player[][] = program.teamSlots.map(() => []);
  const seen = new Set<string>();
  const teamless: Player[] = [];
  for (const player of ticket.players) {
    if (seen.has(player.playerId)) return `player ${player.playerId} is listed twice`;
    seen.add(player.playerId);
    if (player.team === undefined || player.team === '') {
      teamless.push(player);
      continue;
    }
    const slot = resolveTeam(program, player.team);
    if (typeof slot === 'string') return `player ${player.playerId}: ${slot}`;
    (fixed[slot] as Player[]).push(player);
  }
  // PlayFab lets backfill members without a team go anywhere: put each where most room is left.
  for (const player of teamless) {
    let best = -1;
    let bestRoom = Number.NEGATIVE_INFINITY;
    for (const slot of program.teamSlots) {
      const room = largestValue(slot.maxPlayers) - (fixed[slot.index] as Player[]).length;
      if (room > bestRoom) {
        best = slot.index;
        bestRoom = room;
      }
    }
    if (best < 0) return 'the rule set defines no teams';
    (fixed[best] as Player[]).push(player);
  }
  for (const slot of program.teamSlots) {
    const count = (fixed[slot.index] as Player[]).length;
    const limit = largestValue(slot.maxPlayers);
    if (count > limit) return `team "${slot.name}" has ${count} players, more than its maxPlayers ${limit}`;
  }
  return fixed;
}

/**
 * Turns the pool into entries: drops duplicate and empty tickets, tickets whose party can
 * never fit a team, and tickets failing the program's player filters; validates backfill
 * tickets' teams.
 */
export function preparePool(
  program: QueueProgram,
  pool: readonly PoolTicket[],
  nowMs: number,
  neighbourOverride: string | undefined,
): PreparedPool {
  const neighbourSpec = chooseNeighbourAttribute(program, neighbourOverride);
  const grouper = makeGrouper(program, pool);
  const largestTeam = Math.max(0, ...program.teamSlots.map((slot) => largestValue(slot.maxPlayers)));
  const globalFilters = program.playerFilters.filter((filter) => filter.slots === 'all');
  const slotFilters = program.playerFilters.filter((filter) => filter.slots !== 'all');
  // With the oldest ticket driving expansions, a ticket is judged at the oldest age in the pool;
  // with the newest (default), never at more than its own age.
  // The walk for the oldest start only then: it reads every ticket object once more.
  const byOldest = program.algorithm.expansionAgeSelection === 'oldest';
  let oldestStart = Number.POSITIVE_INFINITY;
  for (let index = 0; byOldest && index < pool.length; index++) {
    const startTime = (pool[index] as PoolTicket).startTime;
    if (startTime < oldestStart) oldestStart = startTime;
  }
  const oldestAge = Number.isFinite(oldestStart) ? Math.max(0, nowMs - oldestStart) : 0;

  const groupLists = new GroupLists();
  // Typed columns sized for the whole pool: entries are at most as many as tickets.
  const entries: EntryTable = {
    count: 0,
    pool,
    poolIndex: new Int32Array(pool.length),
    backfill: new Uint8Array(pool.length),
    size: new Int32Array(pool.length),
    group: new Int32Array(pool.length),
    groupList: new Int32Array(pool.length),
    groupLists: groupLists.lists,
    sharesPlayers: new Uint8Array(pool.length),
    allowedSlots: new Map(),
    allowedSlotCount: new Int32Array(pool.length),
    fixedPlayers: new Map(),
    sortValue: new Float64Array(pool.length),
    startTime: new Float64Array(pool.length),
    ageRank: new Int32Array(pool.length),
  };
  const invalidBackfills: InvalidBackfill[] = [];
  const playersRepeat = somePlayerRepeats(pool);
  // A ticket read twice repeats its players (or has none), so only then can an id repeat: a
  // pool read from a store keyed by ticket id has no two tickets with one id and other players.
  const seenTickets = playersRepeat ? new Set<string>() : undefined;
  let filteredOut = 0;
  // Indexed loops over the pool here and below: in code that runs once per pass, for...of
  // allocates an iterator result per step until the optimiser steps in.
  for (let poolIndex = 0; poolIndex < pool.length; poolIndex++) {
    const ticket = pool[poolIndex] as PoolTicket;
    // One hash lookup per ticket: the set grows unless the id was seen already.
    if (seenTickets !== undefined) {
      const seenBefore = seenTickets.size;
      seenTickets.add(ticket.ticketId);
      if (seenTickets.size === seenBefore) {
        filteredOut++;
        continue;
      }
    }
    const backfill = ticket.kind === 'backfill';
    let fixedPlayers: Player[][] | undefined;
    if (backfill) {
      const placed = placeBackfillPlayers(program, ticket);
      if (typeof placed === 'string') {
        invalidBackfills.push({ ticketId: ticket.ticketId, reason: placed });
        continue;
      }
      fixedPlayers = placed;
    } else {
      if (ticket.players.length === 0 || ticket.players.length > largestTeam) {
        filteredOut++;
        continue;
      }
    }
    const filterAge = byOldest ? oldestAge : Math.max(0, nowMs - ticket.startTime);
    let allowedSlots: boolean[] | undefined;
    if (!backfill) {
      // Filters are necessary conditions of match rules: a failing party can't be in any match.
      if (failsSomeFilter(globalFilters, ticket.players, filterAge)) {
        filteredOut++;
        continue;
      }
      if (slotFilters.length > 0) {
        allowedSlots = program.teamSlots.map((slot) =>
          slotFilters.every(
            (filter) =>
              filter.slots === 'all' ||
              !filter.slots.includes(slot.index) ||
              filter.test(ticket.players, filterAge) === undefined,
          ),
        );
        if (
          !allowedSlots.some((allowed, slot) => allowed && fitsSlot(program, slot, ticket.players.length))
        ) {
          filteredOut++;
          continue;
        }
      }
    }
    const entry = entries.count++;
    entries.poolIndex[entry] = poolIndex;
    entries.groupList[entry] = groupLists.intern(grouper(ticket.players, filterAge));
    entries.backfill[entry] = backfill ? 1 : 0;
    entries.size[entry] = backfill ? 0 : ticket.players.length;
    entries.startTime[entry] = ticket.startTime;
    entries.sortValue[entry] =
      neighbourSpec === undefined || ticket.players.length === 0
        ? Number.NaN
        : partyNumber(ticket.players, neighbourSpec, 'avg', undefined);
    if (allowedSlots !== undefined) entries.allowedSlots.set(entry, allowedSlots);
    entries.allowedSlotCount[entry] =
      allowedSlots === undefined ? program.teamSlots.length : allowedSlots.filter(Boolean).length;
    if (fixedPlayers !== undefined) entries.fixedPlayers.set(entry, fixedPlayers);
  }
  // Group ids become ranks by name only now, in the shared lists: read each preferred group after.
  groupLists.rankByName();
  for (let entry = 0; entry < entries.count; entry++) entries.group[entry] = groupsOf(entries, entry)[0] ?? 0;
  const byAgeInPoolOrder = rankAges(entries);
  if (playersRepeat) markSharedPlayers(entries);
  const { renumbered, byAge, byKey } = renumberByKey(entries, byAgeInPoolOrder);
  return { entries: renumbered, invalidBackfills, filteredOut, neighbourSpec, byAge, byKey };
}

function failsSomeFilter(
  filters: QueueProgram['playerFilters'],
  players: readonly Player[],
  ageMs: number,
): boolean {
  for (const filter of filters) if (filter.test(players, ageMs) !== undefined) return true;
  return false;
}

function fitsSlot(program: QueueProgram, slotIndex: number, size: number): boolean {
  const slot = program.teamSlots[slotIndex];
  return slot !== undefined && largestValue(slot.maxPlayers) >= size;
}

interface GroupListNode {
  /** Position of the node's list in `lists`, -1 until one ends here. */
  list: number;
  next: Map<string, GroupListNode>;
}

/**
 * Each distinct list of group names becomes one array of group ids shared by every ticket
 * with that list (a pool has a handful: one per region preference), found by walking a trie
 * of names, so a ticket costs no new arrays; a ticket keeps the list's position. Ids are
 * handed out as names come; `rankByName` then renumbers them in name order, so comparing two
 * groups is one integer comparison.
 */
class GroupLists {
  private readonly ids = new Map<string, number>();
  private readonly root: GroupListNode = { list: -1, next: new Map() };
  readonly lists: number[][] = [];

  /** The position in `lists` of the list of these names' ids. */
  intern(names: readonly string[]): number {
    let node = this.root;
    for (let at = 0; at < names.length; at++) {
      const name = names[at] as string;
      let child = node.next.get(name);
      if (child === undefined) {
        child = { list: -1, next: new Map() };
        node.next.set(name, child);
      }
      node = child;
    }
    if (node.list < 0) {
      node.list = this.lists.length;
      this.lists.push(
        names.map((name) => {
          let id = this.ids.get(name);
          if (id === undefined) {
            id = this.ids.size;
            this.ids.set(name, id);
          }
          return id;
        }),
      );
    }
    return node.list;
  }

  rankByName(): void {
    const rankOfId = new Int32Array(this.ids.size);
    [...this.ids.keys()].sort().forEach((name, rank) => {
      rankOfId[this.ids.get(name) as number] = rank;
    });
    for (const list of this.lists)
      for (let at = 0; at < list.length; at++) list[at] = rankOfId[list[at] as number] as number;
  }
}

/**
 * The same entries numbered in batching-key order (missing keys last, then age) instead of pool
 * order. A window is an anchor's neighbours in key order, so the columns it reads (keys, ages,
 * sizes, links) then lie side by side in memory, not a cache miss apart on a large pool.
 * Nothing the pass decides depends on the numbering itself: ties are broken by age rank,
 * which was ranked in pool order before (see rankAges).
 */
function renumberByKey(
  entries: EntryTable,
  byAge: Int32Array,
): { renumbered: EntryTable; byAge: Int32Array; byKey: Int32Array } {
  const count = entries.count;
  const sortKey = new Float64Array(count);
  for (let entry = 0; entry < count; entry++) {
    const sortValue = entries.sortValue[entry] as number;
    sortKey[entry] = Number.isNaN(sortValue) ? Number.POSITIVE_INFINITY : sortValue;
  }
  /** New number → old number. */
  const oldOf = stableOrderByKey(byAge, sortKey);
  const newOf = new Int32Array(count);
  const renumbered: EntryTable = {
    count,
    pool: entries.pool,
    poolIndex: new Int32Array(count),
    backfill: new Uint8Array(count),
    size: new Int32Array(count),
    group: new Int32Array(count),
    groupList: new Int32Array(count),
    groupLists: entries.groupLists,
    sharesPlayers: new Uint8Array(count),
    allowedSlots: new Map(),
    allowedSlotCount: new Int32Array(count),
    fixedPlayers: new Map(),
    sortValue: new Float64Array(count),
    startTime: new Float64Array(count),
    ageRank: new Int32Array(count),
  };
  for (let entry = 0; entry < count; entry++) {
    const old = oldOf[entry] as number;
    newOf[old] = entry;
    renumbered.poolIndex[entry] = entries.poolIndex[old] as number;
    renumbered.groupList[entry] = entries.groupList[old] as number;
    renumbered.backfill[entry] = entries.backfill[old] as number;
    renumbered.size[entry] = entries.size[old] as number;
    renumbered.group[entry] = entries.group[old] as number;
    renumbered.sharesPlayers[entry] = entries.sharesPlayers[old] as number;
    renumbered.allowedSlotCount[entry] = entries.allowedSlotCount[old] as number;
    renumbered.sortValue[entry] = entries.sortValue[old] as number;
    renumbered.startTime[entry] = entries.startTime[old] as number;
    renumbered.ageRank[entry] = entries.ageRank[old] as number;
  }
  for (const [old, slots] of entries.allowedSlots) renumbered.allowedSlots.set(newOf[old] as number, slots);
  for (const [old, players] of entries.fixedPlayers)
    renumbered.fixedPlayers.set(newOf[old] as number, players);
  const renumberedByAge = new Int32Array(count);
  for (let rank = 0; rank < count; rank++) renumberedByAge[rank] = newOf[byAge[rank] as number] as number;
  const byKey = new Int32Array(count);
  for (let entry = 0; entry < count; entry++) byKey[entry] = entry;
  return { renumbered, byAge: renumberedByAge, byKey };
}

/** Fills `entries.ageRank` and returns the entries oldest first. */
function rankAges(entries: EntryTable): Int32Array {
  const startTimes = new Float64Array(entries.count);
  const indices = new Int32Array(entries.count);
  // Ticket ids gathered in entry order (the tickets lie in memory in about that order), so the
  // tie-breaks below, which visit entries in age order, read no ticket object.
  const ticketIds: string[] = new Array(entries.count);
  for (let entry = 0; entry < entries.count; entry++) {
    const startTime = entries.startTime[entry] as number;
    startTimes[entry] = Number.isNaN(startTime) ? Number.POSITIVE_INFINITY : startTime;
    indices[entry] = entry;
    ticketIds[entry] = ticketOf(entries, entry).ticketId;
  }
  const byAge = stableOrderByKey(indices, startTimes);
  // Equal start times (common: milliseconds) are ordered by ticket id, so runs repeat whatever
  // order the pool was read in. Such runs are short.
  const byTicketId = (left: number, right: number): number => {
    const leftId = ticketIds[left] as string;
    const rightId = ticketIds[right] as string;
    return leftId < rightId ? -1 : leftId > rightId ? 1 : left - right;
  };
  // Insertion sort within each run of equal start times.
  for (let at = 1; at < byAge.length; at++) {
    const moving = byAge[at] as number;
    const start = startTimes[moving] as number;
    let to = at;
    while (
      to > 0 &&
      startTimes[byAge[to - 1] as number] === start &&
      byTicketId(byAge[to - 1] as number, moving) > 0
    ) {
      byAge[to] = byAge[to - 1] as number;
      to--;
    }
    byAge[to] = moving;
  }
  for (let rank = 0; rank < byAge.length; rank++) entries.ageRank[byAge[rank] as number] = rank;
  return byAge;
}

/** FNV-1a over a string's UTF-16 code units: a 32-bit hash computed without allocating. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  // As a signed 32-bit integer, as the table stores it (an empty id never went through imul).
  return hash | 0;
}

/**
 * Whether any player id occurs twice in the pool (on two tickets or twice on one), or some
 * ticket has no players; the pass skips every duplicate check when neither happens. An open
 * addressing table on typed arrays sized once for the pool, not a Set: a Set of 100k ids grows
 * by rehashing many times and spreads its entries over several megabytes, and this check reads
 * every id of the pool, which nothing else in the pass does.
 */
function somePlayerRepeats(pool: readonly PoolTicket[]): boolean {
  let playerCount = 0;
  for (let index = 0; index < pool.length; index++) {
    const size = (pool[index] as PoolTicket).players.length;
    if (size === 0) return true;
    playerCount += size;
  }
  // At most half full, so probe runs stay short.
  let capacity = 2;
  while (capacity < 2 * playerCount) capacity *= 2;
  const mask = capacity - 1;
  /**
   * Per slot, side by side (one cache line per probe): at 2 × slot, 1 + the position of the
   * id in `ids` (0: empty slot); at 2 × slot + 1, the id's hash.
   */
  const slots = new Int32Array(2 * capacity);
  const ids: string[] = new Array(playerCount);
  let stored = 0;
  for (let index = 0; index < pool.length; index++) {
    const ticketPlayers = (pool[index] as PoolTicket).players;
    for (let at = 0; at < ticketPlayers.length; at++) {
      const id = (ticketPlayers[at] as Player).playerId;
      const hash = hashOf(id);
      let slot = hash & mask;
      for (;;) {
        const held = slots[2 * slot] as number;
        if (held === 0) break;
        if (slots[2 * slot + 1] === hash && ids[held - 1] === id) return true;
        slot = (slot + 1) & mask;
      }
      ids[stored] = id;
      stored++;
      slots[2 * slot] = stored;
      slots[2 * slot + 1] = hash;
    }
  }
  return false;
}

/** Flags tickets sharing a player with another ticket, the only ones a match can invalidate. */
function markSharedPlayers(entries: EntryTable): void {
  const owners = new Map<string, number>();
  for (let entry = 0; entry < entries.count; entry++) {
    for (const player of ticketOf(entries, entry).players) {
      const owner = owners.get(player.playerId);
      if (owner === undefined) owners.set(player.playerId, entry);
      else if (owner !== entry) {
        entries.sharesPlayers[owner] = 1;
        entries.sharesPlayers[entry] = 1;
      }
    }
  }
}
