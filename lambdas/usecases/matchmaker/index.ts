/**
 * The matchmaker: per configuration, a pass (pass.ts) that recovers interrupted work
 * (recovery.ts), times out and moves tickets, runs the engine and commits its matches
 * (commit.ts); then publishing the outbox (publishing.ts). worker.ts runs both for one
 * configuration, or one part of its split pool, under that part's own lease; tick.ts runs the
 * workers of every configuration, in parallel; dispatch.ts hands them out (SQS in AWS).
 */
export { commitProposedMatch } from './commit';
export { dispatchConfigurations, unitsOf, type WorkQueue } from './dispatch';
export { COMMIT_CONCURRENCY, type PassOptions, type PassReport, runPass, WRITE_CONCURRENCY } from './pass';
export { publishOutbox } from './publishing';
export { PLACING_RECOVERY_MS, recoverPlacing, settleDueAcceptances } from './recovery';
export { CONFIGURATION_CONCURRENCY, runMatchmakerTick, type TickReport } from './tick';
export {
  combinePassReports,
  MERGE_AFTER_MS,
  partsOf,
  runConfigurationWorker,
  runPartWorker,
  runUnitTurn,
  sliceOf,
  TICKETS_PER_PART,
  type UnitOutcome,
  type WorkerOptions,
  type WorkerOutcome,
  type WorkUnit,
} from './worker';
