import {
  CreateMatchmakingConfigurationCommand,
  CreateMatchmakingRuleSetCommand,
  DescribeMatchmakingCommand,
  type GameLiftClient,
  InvalidRequestException,
  StartMatchBackfillCommand,
  StartMatchmakingCommand,
} from '@aws-sdk/client-gamelift';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalService } from '../../../lambdas/local/service';
import { createDocumentClient, createDynamoClient } from '../../../lambdas/shared/clients';
import { gameLiftClient, startTestService, uniqueName } from '../../support/local-service';

const CONCURRENT_REQUESTS = 240;
const PLAYER_POOL = 60;
const PLAYERS_PER_REQUEST = 3;

let service: LocalService;
let client: GameLiftClient;

beforeAll(async () => {
  // Each player is named in about a dozen of the 240 requests within milliseconds: that is what
  // the per-player ticket rate limit exists to slow down. This suite is about the locks, so the
  // limit is off here (test/usecases/rate-limits.test.ts covers it).
  process.env.SLOTFILL_PLAYER_TICKETS_PER_MINUTE = '0';
  service = await startTestService();
  client = gameLiftClient(service);
});
afterAll(async () => {
  client?.destroy();
  await service?.stop();
});

/** A configuration of one team of 2-8 players; returns its name. */
async function createOneTeamConfiguration(): Promise<string> {
  const ruleSetName = uniqueName('rules');
  const configurationName = uniqueName('config');
  await client.send(
    new CreateMatchmakingRuleSetCommand({
      Name: ruleSetName,
      RuleSetBody: JSON.stringify({
        ruleLanguageVersion: '1.0',
        teams: [{ name: 'all', minPlayers: 2, maxPlayers: 8 }],
      }),
    }),
  );
  await client.send(
    new CreateMatchmakingConfigurationCommand({
      Name: configurationName,
      RuleSetName: ruleSetName,
      RequestTimeoutSeconds: 600,
      AcceptanceRequired: false,
    }),
  );
  return configurationName;
}

/** A deterministic spread of overlapping player groups (a seeded LCG), so runs are repeatable. */
function playerGroups(count: number, players: string[]): string[][] {
  let seed = 20261122;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % players.length;
  };
  return Array.from({ length: count }, () => {
    const group = new Set<string>();
    while (group.size < PLAYERS_PER_REQUEST) group.add(players[next()]!);
    return [...group];
  });
}

it(`keeps one active ticket per player under ${CONCURRENT_REQUESTS} concurrent StartMatchmaking calls`, async () => {
  const configurationName = await createOneTeamConfiguration();
  const players = Array.from({ length: PLAYER_POOL }, (_, i) => `player-${i}`);
  const requests = playerGroups(CONCURRENT_REQUESTS, players);

  const outcomes = await Promise.allSettled(
    requests.map((group) =>
      client.send(
        new StartMatchmakingCommand({
          ConfigurationName: configurationName,
          Players: group.map((PlayerId) => ({ PlayerId })),
        }),
      ),
    ),
  );

  const winners = outcomes.flatMap((outcome, i) =>
    outcome.status === 'fulfilled'
      ? [{ ticketId: outcome.value.MatchmakingTicket!.TicketId!, players: requests[i]! }]
      : [],
  );
  const losers = outcomes.flatMap((outcome, i) =>
    outcome.status === 'rejected' ? [{ error: outcome.reason, players: requests[i]! }] : [],
  );
  expect(winners.length).toBeGreaterThan(0);
  expect(losers.length).toBeGreaterThan(0);
  expect(winners.length + losers.length).toBe(CONCURRENT_REQUESTS);

  // Winners never share a player.
  const holder = new Map<string, string>();
  for (const winner of winners) {
    for (const player of winner.players) {
      expect(holder.has(player)).toBe(false);
      holder.set(player, winner.ticketId);
    }
  }

  // Every loser got the clear, typed error naming a player some winner really holds.
  for (const loser of losers) {
    expect(loser.error).toBeInstanceOf(InvalidRequestException);
    const message = String((loser.error as Error).message);
    expect(message).toMatch(/already have an active matchmaking ticket/);
    const named = loser.players.filter((p) => message.includes(`${p} (ticket `));
    expect(named.length).toBeGreaterThan(0);
    for (const player of named) expect(message).toContain(`${player} (ticket ${holder.get(player)})`);
  }

  // No partial writes: the table holds exactly the winners' tickets and exactly their locks.
  const documents = createDocumentClient(
    createDynamoClient({ dynamoDbEndpoint: service.dynamoDbEndpoint, region: 'us-east-1' }),
  );
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: service.options.tableName,
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...((page.Items as Record<string, unknown>[]) ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  documents.destroy();

  const tickets = items.filter((item) => String(item.pk).startsWith('TICKET#'));
  const locks = items.filter((item) => String(item.pk).startsWith('PLAYER#'));
  expect(tickets.map((t) => t.ticketId).sort()).toEqual(winners.map((w) => w.ticketId).sort());
  expect(locks).toHaveLength(holder.size);
  for (const lock of locks) expect(lock.ticketId).toBe(holder.get(String(lock.playerId)));
});

const CONCURRENT_BACKFILLS = 30;

it(`absorbs ${CONCURRENT_BACKFILLS} concurrent StartMatchBackfill calls for one game session, leaving one active`, async () => {
  const configurationName = await createOneTeamConfiguration();
  const gameSessionArn = `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${uniqueName('session')}`;
  // One attempt per call: what the service itself answers, before any SDK retry.
  const outcomes = await Promise.allSettled(
    Array.from({ length: CONCURRENT_BACKFILLS }, (_, i) =>
      client.send(
        new StartMatchBackfillCommand({
          ConfigurationName: configurationName,
          GameSessionArn: gameSessionArn,
          Players: [{ PlayerId: `host-${i}`, Team: 'all' }],
        }),
      ),
    ),
  );

  // Contention is never the caller's mistake: it succeeds, or asks for a retry the SDK makes.
  const refusals = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [(outcome.reason as Error).name] : [],
  );
  expect(refusals.filter((name) => name !== 'ThrottlingException')).toEqual([]);
  const ticketIds = outcomes.flatMap((outcome) =>
    outcome.status === 'fulfilled' ? [outcome.value.MatchmakingTicket!.TicketId!] : [],
  );
  expect(ticketIds.length).toBeGreaterThan(0);

  // The session keeps exactly one active backfill: every other one was replaced.
  const statuses: string[] = [];
  for (let start = 0; start < ticketIds.length; start += 10) {
    const described = await client.send(
      new DescribeMatchmakingCommand({ TicketIds: ticketIds.slice(start, start + 10) }),
    );
    statuses.push(...(described.TicketList ?? []).map((ticket) => ticket.Status!));
  }
  expect(statuses).toHaveLength(ticketIds.length);
  expect(statuses.filter((status) => status !== 'CANCELLED')).toEqual(['QUEUED']);
});
