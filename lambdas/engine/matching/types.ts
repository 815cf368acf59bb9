/**
 * The matching pass's public shapes. The pass is pure: a queue program, the tickets waiting
 * in its pool and the current time go in; proposed matches come out. Nothing here touches
 * storage, the network or the clock.
 */

export interface PassOptions {
  /**
   * How many waiting tickets, nearest to the anchor in the batching order, the pass looks at
   * when building one match. Default: four times the match's maximum player count, at least
   * 32 and at most 1,000.
   */
  windowSize?: number;
  /**
   * How many candidate matches (full rule evaluations) the pass may try per anchor before it
   * gives up on that anchor for this pass. Default 6, or 3 for the balanced strategy.
   */
  maxEvaluationsPerAnchor?: number;
  /**
   * Number attribute that orders the pool into batches of similar players. By default the
   * balancedAttribute, else the first number attribute of sortByAttributes, else the attribute
   * the rules measure (distance, batchDistance and difference rules first, then comparison,
   * then sort rules); never the order attributes are declared in.
   */
  neighbourAttribute?: string;
  /**
   * Tickets at least this old (or past the rule set's first expansion step, if sooner) are
   * anchored first, oldest first; younger ones in batching-key order. Default 30,000 ms.
   */
  seasonedAgeMs?: number;
  /** Stop after this many matches (a pass that must yield quickly, or a test). */
  maxMatches?: number;
}

export interface MatchedPlayer {
  playerId: string;
  ticketId: string;
}

export interface ProposedTeam {
  /** The team slot's name: `red`, or `red_1`, `red_2` for a team with quantity > 1. */
  name: string;
  players: MatchedPlayer[];
}

export interface ProposedMatch {
  /** Every ticket in the match, the backfill ticket included, anchor first. */
  ticketIds: string[];
  /** Set when the match fills an existing game session. */
  backfillTicketId?: string;
  /** Every team slot of the program, in program order, with every player of the match. */
  teams: ProposedTeam[];
  evaluation: {
    /** The age that drove expansions for this match (newest or oldest ticket, per the program). */
    drivingAgeMs: number;
    /** One entry per rule in rule set order; all passed. Feeds ruleEvaluationMetrics. */
    rules: Array<{ ruleName: string; passed: boolean }>;
  };
}

export interface InvalidBackfill {
  ticketId: string;
  reason: string;
}

export interface PassStats {
  ticketsInPool: number;
  /** Tickets dropped before matching: failed player filters, empty, duplicate, or too large. */
  ticketsFilteredOut: number;
  /** Anchors the pass tried to build a match around. */
  anchorsTried: number;
  /** Rule evaluations of whole candidate matches (each stops at the first enforced rule that fails). */
  candidatesEvaluated: number;
  /** Anchor-plus-one-ticket rule checks used to pick which ticket to leave out after a failure. */
  pairChecks: number;
  /** Waiting tickets inspected while gathering candidate windows. */
  candidatesScanned: number;
  ticketsMatched: number;
  backfillsFilled: number;
}

export interface PassResult {
  matches: ProposedMatch[];
  invalidBackfills: InvalidBackfill[];
  stats: PassStats;
}
