import { IdempotentParameterMismatchException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SlotfillError } from '../shared/errors';
import { matchPut, outboxPut, ticketPut, ticketWrites } from './items';
import { keys } from './keys';
import type { TicketRecord } from './records';
import type { MatchCommit, MatchStore, StoredMatch, TicketChange } from './store';
import {
  cancellationReasons,
  chunk,
  type DynamoTable,
  isConditionFailure,
  MAX_TRANSACTION_ITEMS,
  stripKeys,
  type TransactItem,
} from './table';

/**
 * Matches (`MATCH#<id>`) and their commits: one transaction for a match of up to 100 items,
 * otherwise a multi-step commit around a RESERVING → COMMITTED flip that recovery can undo.
 */
export function dynamoMatches(table: DynamoTable): MatchStore {
  const store: MatchStore = {
    async commitMatch(commit: MatchCommit): Promise<void> {
      const items: TransactItem[] = [
        matchPut(table, commit.match, 'COMMITTED'),
        ...commit.tickets.flatMap((change) => ticketWrites(table, change)),
        ...commit.events.map((event) => outboxPut(table, event)),
      ];
      if (items.length <= MAX_TRANSACTION_ITEMS) {
        try {
          await table.transact({
            TransactItems: items,
            ClientRequestToken: table.requestToken('match', commit.match.matchId),
          });
        } catch (error) {
          if (cancellationReasons(error) || error instanceof IdempotentParameterMismatchException) {
            throw new SlotfillError(
              'Conflict',
              `Match ${commit.match.matchId} lost a race for its tickets.`,
              {
                staleMatch: commit.match.matchId,
              },
            );
          }
          throw error;
        }
        return;
      }
      await commitLargeMatch(commit);
    },

    /** Flips a RESERVING match to ABANDONED; false when it was already committed (or abandoned). */
    async abandonMatch(matchId: string): Promise<boolean> {
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.match(matchId),
            UpdateExpression: 'SET #state = :abandoned',
            ConditionExpression: '#state = :reserving',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':abandoned': 'ABANDONED', ':reserving': 'RESERVING' },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /** Puts reserved tickets back in the pool (SEARCHING), each conditioned on its reserved version. */
    async releasePlacing(reservedTickets: TicketRecord[]): Promise<void> {
      for (const part of chunk(reservedTickets, MAX_TRANSACTION_ITEMS)) {
        for (const ticket of part) {
          const after: TicketRecord = {
            ...ticket,
            status: 'SEARCHING',
            matchId: undefined,
            version: ticket.version + 1,
          };
          // One by one: a ticket someone else already moved must not block the others.
          await table
            .transact({ TransactItems: [ticketPut(table, { before: ticket, after })] })
            .catch((error: unknown) => {
              if (!cancellationReasons(error)) throw error;
            });
        }
      }
    },

    /** Moves reserved tickets to the final states the committed match recorded. */
    async finishPlacing(reservedTickets: TicketRecord[], finals: TicketRecord[]): Promise<void> {
      const finalById = new Map(finals.map((ticket) => [ticket.ticketId, ticket]));
      const changes = reservedTickets.flatMap((before) => {
        const after = finalById.get(before.ticketId);
        return after ? [{ before, after }] : [];
      });
      // Each ticket (with its lock releases) goes alone or in small groups to stay under 100 items.
      let batch: TransactItem[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await table.transact({ TransactItems: batch }).catch((error: unknown) => {
          // A ticket already finished by another pass is fine; anything else is retried next pass.
          if (!cancellationReasons(error)) throw error;
        });
        batch = [];
      };
      for (const change of changes) {
        const writes = ticketWrites(table, change);
        if (batch.length + writes.length > MAX_TRANSACTION_ITEMS) await flush();
        batch.push(...writes);
      }
      await flush();
    },

    async getMatch(matchId: string): Promise<StoredMatch | undefined> {
      const result = await table.client.send(
        new GetCommand({ TableName: table.name, Key: keys.match(matchId), ConsistentRead: true }),
      );
      return result.Item ? (stripKeys(result.Item) as unknown as StoredMatch) : undefined;
    },
  };

  /**
   * A match too big for one transaction commits in steps around a match item that moves from
   * RESERVING to COMMITTED exactly once: write the match (RESERVING, with every ticket's final
   * state), reserve each ticket (PLACING, conditioned on its version, in chunks), flip the match
   * to COMMITTED together with its events (the commit point), then move the tickets to their
   * final states. Recovery (a later pass) may flip a stale RESERVING match to ABANDONED instead
   * and release its tickets; the conditional flip guarantees only one of the two ever happens.
   */
  async function commitLargeMatch(commit: MatchCommit): Promise<void> {
    const matchId = commit.match.matchId;
    const reserved: TicketChange[] = commit.tickets.map((change) => ({
      before: change.before,
      after: { ...change.before, status: 'PLACING', matchId, version: change.before.version + 1 },
    }));
    const finals = commit.tickets.map((change) => ({ ...change.after, version: change.before.version + 2 }));
    await table.transact({ TransactItems: [matchPut(table, commit.match, 'RESERVING', finals)] });
    const lost = () =>
      new SlotfillError('Conflict', `Match ${matchId} lost a race for its tickets.`, { staleMatch: matchId });
    const done: TicketChange[] = [];
    for (const part of chunk(reserved, MAX_TRANSACTION_ITEMS)) {
      try {
        await table.transact({ TransactItems: part.map((c) => ticketPut(table, c)) });
        done.push(...part);
      } catch (error) {
        await store.abandonMatch(matchId);
        await store.releasePlacing(done.map((c) => c.after));
        if (cancellationReasons(error)) throw lost();
        throw error;
      }
    }
    try {
      await table.transact({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.match(matchId),
              UpdateExpression: 'SET #state = :committed',
              ConditionExpression: '#state = :reserving',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':committed': 'COMMITTED', ':reserving': 'RESERVING' },
            },
          },
          ...commit.events.map((event) => outboxPut(table, event)),
        ],
        ClientRequestToken: table.requestToken('commit-match', matchId),
      });
    } catch (error) {
      if (cancellationReasons(error)) {
        // Recovery abandoned the match first; its tickets are (being) released.
        await store.releasePlacing(done.map((c) => c.after));
        throw lost();
      }
      throw error;
    }
    await store.finishPlacing(
      reserved.map((change) => change.after),
      finals,
    );
  }

  return store;
}
