/**
 * The matching pass: given a queue program, the tickets in its pool and the time, propose
 * matches. Pure and deterministic: no I/O, no clock, no randomness.
 *
 * How it works (FlexMatch's published algorithm, made sub-quadratic):
 * 1. Preparation, O(n): drop tickets that can never match (failed player filters, empty,
 *    duplicate, party larger than any team); validate backfill tickets' teams (invalid ones are
 *    reported, not matched); compute each ticket's batching group and key.
 * 2. Batching, O(n log n): the pool is sorted once by (group, key) into a linked list. A
 *    ticket's "batch" is its nearest neighbours in that order, gathered by walking outwards from
 *    it: at most `windowSize` tickets, whatever the pool size. The group is the region for
 *    fastestRegion/largestPopulation (and for the default random batching when the rule set has
 *    a latency rule, which needs one region good for everyone) plus the string attributes of
 *    sortByAttributes; the key is a number attribute (see PassOptions.neighbourAttribute).
 * 3. Anchors: seasoned tickets (see seasonedAge) oldest first, so nobody waits forever; then
 *    the others in key order from both ends of the range inwards (see anchorOrder). Backfill
 *    tickets are placed per backfillPriority: `high` all before any new match, `low` after
 *    every new match was tried, `normal` with the matchmaking tickets.
 * 4. Per anchor: the window is ordered (same group first; the rule set's distanceSort,
 *    absoluteSort and batchDistance keys; then age, oldest first), tickets are added greedily
 *    until every team is at its (expanded) maximum, parties are packed whole onto teams
 *    balancing team sizes then the balance attribute (a snake draft), and the rules module
 *    judges the candidate (a few equal-size swaps between teams first narrow the balance
 *    gap). On failure the retries take the anchor's nearest neighbours instead, leaving out one
 *    more ticket each time: one that breaks the rules beside the anchor alone if any, else the
 *    furthest. When the newest ticket's age drives expansions, a last phase keeps only tickets
 *    as seasoned as the anchor. At most `maxEvaluationsPerAnchor` evaluations per anchor.
 * 5. A match removes its tickets from the list in O(1) each, and its players from the pass.
 *
 * A new match holds matchmaking tickets only; a backfill match holds exactly one backfill
 * ticket (its anchor) and at least one matchmaking ticket, so backfill tickets never meet.
 */
import type { PoolTicket } from '../model';
import {
  type CandidateEvaluation,
  type CandidateTicket,
  candidatePasses,
  compareOrderingKeys,
  evaluatePassingContext,
  orderingKeys,
  type QueueProgram,
} from '../rules';
import { fixedValue, type TeamSlot } from '../rules/program';
import { MatchBuilder } from './builder';
import { BatchOrder } from './order';
import { type EntryTable, groupsOf, largestValue, preparePool, ticketOf } from './prepare';
import { sortIndicesByKeys, sortSmall } from './sorting';
import type { MatchedPlayer, PassOptions, PassResult, PassStats, ProposedMatch, ProposedTeam } from './types';

export type * from './types';
export { estimateWaitSeconds, type WaitEstimateInput } from './wait';

const MIN_WINDOW = 32;
const MAX_WINDOW = 1000;

interface PassSettings {
  windowSize: number;
  maxSteps: number;
  maxEvaluations: number;
  maxMatches: number;
}

function settingsFor(program: QueueProgram, options: PassOptions): PassSettings {
  const matchSize = program.teamSlots.reduce((total, slot) => {
    let largest = slot.maxPlayers.base;
    for (const step of slot.maxPlayers.steps) largest = Math.max(largest, step.value);
    return total + largest;
  }, 0);
  const windowSize = Math.max(
    1,
    options.windowSize ?? Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, 4 * matchSize)),
  );
  const balanced = program.algorithm.strategy === 'balanced' || program.algorithm.largeMatch;
  return {
    windowSize,
    // Stale entries (backfill tickets waiting for their turn) are stepped over, within reason.
    maxSteps: windowSize * 4,
    maxEvaluations: Math.max(1, options.maxEvaluationsPerAnchor ?? (balanced ? 3 : 6)),
    maxMatches: options.maxMatches ?? Number.POSITIVE_INFINITY,
  };
}

/** Without expansions, a ticket this old is anchored before fresher ones (PassOptions.seasonedAgeMs). */
export const DEFAULT_SEASONED_AGE_MS = 30_000;

/**
 * The age from which a ticket is seasoned: the first expansion step, or the configured age when
 * that comes sooner (or there are no expansions).
 */
function seasonedAge(program: QueueProgram, options: PassOptions): number {
  let age = options.seasonedAgeMs ?? DEFAULT_SEASONED_AGE_MS;
  for (const expansion of program.expansions)
    for (const step of expansion.steps) if (step.atAgeMs > 0 && step.atAgeMs < age) age = step.atAgeMs;
  return age;
}

/**
 * The order anchors are tried in. Seasoned tickets first, oldest first, so nobody waits forever
 * behind fresher players; then every other ticket in batching order (group, key) from both
 * ends inwards, so matches are cut from the ends of the sorted list towards its middle, like
 * cutting a sorted list into consecutive matches, which strands far fewer players than
 * anchoring by age, and leaves the odd ones over in the dense middle rather than at one end.
 * Backfill tickets go first (`high`), last (`low`, oldest first) or with everyone else
 * (`normal`).
 *
 * Anchor tries in order, as parallel arrays (a pool of 100k tickets makes as many tries): the
 * entry, the group to build in (-1: every group of the ticket, preferred first), and whether
 * the try belongs to the key-order sweep.
 */
interface AnchorTurns {
  entry: Int32Array;
  group: Int32Array;
  sweep: Uint8Array;
  length: number;
}

function anchorOrder(
  program: QueueProgram,
  entries: EntryTable,
  byAge: Int32Array,
  order: BatchOrder,
  seasoned: Uint8Array,
): AnchorTurns {
  const priority = program.algorithm.backfillPriority;
  const turns: AnchorTurns = {
    entry: new Int32Array(order.placementCount + entries.count),
    group: new Int32Array(order.placementCount + entries.count),
    sweep: new Uint8Array(order.placementCount + entries.count),
    length: 0,
  };
  const push = (entryIndex: number, group: number, sweep: boolean): void => {
    turns.entry[turns.length] = entryIndex;
    turns.group[turns.length] = group;
    turns.sweep[turns.length] = sweep ? 1 : 0;
    turns.length++;
  };
  // Per-ticket facts come from typed arrays: the walks below visit tickets in key order, and
  // reading each ticket object there would cost a cache miss per placement on a large pool.
  const backfillTier = (entryIndex: number): boolean => priority !== 'normal' && order.isBackfill(entryIndex);
  const pushTierByAge = (inTier: (entryIndex: number) => boolean): void => {
    for (let rank = 0; rank < byAge.length; rank++) {
      const entryIndex = byAge[rank] as number;
      if (inTier(entryIndex)) push(entryIndex, -1, false);
    }
  };
  if (priority === 'high') pushTierByAge(backfillTier);
  pushTierByAge((entryIndex) => seasoned[entryIndex] === 1 && !backfillTier(entryIndex));
  // Fresh tickets group by group, from both ends of the key range inwards (lowest, highest,
  // second lowest, ...): players at the ends have the fewest neighbours, and a sweep from one
  // end only would leave whoever is at the other end over, pass after pass. Leftovers fall in
  // the dense middle instead, where the next arrivals match them. A fresh backfill ticket
  // anchors once, in all its groups; a matchmaking ticket in each group's batch on its own
  // (once per playable region).
  const pushFresh = (at: number): void => {
    const entryIndex = order.entryIndexAt(at);
    if (seasoned[entryIndex] === 1 || backfillTier(entryIndex)) return;
    if (!order.isBackfill(entryIndex)) push(entryIndex, order.groupAtPosition(at), true);
    else if (order.isPrimaryAt(at)) push(entryIndex, -1, false);
  };
  for (let runStart = 0; runStart < order.placementCount; ) {
    const group = order.groupAtPosition(runStart);
    let runEnd = runStart + 1;
    while (runEnd < order.placementCount && order.groupAtPosition(runEnd) === group) runEnd++;
    for (let low = runStart, high = runEnd - 1; low <= high; ) {
      pushFresh(low++);
      if (low <= high) pushFresh(high--);
    }
    runStart = runEnd;
  }
  if (priority === 'low') pushTierByAge(backfillTier);
  return turns;
}

export function runMatchmakingPass(
  program: QueueProgram,
  pool: readonly PoolTicket[],
  nowMs: number,
  options: PassOptions = {},
): PassResult {
  const settings = settingsFor(program, options);
  const prepared = preparePool(program, pool, nowMs, options.neighbourAttribute);
  const { entries } = prepared;
  // Entries are numbers; their facts are columns (see EntryTable).
  const { backfill: isBackfill, sharesPlayers, sortValue, startTime, ageRank } = entries;
  const stats: PassStats = {
    ticketsInPool: pool.length,
    ticketsFilteredOut: prepared.filteredOut,
    anchorsTried: 0,
    candidatesEvaluated: 0,
    candidatesScanned: 0,
    pairChecks: 0,
    ticketsMatched: 0,
    backfillsFilled: 0,
  };
  const matches: ProposedMatch[] = [];
  const order = new BatchOrder(entries, prepared.byKey);
  const seasonedFromMs = seasonedAge(program, options);
  /** Per entry: 1 when the ticket is seasoned (anchored first, oldest first; see seasonedAge). */
  const seasoned = new Uint8Array(entries.count);
  for (let entry = 0; entry < entries.count; entry++)
    seasoned[entry] = nowMs - (startTime[entry] as number) >= seasonedFromMs ? 1 : 0;
  const anchors = anchorOrder(program, entries, prepared.byAge, order, seasoned);
  // Tickets batched under several groups (playable regions) are met in each group's own list.
  const multiGroup = entries.groupLists.some((groups) => groups.length > 1);
  const builder = new MatchBuilder(
    program,
    nowMs,
    MatchBuilder.balanceFunction(program, prepared.neighbourSpec?.name),
    entries,
  );
  const matchedPlayers = new Set<string>();
  const usesMatchedPlayer = (entry: number): boolean => {
    if (sharesPlayers[entry] !== 1 || matchedPlayers.size === 0) return false;
    for (const player of ticketOf(entries, entry).players)
      if (matchedPlayers.has(player.playerId)) return true;
    return false;
  };
  const ruleOrdering = program.orderingRules.some((rule) => rule.sourceType !== 'sortByAttributes');
  const newestDriven = program.expansions.length > 0 && program.algorithm.expansionAgeSelection !== 'oldest';
  const stepAges = [
    ...new Set(program.expansions.flatMap((expansion) => expansion.steps.map((step) => step.atAgeMs))),
  ];
  /** The latest expansion step an age has reached (0 when none): ages from there on expand alike. */
  const expansionStepReached = (ageMs: number): number => {
    let reached = 0;
    for (const stepAge of stepAges) if (stepAge <= ageMs && stepAge > reached) reached = stepAge;
    return reached;
  };
  const window: number[] = [];
  const nearestFirst: number[] = [];
  const stale: number[] = [];
  const excluded = new Set<number>();
  /** Oldest first; equal start times fall back to the ticket id, so runs repeat (see rankAges). */
  const compareAge = (left: number, right: number): number =>
    (ageRank[left] as number) - (ageRank[right] as number);

  /** Per entry: its batching distance to the current anchor (scratch, rewritten per window). */
  const distanceOf = new Float64Array(entries.count);
  /**
   * Tickets that already anchored in vain this pass come after the others: in a sweep in key
   * order (from either end) those lie behind the anchor and found no match around themselves,
   * while the tickets ahead are the ones a match starting at the anchor needs.
   */
  const failedAnchor = new Uint8Array(entries.count);
  const byDistance = (left: number, right: number): number => {
    const leftFailed = failedAnchor[left] as number;
    if (leftFailed !== failedAnchor[right]) return leftFailed - (failedAnchor[right] as number);
    const toLeft = distanceOf[left] as number;
    const toRight = distanceOf[right] as number;
    if (toLeft !== toRight) return toLeft < toRight ? -1 : 1;
    return compareAge(left, right);
  };
  /**
   * The first try's order: same group first, then the rule set's sort keys, then, for a fresh
   * anchor, nearest in batching terms (its closest partners win, the oldest among equally
   * close ones); for a seasoned or backfill anchor, oldest first, so the longest-waiting
   * players leave first and together (with the newest ticket driving expansions, a fresh
   * partner would take back the expansions an old anchor has earned).
   */
  let nearestReady = false;
  /** The window nearest first (failed anchors last, then oldest among equally near ones). */
  const nearestList = (): readonly number[] => {
    if (!nearestReady) {
      for (const entryIndex of window) nearestFirst.push(entryIndex);
      sortIndicesByKeys(nearestFirst, failedAnchor, distanceOf, ageRank, byDistance);
      nearestReady = true;
    }
    return nearestFirst;
  };
  const orderWindow = (anchor: number, group: number, crossedGroups: boolean): void => {
    let mixedGroups = false;
    const anchorValue = sortValue[anchor] as number;
    for (const entryIndex of window) {
      const distance = Math.abs((sortValue[entryIndex] as number) - anchorValue);
      distanceOf[entryIndex] = Number.isNaN(distance) ? Number.POSITIVE_INFINITY : distance;
      // A walk that stayed in the anchor's group gathered that group's tickets only.
      if (
        crossedGroups &&
        entries.group[entryIndex] !== group &&
        !groupsOf(entries, entryIndex).includes(group)
      )
        mixedGroups = true;
    }
    nearestFirst.length = 0;
    const oldestFirst = isBackfill[anchor] === 1 || seasoned[anchor] === 1;
    if (oldestFirst) {
      // The nearest-first list is only needed for retries: sorted on first use (nearestList()).
      sortIndicesByKeys(window, ageRank, undefined, undefined, compareAge);
      nearestReady = false;
    } else {
      sortIndicesByKeys(window, failedAnchor, distanceOf, ageRank, byDistance);
      for (const entryIndex of window) nearestFirst.push(entryIndex);
      nearestReady = true;
    }
    if (!ruleOrdering && !mixedGroups) return;
    const keys = new Map<number, number[]>();
    if (ruleOrdering) {
      for (const entryIndex of window)
        keys.set(
          entryIndex,
          orderingKeys(program, ticketOf(entries, anchor).players, ticketOf(entries, entryIndex).players),
        );
    }
    // Stable: within equal groups and rule keys the order above stays.
    sortSmall(window, (left, right) => {
      const leftSame = groupsOf(entries, left).includes(group);
      if (leftSame !== groupsOf(entries, right).includes(group)) return leftSame ? -1 : 1;
      return ruleOrdering ? compareOrderingKeys(keys.get(left) ?? [], keys.get(right) ?? []) : 0;
    });
  };

  // The same program without team minimums judges partial candidates: the anchor with one
  // other ticket. Only a hint for which ticket to leave out, never a verdict on a match.
  const withoutMinimums: QueueProgram = {
    ...program,
    teamSlots: program.teamSlots.map((slot) => ({ ...slot, minPlayers: fixedValue(0) })),
  };
  const pairVerdicts = new Map<number, boolean>();
  let anchorAloneVerdict: boolean | undefined;
  /** `other` -1: the anchor alone. */
  const pairPasses = (anchor: number, other: number): boolean => {
    const teams: Record<string, CandidateTicket[]> = {};
    program.teamSlots.forEach((slot) => {
      teams[slot.name] = [...builder.fixedCandidateTickets(slot.index)];
    });
    const anchorSlot = isBackfill[anchor] === 1 ? -1 : builder.slotOfEntry(anchor);
    if (anchorSlot >= 0) teams[program.teamSlots[anchorSlot]?.name ?? '']?.push(ticketOf(entries, anchor));
    if (other >= 0) {
      const otherAllowed = entries.allowedSlots.get(other);
      // Beside the anchor when there is room: apart, team-balance rules would judge the pair alone.
      const room = anchorSlot >= 0 ? (teams[program.teamSlots[anchorSlot]?.name ?? '']?.length ?? 0) : 0;
      const besideAnchor =
        anchorSlot >= 0 &&
        (otherAllowed === undefined || otherAllowed[anchorSlot] === true) &&
        room + (entries.size[other] as number) <=
          largestValue((program.teamSlots[anchorSlot] as TeamSlot).maxPlayers);
      const slot = besideAnchor ? anchorSlot : builder.slotOfEntry(other);
      teams[program.teamSlots[slot]?.name ?? '']?.push(ticketOf(entries, other));
    }
    stats.pairChecks++;
    return candidatePasses(withoutMinimums, { teams }, nowMs);
  };
  /**
   * Which ticket to leave out after a failed candidate: the furthest from the anchor that
   * fails the rules beside the anchor alone (a mode or latency mismatch, say), else simply
   * the furthest. Pair checks only mean something when the anchor alone passes them.
   */
  const chooseVictim = (anchor: number): number | undefined => {
    const victims = builder.victimsInOrder(anchor, isBackfill[anchor] === 1 ? -1 : anchor);
    anchorAloneVerdict ??= pairPasses(anchor, -1);
    if (anchorAloneVerdict) {
      for (const victim of victims) {
        let verdict = pairVerdicts.get(victim);
        if (verdict === undefined) {
          verdict = pairPasses(anchor, victim);
          pairVerdicts.set(victim, verdict);
        }
        if (!verdict) return victim;
      }
    }
    return victims[0];
  };

  /** The last candidate that passed, with its rule report (set when fillFrom returns -1). */
  let passing: CandidateEvaluation | undefined;
  /**
   * Greedy fill from `candidates`, then bounded variations leaving out the ticket furthest
   * from the anchor. Returns the evaluations spent, or -1 when the builder holds a passing match.
   */
  const fillFrom = (
    anchor: number,
    preferred: readonly number[],
    nearest: () => readonly number[],
    budget: number,
  ): number => {
    excluded.clear();
    const anchorIsBackfill = isBackfill[anchor] === 1;
    let evaluations = 0;
    for (let attempt = 0; evaluations < budget && attempt < budget * 4; attempt++) {
      builder.reset();
      if (!anchorIsBackfill && !builder.tryAdd(anchor)) return evaluations;
      let refused = false;
      // The first try follows the batch order (age, sort rules); once that fails, the anchor's
      // nearest neighbours make the most compact match, which is what distance rules want.
      for (const entryIndex of attempt === 0 ? preferred : nearest()) {
        if (builder.openRoom() === 0) break;
        if (!excluded.has(entryIndex) && !builder.tryAdd(entryIndex)) refused = true;
      }
      if (anchorIsBackfill && builder.selected.length === 0) return evaluations;
      builder.rebalance();
      builder.improveBalance();
      if (builder.meetsMinimums()) {
        evaluations++;
        stats.candidatesEvaluated++;
        passing = evaluatePassingContext(program, builder.context(), builder.drivingAge());
        if (passing !== undefined) return -1;
      } else if (!refused) {
        // Every candidate is in and teams are still short: leaving some out cannot help.
        return evaluations;
      }
      // Otherwise a party that did not fit may fit once another ticket makes room.
      const victim = chooseVictim(anchor);
      if (victim === undefined) return evaluations;
      excluded.add(victim);
    }
    return evaluations;
  };

  /**
   * With the newest ticket driving expansions, one fresh ticket can take back every expansion
   * the anchor has earned. So when the full window fails, a second phase keeps only tickets that
   * reached the anchor's expansion step: any match of them enjoys the anchor's expansions.
   */
  const buildAround = (anchor: number): boolean => {
    builder.prepareFor(isBackfill[anchor] === 1 ? anchor : -1);
    pairVerdicts.clear();
    anchorAloneVerdict = undefined;
    const stepStart = newestDriven ? expansionStepReached(nowMs - (startTime[anchor] as number)) : 0;
    const isSeasoned = (entryIndex: number) => nowMs - (startTime[entryIndex] as number) >= stepStart;
    const twoPhases = stepStart > 0 && !window.every(isSeasoned);
    let budget = settings.maxEvaluations;
    const spent = fillFrom(anchor, window, nearestList, twoPhases ? Math.ceil(budget / 2) : budget);
    if (spent < 0) return true;
    budget -= spent;
    if (!twoPhases || budget <= 0) return false;
    const seasonedNearest = nearestList().filter(isSeasoned);
    return fillFrom(anchor, window.filter(isSeasoned), () => seasonedNearest, budget) < 0;
  };

  let sweptGroup = -1;
  const oneGroup: number[] = [0];
  for (let turn = 0; turn < anchors.length; turn++) {
    const anchor = anchors.entry[turn] as number;
    const turnGroup = anchors.group[turn] as number;
    if (matches.length >= settings.maxMatches) break;
    if (anchors.sweep[turn] === 1 && turnGroup !== sweptGroup) {
      // A ticket that failed in another group's batch may still fit this one.
      sweptGroup = turnGroup;
      failedAnchor.fill(0);
    }
    // Most turns find their ticket matched already: asked of a typed array, before anything else
    // about the ticket is read.
    if (!order.isLinked(anchor)) continue;
    oneGroup[0] = turnGroup;
    const groups = turnGroup < 0 ? groupsOf(entries, anchor) : oneGroup;
    if (usesMatchedPlayer(anchor)) {
      order.unlink(anchor);
      continue;
    }
    stats.anchorsTried++;
    let built = false;
    // Each group the anchor is batched under (its playable regions, fastest first) in turn.
    for (const group of groups) {
      if (!order.isLinked(anchor)) break;
      stale.length = 0;
      // Fresh anchors stay within their group; seasoned ones may reach into neighbouring groups.
      const crossGroups = !multiGroup && seasoned[anchor] === 1;
      stats.candidatesScanned += order.gather(
        anchor,
        group,
        crossGroups,
        settings.windowSize,
        settings.maxSteps,
        usesMatchedPlayer,
        window,
        stale,
      );
      for (const entry of stale) order.unlink(entry);
      orderWindow(anchor, group, crossGroups);
      if (!buildAround(anchor)) continue;
      const match = proposal(program, builder, entries, anchor, passing as CandidateEvaluation);
      built = true;
      matches.push(match);
      if (isBackfill[anchor] === 1) {
        order.unlink(anchor);
        if (sharesPlayers[anchor] === 1)
          for (const player of ticketOf(entries, anchor).players) matchedPlayers.add(player.playerId);
        stats.backfillsFilled++;
        stats.ticketsMatched++;
      }
      for (const entry of builder.selected) {
        order.unlink(entry);
        if (sharesPlayers[entry] === 1)
          for (const player of ticketOf(entries, entry).players) matchedPlayers.add(player.playerId);
        stats.ticketsMatched++;
      }
      break;
    }
    if (built) continue;
    failedAnchor[anchor] = 1;
    // A backfill ticket is never anyone's candidate: once tried it only slows later walks.
    if (isBackfill[anchor] === 1) order.unlink(anchor);
  }
  return { matches, invalidBackfills: prepared.invalidBackfills, stats };
}

function proposal(
  program: QueueProgram,
  builder: MatchBuilder,
  entries: EntryTable,
  anchor: number,
  evaluation: CandidateEvaluation,
): ProposedMatch {
  const anchorTicket = ticketOf(entries, anchor);
  const anchorIsBackfill = entries.backfill[anchor] === 1;
  const teams: ProposedTeam[] = program.teamSlots.map((slot) => {
    // Sized up front: proposals outlive the pass, and a list grown by pushing keeps spare room
    // (17 places for 5 players) that the collector copies with it.
    const players: MatchedPlayer[] = new Array(builder.playersOn(slot.index));
    let at = 0;
    builder.forEachTicketOn(slot.index, (ticket, entry) => {
      // The game's players were evaluated as one-player parties; report their real ticket.
      const ticketId = entry < 0 ? anchorTicket.ticketId : ticket.ticketId;
      for (const player of ticket.players) players[at++] = { playerId: player.playerId, ticketId };
    });
    return { name: slot.name, players };
  });
  const ticketIds = builder.selected.map((entry) => ticketOf(entries, entry).ticketId);
  const match: ProposedMatch = {
    ticketIds: anchorIsBackfill ? [anchorTicket.ticketId, ...ticketIds] : ticketIds,
    teams,
    evaluation: {
      drivingAgeMs: evaluation.ageMs,
      rules: evaluation.rules.map((rule) => ({ ruleName: rule.ruleName, passed: rule.passed })),
    },
  };
  if (anchorIsBackfill) match.backfillTicketId = anchorTicket.ticketId;
  return match;
}
