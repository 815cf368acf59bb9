/**
 * The matchmaker: per configuration, a pass (pass.ts) that recovers interrupted work
 * (recovery.ts), times out and moves tickets, runs the engine and commits its matches
 * (commit.ts); then publishing the outbox (publishing.ts). worker.ts runs both for one
 * configuration under that configuration's own lease; tick.ts runs a worker per configuration,
 * in parallel.
 */
export { commitProposedMatch } from './commit';
export { dispatchConfigurations, type WorkQueue } from './dispatch';
export { COMMIT_CONCURRENCY, type PassOptions, type PassReport, runPass, WRITE_CONCURRENCY } from './pass';
export { publishOutbox } from './publishing';
export { PLACING_RECOVERY_MS, recoverPlacing, settleDueAcceptances } from './recovery';
export { CONFIGURATION_CONCURRENCY, runMatchmakerTick, type TickReport } from './tick';
export { runConfigurationWorker, type WorkerOptions, type WorkerOutcome } from './worker';
