/**
 * Test-only: the exhaustive optimum of a small pool, the most players any set of disjoint valid
 * matches could take, to judge the matching pass against. Branch and bound over tickets:
 * the first free ticket either stays out or joins one of every valid match it can be in, and
 * each remaining pool's best is remembered.
 *
 * Exact for rule sets whose rules are closed under taking subsets (a spread of skills within a
 * limit, a latency limit, equal strings): then every pair of a valid match passes the program
 * without team minimums, which is how candidate matches are pruned. The full program judges
 * every candidate on every way its parties can be placed on teams. At most 30 tickets.
 */
import type { PoolTicket } from '../../lambdas/engine/model';
import {
  type CandidateTicket,
  candidatePasses,
  type QueueProgram,
  valueAtAge,
} from '../../lambdas/engine/rules';

export const MAX_OPTIMUM_TICKETS = 30;

export interface Optimum {
  players: number;
  /** Ticket ids per match of one optimal solution. */
  matches: string[][];
}

interface Slot {
  name: string;
  min: number;
  max: number;
}

export function exhaustiveOptimum(
  program: QueueProgram,
  pool: readonly PoolTicket[],
  nowMs: number,
): Optimum {
  const tickets = pool.filter((ticket) => ticket.kind === 'matchmaking');
  if (tickets.length > MAX_OPTIMUM_TICKETS)
    throw new Error(`exhaustiveOptimum handles at most ${MAX_OPTIMUM_TICKETS} tickets`);
  const count = tickets.length;
  const sizes = tickets.map((ticket) => ticket.players.length);
  const slotsAt = (ageMs: number): Slot[] =>
    program.teamSlots.map((slot) => ({
      name: slot.name,
      min: valueAtAge(slot.minPlayers, ageMs),
      max: valueAtAge(slot.maxPlayers, ageMs),
    }));
  const withoutMinimums: QueueProgram = {
    ...program,
    teamSlots: program.teamSlots.map((slot) => ({ ...slot, minPlayers: { base: 0, steps: [] } })),
  };

  /** Whether some placement of the tickets on teams passes the program's rules. */
  const passes = (members: readonly number[], judge: QueueProgram): boolean => {
    const newest = Math.max(...members.map((index) => (tickets[index] as PoolTicket).startTime));
    const oldest = Math.min(...members.map((index) => (tickets[index] as PoolTicket).startTime));
    const drivingStart = program.algorithm.expansionAgeSelection === 'oldest' ? oldest : newest;
    const slots = slotsAt(nowMs - drivingStart).map((slot) =>
      judge === program ? slot : { ...slot, min: 0 },
    );
    const placed: CandidateTicket[][] = slots.map(() => []);
    const counts = slots.map(() => 0);
    const place = (at: number): boolean => {
      if (at === members.length) {
        if (slots.some((slot, index) => (counts[index] as number) < slot.min)) return false;
        const teams: Record<string, CandidateTicket[]> = {};
        slots.forEach((slot, index) => {
          teams[slot.name] = [...(placed[index] as CandidateTicket[])];
        });
        return candidatePasses(judge, { teams }, nowMs);
      }
      const index = members[at] as number;
      const size = sizes[index] as number;
      for (let slot = 0; slot < slots.length; slot++) {
        const current = counts[slot] as number;
        if (current + size > (slots[slot] as Slot).max) continue;
        counts[slot] = current + size;
        (placed[slot] as CandidateTicket[]).push(tickets[index] as PoolTicket);
        const found = place(at + 1);
        (placed[slot] as CandidateTicket[]).pop();
        counts[slot] = current;
        if (found) return true;
      }
      return false;
    };
    return place(0);
  };

  const maxTotal = Math.max(
    ...[0, ...program.expansions.flatMap((expansion) => expansion.steps.map((step) => step.atAgeMs))].map(
      (age) => slotsAt(age).reduce((total, slot) => total + slot.max, 0),
    ),
  );
  const minTotal = Math.min(
    ...[0, ...program.expansions.flatMap((expansion) => expansion.steps.map((step) => step.atAgeMs))].map(
      (age) => slotsAt(age).reduce((total, slot) => total + slot.min, 0),
    ),
  );
  const alone = tickets.map((_, index) => passes([index], withoutMinimums));
  const compatible = new Int32Array(count);
  for (let left = 0; left < count; left++) {
    for (let right = left + 1; right < count; right++) {
      if (alone[left] && alone[right] && passes([left, right], withoutMinimums)) {
        compatible[left] = (compatible[left] as number) | (1 << right);
        compatible[right] = (compatible[right] as number) | (1 << left);
      }
    }
  }

  const validMatch = new Map<number, boolean>();
  const best = new Map<number, { players: number; matches: number[] }>();
  const playersIn = (mask: number): number => {
    let total = 0;
    for (let index = 0; index < count; index++) if (mask & (1 << index)) total += sizes[index] as number;
    return total;
  };

  const solve = (mask: number): { players: number; matches: number[] } => {
    if (mask === 0) return { players: 0, matches: [] };
    const known = best.get(mask);
    if (known !== undefined) return known;
    const first = 31 - Math.clz32(mask & -mask);
    const rest = mask & ~(1 << first);
    let result = solve(rest);
    const ceiling = playersIn(mask);
    const members = [first];
    const extend = (candidates: number, players: number, matchMask: number): boolean => {
      if (players >= minTotal) {
        let valid = validMatch.get(matchMask);
        if (valid === undefined) {
          valid = passes(members, program);
          validMatch.set(matchMask, valid);
        }
        if (valid) {
          const after = solve(mask & ~matchMask);
          if (after.players + players > result.players)
            result = { players: after.players + players, matches: [matchMask, ...after.matches] };
          // Nobody left out: nothing can do better.
          if (result.players === ceiling) return true;
        }
      }
      let remaining = candidates;
      while (remaining !== 0) {
        const next = 31 - Math.clz32(remaining & -remaining);
        remaining &= ~(1 << next);
        const size = sizes[next] as number;
        if (players + size > maxTotal) continue;
        members.push(next);
        const done = extend(
          remaining & (compatible[next] as number),
          players + size,
          matchMask | (1 << next),
        );
        members.pop();
        if (done) return true;
      }
      return false;
    };
    if (alone[first]) extend((compatible[first] as number) & rest, sizes[first] as number, 1 << first);
    best.set(mask, result);
    return result;
  };

  const all = count === 0 ? 0 : count === 31 ? -1 : (1 << count) - 1;
  const solution = solve(all);
  return {
    players: solution.players,
    matches: solution.matches.map((matchMask) =>
      tickets.filter((_, index) => matchMask & (1 << index)).map((ticket) => ticket.ticketId),
    ),
  };
}
