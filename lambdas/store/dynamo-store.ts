import { dynamoAcceptance } from './acceptance';
import { dynamoConfigurations } from './configurations';
import { dynamoLease } from './lease';
import { dynamoMatches } from './matches';
import { dynamoOutbox } from './outbox';
import { dynamoRateLimits } from './rate-limits';
import { dynamoRuleSets } from './rule-sets';
import { dynamoStatistics } from './statistics';
import type { MatchmakingStore } from './store';
import { type DynamoStoreOptions, DynamoTable } from './table';
import { dynamoTickets } from './tickets';

export { FINISHED_TICKET_RETENTION_SECONDS } from './items';
export { MAX_TRANSACTION_ITEMS } from './table';
export type { DynamoStoreOptions };

/**
 * The DynamoDB store: one table, one part per aggregate (rule-sets.ts, configurations.ts,
 * tickets.ts, matches.ts, acceptance.ts, outbox.ts, lease.ts, statistics.ts, rate-limits.ts), combined behind the one
 * MatchmakingStore interface. Build one per runtime; it holds no state beyond the client.
 */
export function createDynamoStore(options: DynamoStoreOptions): MatchmakingStore {
  const table = new DynamoTable(options);
  return {
    ...dynamoRuleSets(table),
    ...dynamoConfigurations(table),
    ...dynamoTickets(table),
    ...dynamoMatches(table),
    ...dynamoAcceptance(table),
    ...dynamoOutbox(table),
    ...dynamoLease(table),
    ...dynamoStatistics(table),
    ...dynamoRateLimits(table),
  };
}

/** The constructor assigns every MatchmakingStore method (declaration merging gives the class their types). */
export interface DynamoMatchmakingStore extends MatchmakingStore {}

/** createDynamoStore for callers that construct with `new`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class DynamoMatchmakingStore {
  constructor(options: DynamoStoreOptions) {
    Object.assign(this, createDynamoStore(options));
  }
}
