/**
 * The matchmaker: per configuration, a pass (pass.ts) that recovers interrupted work
 * (recovery.ts), times out and moves tickets, runs the engine and commits its matches
 * (commit.ts); then publishing the outbox (publishing.ts); tick.ts runs both over every
 * configuration under a lease.
 */
export { commitProposedMatch } from './commit';
export { COMMIT_CONCURRENCY, type PassReport, runPass } from './pass';
export { publishOutbox } from './publishing';
export { PLACING_RECOVERY_MS, recoverPlacing, settleDueAcceptances } from './recovery';
export { runMatchmakerTick, type TickReport } from './tick';
