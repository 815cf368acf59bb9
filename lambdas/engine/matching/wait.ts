import { type QueueProgram, valueAtAge } from '../rules/program';

export interface WaitEstimateInput {
  /** Players already waiting in the pool, not counting the new ticket's. */
  waitingPlayers: number;
  /** Recent arrival rate of new players, per second. */
  arrivalsPerSecond: number;
  /** Players on the new ticket. Default 1. */
  partySize?: number;
  /** Seconds between matching passes. Default 1. */
  passIntervalSeconds?: number;
}

/**
 * A rough wait for a new ticket (FlexMatch's EstimatedWaitTime): the first moment enough
 * players are present for every team's minimum, where minimums may shrink with age through
 * expansions. It ignores rules other than team sizes, so it is a lower bound for strict rule
 * sets. Undefined when no amount of waiting gets there (no arrivals and no expansion).
 */
export function estimateWaitSeconds(program: QueueProgram, input: WaitEstimateInput): number | undefined {
  const interval = input.passIntervalSeconds ?? 1;
  const present = input.waitingPlayers + (input.partySize ?? 1);
  const rate = Math.max(0, input.arrivalsPerSecond);
  const minimumAt = (ageMs: number): number =>
    program.teamSlots.reduce((total, slot) => total + valueAtAge(slot.minPlayers, ageMs), 0);
  // The needed count only changes at expansion steps, so check each step and the gaps between.
  const stepAges = [
    0,
    ...program.teamSlots.flatMap((slot) => slot.minPlayers.steps.map((step) => step.atAgeMs)),
  ].sort((left, right) => left - right);
  let best: number | undefined;
  for (const stepAge of stepAges) {
    const needed = minimumAt(stepAge);
    const stepSeconds = stepAge / 1000;
    let seconds: number | undefined;
    if (present + rate * stepSeconds >= needed) seconds = stepSeconds;
    else if (rate > 0) seconds = (needed - present) / rate;
    // An arrival-based time only counts while the minimum it assumed still holds.
    if (seconds !== undefined && minimumAt(seconds * 1000) <= present + rate * seconds) {
      best = best === undefined ? seconds : Math.min(best, seconds);
    }
  }
  return best === undefined ? undefined : Math.ceil(best + interval);
}
