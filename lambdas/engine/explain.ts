/**
 * "Why is this ticket still waiting?": a pure, read-only companion of the matching pass. Given
 * the same queue program, pool and time, it builds a few candidate matches around one ticket,
 * evaluates every rule on each (not stopping at the first failure as the pass does), and looks
 * ahead along the expansion schedule for the first step that changes the best candidate's
 * verdict. It never decides a match: the pass alone does; this only reports.
 *
 * The candidates are built more simply than the pass builds them (the ticket plus the tickets
 * that fail fewest rules beside it, oldest first, filled party by party onto the team with the
 * most room), so a candidate shown here is a plausible match, not necessarily the one the pass
 * would try. Rule verdicts and details come from the rules module itself, so they are exact for
 * the candidates shown.
 */
import type { Player, PoolTicket } from './model';
import {
  type CandidateTicket,
  evaluateCandidate,
  type QueueProgram,
  type RuleCandidate,
  ticketFilterFailures,
  valueAtAge,
} from './rules';
import { fixedValue, type MatchRule } from './rules/program';

export interface RuleVerdict {
  ruleName: string;
  /** The rule's type in its dialect (`distance`, `latency`, ...). */
  ruleType: string;
  passed: boolean;
  /** False when the rule rejects nothing on its own (only a compound uses it, or it became optional). */
  enforced: boolean;
  /** Why it failed, with the numbers (`... 450 from the reference 1050; must be at most 100`). */
  detail?: string;
}

export interface ExpansionChange {
  /** The expanded parameter, as the rule set names it (`rules[FairTeams].maxDistance`). */
  target: string;
  value: number;
}

/** The first expansion step (or rule turning optional) that changes a candidate's verdict. */
export interface NextChange {
  /** From now, in milliseconds. */
  inMs: number;
  /** The candidate's driving age when it applies. */
  atAgeMs: number;
  changes: ExpansionChange[];
  /** Rules optional from then on (PlayFab's SecondsUntilOptional). */
  rulesBecomingOptional: string[];
  /** Enforced failing rules (and team-size problems) that stop failing then. */
  resolves: string[];
  /** Whether the whole candidate passes then. */
  matchWouldForm: boolean;
}

export interface CandidateExplanation {
  ticketIds: string[];
  teams: Array<{ name: string; playerIds: string[] }>;
  drivingAgeMs: number;
  passed: boolean;
  /** Team sizes outside their bounds at the driving age. */
  teamProblems: string[];
  rules: RuleVerdict[];
  /** Names of the enforced rules that fail: what keeps this candidate from matching. */
  failingRules: string[];
  /** Undefined when no later step of the schedule changes anything for this candidate. */
  nextChange?: NextChange;
}

export type WaitingVerdict =
  /** Not in the pool given (already matched, ended, or another configuration's). */
  | 'not-in-pool'
  /** Its own players fail a player filter: no candidate can hold it. */
  | 'filtered-out'
  /** Even with every eligible ticket the teams can't reach their minimums. */
  | 'not-enough-players'
  /** Candidates exist, but every one fails some rule. */
  | 'rules-failing'
  /** A candidate passes now: the next pass should match the ticket (unless another takes its partners). */
  | 'match-possible';

export interface TicketExplanation {
  ticketId: string;
  verdict: WaitingVerdict;
  /** One sentence for a person. */
  summary: string;
  ageMs: number;
  filterFailures: string[];
  /** Best first: passing, then fewest failures. */
  candidates: CandidateExplanation[];
  /** Over every candidate this explanation evaluated, per rule in rule set order. */
  ruleEvaluationMetrics: Array<{ ruleName: string; passedCount: number; failedCount: number }>;
  /** Tickets of the pool eligible to join this ticket (after player filters). */
  eligibleTickets: number;
}

export interface ExplainOptions {
  /** How many candidates to report. Default 3. */
  maxCandidates?: number;
  /** Other tickets considered at most (oldest first). Default 500. */
  maxConsidered?: number;
}

const DEFAULT_CANDIDATES = 3;
const DEFAULT_CONSIDERED = 500;
/** Schedule points looked at, at most, when searching for the next change. */
const MAX_LOOKAHEAD_STEPS = 64;

export function explainTicket(
  program: QueueProgram,
  pool: readonly PoolTicket[],
  ticketId: string,
  nowMs: number,
  options: ExplainOptions = {},
): TicketExplanation {
  const anchor = pool.find((ticket) => ticket.ticketId === ticketId);
  const metrics = new RuleCounts(program.matchRules);
  const base = { ticketId, filterFailures: [] as string[], candidates: [], eligibleTickets: 0 };
  if (anchor === undefined) {
    return {
      ...base,
      verdict: 'not-in-pool',
      summary: `Ticket ${ticketId} is not waiting in this pool.`,
      ageMs: 0,
      ruleEvaluationMetrics: metrics.report(),
    };
  }
  const ageMs = Math.max(0, nowMs - anchor.startTime);
  const anchorIsBackfill = anchor.kind === 'backfill';
  const filterFailures = anchorIsBackfill ? [] : ticketFilterFailures(program, anchor.players, ageMs);
  if (filterFailures.length > 0) {
    return {
      ...base,
      verdict: 'filtered-out',
      summary: `Ticket ${ticketId} can't be in any match: ${filterFailures.join('; ')}.`,
      ageMs,
      filterFailures,
      ruleEvaluationMetrics: metrics.report(),
    };
  }

  const anchorPlayers = new Set(anchor.players.map((player) => player.playerId));
  // Oldest first, filters checked only until enough are found: a few rule checks, whatever the pool.
  const maxConsidered = options.maxConsidered ?? DEFAULT_CONSIDERED;
  const eligible: PoolTicket[] = [];
  const byAge = pool
    .filter(
      (ticket) =>
        ticket !== anchor &&
        ticket.kind === 'matchmaking' &&
        ticket.players.length > 0 &&
        !ticket.players.some((player) => anchorPlayers.has(player.playerId)),
    )
    .sort((left, right) => left.startTime - right.startTime || left.ticketId.localeCompare(right.ticketId));
  for (const ticket of byAge) {
    if (eligible.length >= maxConsidered) break;
    if (ticketFilterFailures(program, ticket.players, nowMs - ticket.startTime).length === 0)
      eligible.push(ticket);
  }

  const filler = new CandidateFiller(program, anchor, ageMs);
  // Partners that fail fewest rules beside the ticket first (team minimums waived), then oldest.
  const pairFailures = new Map<PoolTicket, number>();
  for (const other of eligible) pairFailures.set(other, filler.pairFailures(other, nowMs));
  const ordered = [...eligible].sort(
    (left, right) => (pairFailures.get(left) ?? 0) - (pairFailures.get(right) ?? 0),
  );

  const wanted = Math.max(1, options.maxCandidates ?? DEFAULT_CANDIDATES);
  const seen = new Set<string>();
  const candidates: CandidateExplanation[] = [];
  // Each seed leads a different candidate: the seed first, then the rest in order.
  const seeds: Array<PoolTicket | undefined> = ordered.length === 0 ? [undefined] : ordered;
  for (const seed of seeds.slice(0, wanted * 3)) {
    const built = filler.fill(seed === undefined ? ordered : [seed, ...ordered.filter((t) => t !== seed)]);
    const key = built.ticketIds.slice().sort().join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const evaluated = explainCandidate(program, built, nowMs);
    metrics.add(evaluated.rules);
    candidates.push(evaluated);
  }
  candidates.sort(byCloseness);
  const best = candidates.slice(0, wanted);
  const top = best[0];
  const verdict: WaitingVerdict = top?.passed
    ? 'match-possible'
    : top !== undefined && top.failingRules.length === 0 && top.teamProblems.length > 0
      ? 'not-enough-players'
      : 'rules-failing';
  return {
    ticketId,
    verdict,
    summary: summarize(verdict, top, eligible.length),
    ageMs,
    filterFailures,
    candidates: best,
    ruleEvaluationMetrics: metrics.report(),
    eligibleTickets: eligible.length,
  };
}

interface BuiltCandidate {
  ticketIds: string[];
  candidate: RuleCandidate;
}

/** Places parties on teams: the anchor (or a backfill's seated players) first, then others while there is room. */
class CandidateFiller {
  private readonly maxima: number[];
  /** The same program without team minimums: judges a partial candidate (the ticket and one other). */
  private readonly relaxed: QueueProgram;

  constructor(
    private readonly program: QueueProgram,
    private readonly anchor: PoolTicket,
    ageMs: number,
  ) {
    this.maxima = program.teamSlots.map((slot) => valueAtAge(slot.maxPlayers, ageMs));
    this.relaxed = {
      ...program,
      teamSlots: program.teamSlots.map((slot) => ({ ...slot, minPlayers: fixedValue(0) })),
    };
  }

  /** Enforced rules failing with the anchor and one other ticket, team minimums waived. */
  pairFailures(other: PoolTicket, nowMs: number): number {
    const built = this.fill([other], 1);
    const evaluation = evaluateCandidate(this.relaxed, built.candidate, nowMs);
    return failingRuleNames(this.program, evaluation.rules, evaluation.ageMs).length;
  }

  fill(others: readonly PoolTicket[], limit = Number.POSITIVE_INFINITY): BuiltCandidate {
    const slots = this.program.teamSlots;
    const teams: CandidateTicket[][] = slots.map(() => []);
    const counts = slots.map(() => 0);
    const ticketIds = [this.anchor.ticketId];
    const place = (slotIndex: number, ticket: CandidateTicket) => {
      teams[slotIndex]?.push(ticket);
      counts[slotIndex] = (counts[slotIndex] ?? 0) + ticket.players.length;
    };
    if (this.anchor.kind === 'backfill') {
      // Seated players stay on their team, each as a party of one (their tickets are long gone).
      for (const player of this.anchor.players) {
        const slotIndex = this.slotOfTeam(player.team);
        if (slotIndex >= 0)
          place(slotIndex, {
            ticketId: `${this.anchor.ticketId}:${player.playerId}`,
            startTime: this.anchor.startTime,
            players: [player],
          });
      }
    } else {
      const slotIndex = this.roomiestSlot(this.anchor.players, counts);
      place(Math.max(slotIndex, 0), this.anchor);
    }
    let added = 0;
    for (const ticket of others) {
      if (added >= limit) break;
      if (counts.every((count, index) => count >= (this.maxima[index] ?? 0))) break;
      const slotIndex = this.roomiestSlot(ticket.players, counts);
      if (slotIndex < 0) continue;
      place(slotIndex, ticket);
      ticketIds.push(ticket.ticketId);
      added++;
    }
    const candidate: Record<string, CandidateTicket[]> = {};
    slots.forEach((slot, index) => {
      candidate[slot.name] = teams[index] ?? [];
    });
    return { ticketIds, candidate: { teams: candidate } };
  }

  /** The slot with the most room left that takes the whole party (and whose filters it passes); -1 if none. */
  private roomiestSlot(players: readonly Player[], counts: readonly number[]): number {
    let best = -1;
    let bestRoom = 0;
    this.program.teamSlots.forEach((slot, index) => {
      const room = (this.maxima[index] ?? 0) - (counts[index] ?? 0);
      if (room < players.length || room <= bestRoom) return;
      if (ticketFilterFailures(this.program, players, 0, slot.name).length > 0) return;
      best = index;
      bestRoom = room;
    });
    return best;
  }

  private slotOfTeam(team: string | undefined): number {
    const slots = this.program.teamSlots;
    const exact = slots.findIndex((slot) => slot.name === team);
    if (exact >= 0) return exact;
    return slots.findIndex((slot) => slot.definitionName === team);
  }
}

function isEnforced(rule: MatchRule, ageMs: number): boolean {
  return rule.standalone && (rule.optionalAfterMs === undefined || ageMs < rule.optionalAfterMs);
}

function failingRuleNames(
  program: QueueProgram,
  rules: ReadonlyArray<{ ruleName: string; passed: boolean } | undefined>,
  ageMs: number,
): string[] {
  return program.matchRules.flatMap((rule, index) =>
    rules[index]?.passed === false && isEnforced(rule, ageMs) ? [rule.name] : [],
  );
}

function explainCandidate(program: QueueProgram, built: BuiltCandidate, nowMs: number): CandidateExplanation {
  const evaluation = evaluateCandidate(program, built.candidate, nowMs);
  const rules: RuleVerdict[] = program.matchRules.map((rule, index) => {
    const result = evaluation.rules[index];
    return {
      ruleName: rule.name,
      ruleType: rule.sourceType,
      passed: result?.passed ?? true,
      enforced: isEnforced(rule, evaluation.ageMs),
      ...(result?.detail === undefined ? {} : { detail: result.detail }),
    };
  });
  const explanation: CandidateExplanation = {
    ticketIds: built.ticketIds,
    teams: program.teamSlots.map((slot) => ({
      name: slot.name,
      playerIds: (built.candidate.teams[slot.name] ?? []).flatMap((ticket) =>
        ticket.players.map((player) => player.playerId),
      ),
    })),
    drivingAgeMs: evaluation.ageMs,
    passed: evaluation.passed,
    teamProblems: evaluation.teamProblems,
    rules,
    failingRules: failingRuleNames(program, evaluation.rules, evaluation.ageMs),
  };
  if (!evaluation.passed) {
    const next = nextChange(program, built.candidate, nowMs, evaluation.ageMs, explanation);
    if (next !== undefined) explanation.nextChange = next;
  }
  return explanation;
}

/**
 * Every ticket ages alike, so the candidate's driving age grows one for one with time: the
 * schedule points past it are the only moments its verdict can change. The first that
 * resolves a failing rule or team problem is the answer.
 */
function nextChange(
  program: QueueProgram,
  candidate: RuleCandidate,
  nowMs: number,
  ageMs: number,
  now: CandidateExplanation,
): NextChange | undefined {
  const points = new Set<number>();
  for (const expansion of program.expansions)
    for (const step of expansion.steps) if (step.atAgeMs > ageMs) points.add(step.atAgeMs);
  for (const rule of program.matchRules)
    if (rule.optionalAfterMs !== undefined && rule.optionalAfterMs > ageMs) points.add(rule.optionalAfterMs);
  const blockers = [...now.failingRules, ...now.teamProblems];
  for (const atAgeMs of [...points].sort((a, b) => a - b).slice(0, MAX_LOOKAHEAD_STEPS)) {
    const later = evaluateCandidate(program, candidate, nowMs + (atAgeMs - ageMs));
    const stillFailing = new Set([
      ...failingRuleNames(program, later.rules, later.ageMs),
      ...later.teamProblems,
    ]);
    const resolves = blockers.filter((blocker) => !stillFailing.has(blocker));
    if (resolves.length === 0 && !later.passed) continue;
    return {
      inMs: atAgeMs - ageMs,
      atAgeMs,
      changes: program.expansions.flatMap((expansion) =>
        expansion.steps
          .filter((step) => step.atAgeMs === atAgeMs)
          .map((step) => ({ target: expansion.target, value: step.value })),
      ),
      rulesBecomingOptional: program.matchRules.flatMap((rule) =>
        rule.optionalAfterMs === atAgeMs ? [rule.name] : [],
      ),
      resolves,
      matchWouldForm: later.passed,
    };
  }
  return undefined;
}

/** Passing first, then fewest blocking rules, then fewest team problems, then the most players. */
function byCloseness(left: CandidateExplanation, right: CandidateExplanation): number {
  if (left.passed !== right.passed) return left.passed ? -1 : 1;
  return (
    left.failingRules.length - right.failingRules.length ||
    left.teamProblems.length - right.teamProblems.length ||
    playerCount(right) - playerCount(left)
  );
}

function playerCount(candidate: CandidateExplanation): number {
  return candidate.teams.reduce((total, team) => total + team.playerIds.length, 0);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function summarize(
  verdict: WaitingVerdict,
  best: CandidateExplanation | undefined,
  eligible: number,
): string {
  if (best === undefined) return 'No candidate match could be built.';
  if (verdict === 'match-possible')
    return 'A candidate passes every rule now: the next pass should match this ticket.';
  const failing = best.rules.filter((rule) => best.failingRules.includes(rule.ruleName));
  const reason =
    verdict === 'not-enough-players'
      ? `Not enough players (${eligible} other ticket(s) eligible): ${best.teamProblems.join('; ')}.`
      : `Best candidate fails ${failing.map((rule) => `${rule.ruleName} (${rule.detail ?? 'failed'})`).join(', ')}${best.teamProblems.length > 0 ? `; ${best.teamProblems.join('; ')}` : ''}.`;
  const next = best.nextChange;
  if (next === undefined) return `${reason} No expansion step changes that: it needs other players.`;
  const what = [
    ...next.changes.map((change) => `${change.target} → ${change.value}`),
    ...next.rulesBecomingOptional.map((rule) => `${rule} becomes optional`),
  ].join(', ');
  return `${reason} In ${seconds(next.inMs)} (${what}) ${next.matchWouldForm ? 'this candidate would match' : `${next.resolves.join(', ')} would pass`}.`;
}

class RuleCounts {
  private readonly counts: Array<{ ruleName: string; passedCount: number; failedCount: number }>;

  constructor(rules: readonly MatchRule[]) {
    this.counts = rules.map((rule) => ({ ruleName: rule.name, passedCount: 0, failedCount: 0 }));
  }

  add(verdicts: readonly RuleVerdict[]): void {
    verdicts.forEach((verdict, index) => {
      const entry = this.counts[index];
      if (entry === undefined) return;
      if (verdict.passed) entry.passedCount++;
      else entry.failedCount++;
    });
  }

  report(): Array<{ ruleName: string; passedCount: number; failedCount: number }> {
    return this.counts.map((entry) => ({ ...entry }));
  }
}
