import { randomUUID } from 'node:crypto';
import { DEV_TITLE_SECRET_KEY } from '../../../lambdas/handlers/playfab-secrets';
import { LocalPlayerTokenKeys } from '../../../lambdas/local/player-tokens';
import type { LocalService } from '../../../lambdas/local/service';
import { startTestService } from '../../support/local-service';
import { asPlayer, fails, ok, player, SERVER } from '../../support/playfab-client';

let service: LocalService;

beforeAll(async () => {
  service = await startTestService();
});

afterAll(async () => {
  await service?.stop();
});

const uniqueQueue = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const uniquePlayer = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Two-player queue without rules: any two tickets match. */
function duelQueue(name: string) {
  return { Name: name, MinMatchSize: 2, MaxMatchSize: 2, ServerAllocationEnabled: false };
}

/** 4v4 with a region rule: the seed-004 game. */
function teamQueue(name: string) {
  return {
    Name: name,
    MinMatchSize: 8,
    MaxMatchSize: 8,
    ServerAllocationEnabled: false,
    Teams: [
      { Name: 'red', MinTeamSize: 4, MaxTeamSize: 4 },
      { Name: 'blue', MinTeamSize: 4, MaxTeamSize: 4 },
    ],
    RegionSelectionRule: { Name: 'region', Path: 'latencies', MaxLatency: 150, Weight: 1 },
    StatisticsVisibilityToPlayers: { ShowNumberOfPlayersMatching: true, ShowTimeToMatch: false },
  };
}

async function createQueue(queue: object) {
  await ok(service, 'SetMatchmakingQueue', { MatchmakingQueue: queue });
}

type Ticket = Record<string, unknown> & { Status: string; MatchId?: string; Members: unknown[] };

async function ticketOf(queueName: string, ticketId: string, credential = SERVER): Promise<Ticket> {
  return ok<Ticket>(
    service,
    'GetMatchmakingTicket',
    { QueueName: queueName, TicketId: ticketId, EscapeObject: false },
    credential,
  );
}

async function backfillOf(queueName: string, ticketId: string): Promise<Ticket> {
  return ok<Ticket>(service, 'GetServerBackfillTicket', {
    QueueName: queueName,
    TicketId: ticketId,
    EscapeObject: false,
  });
}

async function createTicket(
  queueName: string,
  playerId: string,
  data: Record<string, unknown> = {},
  extra: object = {},
) {
  const { TicketId } = await ok<{ TicketId: string }>(
    service,
    'CreateMatchmakingTicket',
    { QueueName: queueName, Creator: player(playerId, data), GiveUpAfterSeconds: 120, ...extra },
    asPlayer(playerId),
  );
  return TicketId;
}

describe('queues', () => {
  it('creates, reads, lists, updates and removes a queue', async () => {
    const name = uniqueQueue('crud');
    await createQueue(teamQueue(name));
    const { MatchmakingQueue } = await ok<{ MatchmakingQueue: Record<string, unknown> }>(
      service,
      'GetMatchmakingQueue',
      { QueueName: name },
    );
    expect(MatchmakingQueue).toEqual(teamQueue(name));

    await createQueue({
      ...teamQueue(name),
      RegionSelectionRule: { Name: 'region', Path: 'latencies', MaxLatency: 90, Weight: 1 },
    });
    const updated = await ok<{ MatchmakingQueue: { RegionSelectionRule: { MaxLatency: number } } }>(
      service,
      'GetMatchmakingQueue',
      { QueueName: name },
    );
    expect(updated.MatchmakingQueue.RegionSelectionRule.MaxLatency).toBe(90);

    const listed = await ok<{ MatchMakingQueues: Array<{ Name: string }> }>(
      service,
      'ListMatchmakingQueues',
      {},
    );
    expect(listed.MatchMakingQueues.map((q) => q.Name)).toContain(name);

    await ok(service, 'RemoveMatchmakingQueue', { QueueName: name });
    await fails(service, 'GetMatchmakingQueue', { QueueName: name }, 'MatchmakingQueueNotFound');
    await fails(service, 'RemoveMatchmakingQueue', { QueueName: name }, 'MatchmakingQueueNotFound');
  });

  it('ends the waiting tickets of a removed queue (Canceled, Internal) and frees their players', async () => {
    const name = uniqueQueue('removed');
    await createQueue(duelQueue(name));
    const carol = uniquePlayer('carol');
    const ticketId = await createTicket(name, carol);
    await ok(service, 'RemoveMatchmakingQueue', { QueueName: name });
    // The same queue again: the old ticket reads as ended, and its player may queue anew.
    await createQueue(duelQueue(name));
    const ended = await ticketOf(name, ticketId);
    expect(ended).toMatchObject({ Status: 'Canceled', CancellationReasonString: 'Internal' });
    await createTicket(name, carol);
  });

  it('refuses invalid configurations with MatchmakingQueueConfigInvalid and a path per problem', async () => {
    const name = uniqueQueue('bad');
    const schemaProblem = await fails(
      service,
      'SetMatchmakingQueue',
      { MatchmakingQueue: { ...duelQueue(name), MinMatchSize: 1 } },
      'MatchmakingQueueConfigInvalid',
    );
    expect(schemaProblem.errorCode).toBe(2031);
    expect(Object.keys(schemaProblem.errorDetails ?? {})).toContain('MatchmakingQueue.MinMatchSize');

    const crossField = await fails(
      service,
      'SetMatchmakingQueue',
      { MatchmakingQueue: { ...teamQueue(name), MaxMatchSize: 6 } },
      'MatchmakingQueueConfigInvalid',
    );
    expect(Object.keys(crossField.errorDetails ?? {}).length).toBeGreaterThan(0);
    expect(crossField.errorMessage).toMatch(/MatchmakingQueue\./);
    await fails(service, 'GetMatchmakingQueue', { QueueName: name }, 'MatchmakingQueueNotFound');
  });

  it('keeps PlayFab queues out of FlexMatch and FlexMatch configurations out of PlayFab', async () => {
    const name = uniqueQueue('apart');
    await createQueue(duelQueue(name));
    const listed = await ok<{ MatchMakingQueues: Array<{ Name: string }> }>(
      service,
      'ListMatchmakingQueues',
      {},
    );
    expect(listed.MatchMakingQueues.every((queue) => typeof queue.Name === 'string')).toBe(true);
    const { GameLiftClient, DescribeMatchmakingConfigurationsCommand } = await import(
      '@aws-sdk/client-gamelift'
    );
    const gamelift = new GameLiftClient({
      endpoint: service.url,
      region: service.options.region,
      credentials: service.options.credentials,
      maxAttempts: 1,
    });
    const described = await gamelift.send(new DescribeMatchmakingConfigurationsCommand({}));
    expect((described.Configurations ?? []).some((c) => c.Name?.includes(name))).toBe(false);
    gamelift.destroy();
  });
});

describe('player tickets', () => {
  it('matches two players through the matchmaker tick and serves GetMatch', async () => {
    const queue = uniqueQueue('duel');
    await createQueue(duelQueue(queue));
    const [alice, bob] = [uniquePlayer('alice'), uniquePlayer('bob')];
    const aliceTicket = await createTicket(queue, alice, { skill: 10 });
    const bobTicket = await createTicket(queue, bob, { skill: 12 });
    expect((await ticketOf(queue, aliceTicket, asPlayer(alice))).Status).toBe('WaitingForMatch');

    const stats = await ok<{ NumberOfPlayersMatching?: number }>(service, 'GetQueueStatistics', {
      QueueName: queue,
    });
    expect(stats.NumberOfPlayersMatching).toBe(2);

    // No match yet: no time-to-match statistics.
    expect(stats).not.toHaveProperty('TimeToMatchStatisticsInSeconds');

    const published: Array<{ 'detail-type': string; detail: unknown }> = [];
    const stopWatching = service.events.watch((envelope) => published.push(envelope));
    await service.runMatchmakerTick();
    stopWatching();
    const matched = await ticketOf(queue, aliceTicket, asPlayer(alice));
    expect(matched.Status).toBe('Matched');
    expect((await ticketOf(queue, bobTicket)).MatchId).toBe(matched.MatchId);
    // The queue's events are PlayFab ticket status changes, one per ticket.
    const ofQueue = published
      .filter((envelope) => (envelope.detail as { QueueName?: string }).QueueName === queue)
      .map((envelope) => [envelope['detail-type'], envelope.detail]);
    expect(ofQueue).toEqual(
      expect.arrayContaining(
        [aliceTicket, bobTicket].map((TicketId) => [
          'PlayFab Matchmaking Ticket Status Changed',
          expect.objectContaining({ TicketId, Status: 'Matched', MatchId: matched.MatchId }),
        ]),
      ),
    );

    // The two matched tickets' waits, in seconds; players don't see them (ShowTimeToMatch unset).
    const after = await ok<{
      TimeToMatchStatisticsInSeconds?: Record<
        'Average' | 'Percentile50' | 'Percentile90' | 'Percentile99',
        number
      >;
    }>(service, 'GetQueueStatistics', { QueueName: queue });
    const waits = after.TimeToMatchStatisticsInSeconds!;
    expect(waits.Average).toBeGreaterThanOrEqual(0);
    expect(waits.Percentile50).toBeLessThanOrEqual(waits.Percentile90);
    expect(waits.Percentile90).toBeLessThanOrEqual(waits.Percentile99);
    expect(waits.Percentile99).toBeLessThan(60);
    expect(await ok(service, 'GetQueueStatistics', { QueueName: queue }, asPlayer(alice))).not.toHaveProperty(
      'TimeToMatchStatisticsInSeconds',
    );

    const match = await ok<{
      MatchId: string;
      Members: Array<{ Entity: { Id: string }; Attributes?: unknown; TeamId?: string }>;
    }>(
      service,
      'GetMatch',
      { QueueName: queue, MatchId: matched.MatchId, ReturnMemberAttributes: true, EscapeObject: false },
      asPlayer(bob),
    );
    expect(match.Members.map((m) => m.Entity.Id).sort()).toEqual([alice, bob].sort());
    expect(match.Members.find((m) => m.Entity.Id === alice)?.Attributes).toEqual({
      DataObject: { skill: 10 },
    });
    expect(match.Members.every((m) => m.TeamId === undefined)).toBe(true);

    const withoutAttributes = await ok<{ Members: Array<{ Attributes?: unknown }> }>(service, 'GetMatch', {
      QueueName: queue,
      MatchId: matched.MatchId,
      ReturnMemberAttributes: false,
      EscapeObject: false,
    });
    expect(withoutAttributes.Members.every((m) => m.Attributes === undefined)).toBe(true);

    // A matched ticket can't be cancelled; the player is free for a new ticket.
    const refused = await fails(
      service,
      'CancelMatchmakingTicket',
      { QueueName: queue, TicketId: aliceTicket },
      'MatchmakingTicketAlreadyCompleted',
      asPlayer(alice),
    );
    expect(refused.errorCode).toBe(2029);
    expect(
      await ok(service, 'ListMatchmakingTicketsForPlayer', { QueueName: queue }, asPlayer(alice)),
    ).toEqual({ TicketIds: [] });
    await fails(
      service,
      'GetMatch',
      { QueueName: queue, MatchId: 'no-such-match', ReturnMemberAttributes: false, EscapeObject: false },
      'MatchmakingMatchNotFound',
    );
    // Someone who did not play in the match may not read it.
    await fails(
      service,
      'GetMatch',
      { QueueName: queue, MatchId: matched.MatchId, ReturnMemberAttributes: false, EscapeObject: false },
      'MatchmakingUnauthorized',
      asPlayer(uniquePlayer('stranger')),
    );
  });

  it('waits for invited members (WaitingForPlayers), then searches once the last one joins', async () => {
    const queue = uniqueQueue('party');
    await createQueue({ ...duelQueue(queue), MaxMatchSize: 4 });
    const [leader, friend] = [uniquePlayer('leader'), uniquePlayer('friend')];
    const ticketId = await createTicket(
      queue,
      leader,
      {},
      { MembersToMatchWith: [{ Id: friend, Type: 'title_player_account' }] },
    );
    const waiting = await ticketOf(queue, ticketId, asPlayer(friend));
    expect(waiting.Status).toBe('WaitingForPlayers');
    expect(waiting.MembersToMatchWith).toEqual([{ Id: friend, Type: 'title_player_account' }]);
    expect(waiting.Members).toHaveLength(1);
    // The invitee finds the ticket to join by listing their tickets; a stranger finds nothing.
    expect(
      await ok(service, 'ListMatchmakingTicketsForPlayer', { QueueName: queue }, asPlayer(friend)),
    ).toEqual({ TicketIds: [ticketId] });
    const stranger = uniquePlayer('stranger');
    expect(
      await ok(service, 'ListMatchmakingTicketsForPlayer', { QueueName: queue }, asPlayer(stranger)),
    ).toEqual({ TicketIds: [] });

    // Only the invited player may join, and only as themselves.
    await fails(
      service,
      'JoinMatchmakingTicket',
      { QueueName: queue, TicketId: ticketId, Member: player(friend) },
      'MatchmakingUnauthorized',
      asPlayer(leader),
    );
    await fails(
      service,
      'JoinMatchmakingTicket',
      { QueueName: queue, TicketId: ticketId, Member: player(leader) },
      'MatchmakingAlreadyJoinedTicket',
      asPlayer(leader),
    );
    await ok(
      service,
      'JoinMatchmakingTicket',
      { QueueName: queue, TicketId: ticketId, Member: player(friend) },
      asPlayer(friend),
    );
    const joined = await ticketOf(queue, ticketId, asPlayer(friend));
    expect(joined.Status).toBe('WaitingForMatch');
    expect(joined.Members).toHaveLength(2);
    expect(
      await ok(service, 'ListMatchmakingTicketsForPlayer', { QueueName: queue }, asPlayer(friend)),
    ).toEqual({ TicketIds: [ticketId] });
  });

  it('allows one active ticket per player per queue (2055), and CancelAll frees the player', async () => {
    const queue = uniqueQueue('once');
    await createQueue(duelQueue(queue));
    const carol = uniquePlayer('carol');
    const first = await createTicket(queue, carol);
    const refused = await fails(
      service,
      'CreateMatchmakingTicket',
      { QueueName: queue, Creator: player(carol), GiveUpAfterSeconds: 60 },
      'MatchmakingTicketMembershipLimitExceeded',
      asPlayer(carol),
    );
    expect(refused.errorCode).toBe(2055);
    expect(refused.errorDetails).toEqual({
      UsersExceedingMembershipLimit: [{ Id: carol, Type: 'title_player_account' }],
    });

    await ok(service, 'CancelAllMatchmakingTicketsForPlayer', { QueueName: queue }, asPlayer(carol));
    const cancelled = await ticketOf(queue, first, asPlayer(carol));
    expect(cancelled).toMatchObject({
      Status: 'Canceled',
      CancellationReason: 'Requested',
      CancellationReasonString: 'Requested',
    });
    // Cancelling a cancelled ticket changes nothing and succeeds.
    await ok(service, 'CancelMatchmakingTicket', { QueueName: queue, TicketId: first }, asPlayer(carol));
    expect((await ticketOf(queue, first)).ChangeNumber).toBe(cancelled.ChangeNumber);
    await createTicket(queue, carol);
  });

  it('creates server tickets for several present players', async () => {
    const queue = uniqueQueue('server');
    await createQueue({ ...duelQueue(queue), MaxMatchSize: 4 });
    const players = [uniquePlayer('p1'), uniquePlayer('p2')];
    const { TicketId } = await ok<{ TicketId: string }>(service, 'CreateServerMatchmakingTicket', {
      QueueName: queue,
      Members: players.map((id) => player(id)),
      GiveUpAfterSeconds: 30,
    });
    const ticket = await ticketOf(queue, TicketId);
    expect(ticket.Members).toHaveLength(2);
    expect(ticket.Status).toBe('WaitingForMatch');
    await ok(service, 'CancelMatchmakingTicket', { QueueName: queue, TicketId });
    // Players can't create server tickets.
    await fails(
      service,
      'CreateServerMatchmakingTicket',
      { QueueName: queue, Members: [player(players[0]!)], GiveUpAfterSeconds: 30 },
      'MatchmakingUnauthorized',
      asPlayer(players[0]!),
    );
  });

  it('gives up after GiveUpAfterSeconds (Canceled, Timeout)', async () => {
    const queue = uniqueQueue('giveup');
    await createQueue(duelQueue(queue));
    const dave = uniquePlayer('dave');
    const { TicketId } = await ok<{ TicketId: string }>(
      service,
      'CreateMatchmakingTicket',
      { QueueName: queue, Creator: player(dave), GiveUpAfterSeconds: 1 },
      asPlayer(dave),
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await service.runMatchmakerTick();
    expect(await ticketOf(queue, TicketId, asPlayer(dave))).toMatchObject({
      Status: 'Canceled',
      CancellationReason: 'Timeout',
    });
    await createTicket(queue, dave);
  });

  it('reports unknown queues and tickets with the spec errors', async () => {
    const queue = uniqueQueue('errors');
    await fails(
      service,
      'CreateMatchmakingTicket',
      { QueueName: queue, Creator: player('x'), GiveUpAfterSeconds: 5 },
      'MatchmakingQueueNotFound',
    );
    await createQueue(duelQueue(queue));
    await fails(
      service,
      'GetMatchmakingTicket',
      { QueueName: queue, TicketId: 'nope', EscapeObject: false },
      'MatchmakingTicketNotFound',
    );
    await fails(
      service,
      'CreateMatchmakingTicket',
      { QueueName: queue, GiveUpAfterSeconds: 5 },
      'InvalidParams',
    );
    await fails(service, 'NoSuchCall', {}, 'InvalidAPIEndpoint');
    await fails(
      service,
      'SubscribeToMatchmakingResource',
      {
        EntityKey: { Id: 'a' },
        PubSubConnectionHandle: 'h',
        ResourceId: 'r',
        SubscriptionVersion: 1,
        Type: 'MatchTicketStatusChange',
      },
      'MatchmakingBadRequest',
    );
  });
});

describe('server backfill tickets (seed 004)', () => {
  const redTeam = (ids: string[]) => ids.map((id) => ({ ...player(id, { skill: 20 }), TeamId: 'red' }));
  const blueTeam = (ids: string[]) => ids.map((id) => ({ ...player(id, { skill: 20 }), TeamId: 'blue' }));
  const serverDetails = {
    IPV4Address: '203.0.113.7',
    Ports: [{ Name: 'game', Num: 7777, Protocol: 'UDP' }],
    Region: 'EastUS',
    ServerId: 'server-1',
  };

  it('fills a 4v4 game that lost a red player with a waiting player close enough to its region', async () => {
    const queue = uniqueQueue('backfill');
    await createQueue(teamQueue(queue));
    const red = [1, 2, 3].map((i) => uniquePlayer(`red${i}`));
    const blue = [1, 2, 3, 4].map((i) => uniquePlayer(`blue${i}`));
    const { TicketId: backfillId } = await ok<{ TicketId: string }>(service, 'CreateServerBackfillTicket', {
      QueueName: queue,
      Members: [...redTeam(red), ...blueTeam(blue)],
      ServerDetails: serverDetails,
      GiveUpAfterSeconds: 120,
    });
    const created = await backfillOf(queue, backfillId);
    expect(created).toMatchObject({ Status: 'WaitingForMatch', ServerDetails: serverDetails });

    // One waiting player is too far from EastUS; the other is close enough.
    const far = uniquePlayer('far');
    const near = uniquePlayer('near');
    const farTicket = await createTicket(queue, far, {
      skill: 20,
      latencies: [
        { region: 'WestEurope', latency: 30 },
        { region: 'EastUS', latency: 400 },
      ],
    });
    await service.runMatchmakerTick();
    expect((await ticketOf(queue, farTicket, asPlayer(far))).Status).toBe('WaitingForMatch');
    await ok(service, 'CancelMatchmakingTicket', { QueueName: queue, TicketId: farTicket }, asPlayer(far));

    const nearTicket = await createTicket(queue, near, {
      skill: 20,
      latencies: [{ region: 'EastUS', latency: 40 }],
    });
    await service.runMatchmakerTick();
    const joined = await ticketOf(queue, nearTicket, asPlayer(near));
    expect(joined.Status).toBe('Matched');
    const filled = await backfillOf(queue, backfillId);
    expect(filled).toMatchObject({ Status: 'Matched', MatchId: joined.MatchId });

    const match = await ok<{
      Members: Array<{ Entity: { Id: string }; TeamId?: string }>;
      ServerDetails?: unknown;
      RegionPreferences?: string[];
    }>(
      service,
      'GetMatch',
      { QueueName: queue, MatchId: joined.MatchId, ReturnMemberAttributes: true, EscapeObject: false },
      asPlayer(near),
    );
    expect(match.ServerDetails).toEqual(serverDetails);
    expect(match.RegionPreferences).toEqual(['EastUS']);
    const teamOf = new Map(match.Members.map((m) => [m.Entity.Id, m.TeamId]));
    expect(teamOf.get(near)).toBe('red');
    for (const id of red) expect(teamOf.get(id)).toBe('red');
    for (const id of blue) expect(teamOf.get(id)).toBe('blue');

    // Matched: can't be cancelled; the members' backfill locks are released.
    await fails(
      service,
      'CancelServerBackfillTicket',
      { QueueName: queue, TicketId: backfillId },
      'MatchmakingTicketAlreadyCompleted',
    );
    expect(
      await ok(service, 'ListServerBackfillTicketsForPlayer', { QueueName: queue, Entity: { Id: red[0] } }),
    ).toEqual({ TicketIds: [] });
  });

  it('places backfill members without a TeamId on any team', async () => {
    const queue = uniqueQueue('teamless');
    await createQueue(teamQueue(queue));
    const members = [1, 2, 3, 4, 5, 6, 7].map((i) => ({
      ...player(uniquePlayer(`m${i}`)),
      ...(i <= 4 ? { TeamId: 'blue' } : {}),
    }));
    const { TicketId } = await ok<{ TicketId: string }>(service, 'CreateServerBackfillTicket', {
      QueueName: queue,
      Members: members,
      ServerDetails: { Region: 'EastUS' },
      GiveUpAfterSeconds: 60,
    });
    const joiner = uniquePlayer('joiner');
    const ticketId = await createTicket(queue, joiner, { latencies: [{ region: 'EastUS', latency: 20 }] });
    await service.runMatchmakerTick();
    expect((await backfillOf(queue, TicketId)).Status).toBe('Matched');
    expect((await ticketOf(queue, ticketId)).Status).toBe('Matched');
  });

  it('recovers players a crashed server left in a backfill ticket (2055, then CancelAllServerBackfillTicketsForPlayer)', async () => {
    const queue = uniqueQueue('crash');
    await createQueue(teamQueue(queue));
    const red = [1, 2, 3].map((i) => uniquePlayer(`r${i}`));
    const blue = [1, 2, 3].map((i) => uniquePlayer(`b${i}`));
    const { TicketId: lost } = await ok<{ TicketId: string }>(service, 'CreateServerBackfillTicket', {
      QueueName: queue,
      Members: [...redTeam(red), ...blueTeam(blue)],
      ServerDetails: serverDetails,
      GiveUpAfterSeconds: 600,
    });
    // The server crashes; its replacement tries to backfill for the same players.
    const refused = await fails(
      service,
      'CreateServerBackfillTicket',
      {
        QueueName: queue,
        Members: [...redTeam(red), ...blueTeam(blue)],
        ServerDetails: serverDetails,
        GiveUpAfterSeconds: 600,
      },
      'MatchmakingTicketMembershipLimitExceeded',
    );
    expect(refused.errorCode).toBe(2055);
    const blocked = (refused.errorDetails?.UsersExceedingMembershipLimit ?? []) as Array<{ Id: string }>;
    expect(blocked.map((user) => user.Id).sort()).toEqual([...red, ...blue].sort());
    // Tracked apart from regular tickets: the same players can still queue normally.
    await createTicket(queue, red[0]!, { latencies: [{ region: 'EastUS', latency: 10 }] });

    expect(
      await ok(service, 'ListServerBackfillTicketsForPlayer', { QueueName: queue, Entity: { Id: red[1] } }),
    ).toEqual({ TicketIds: [lost] });
    await ok(service, 'CancelAllServerBackfillTicketsForPlayer', {
      QueueName: queue,
      Entity: { Id: red[1] },
    });
    expect(await backfillOf(queue, lost)).toMatchObject({
      Status: 'Canceled',
      CancellationReason: 'Requested',
    });
    // Cancelling a cancelled backfill ticket is a no-op.
    await ok(service, 'CancelServerBackfillTicket', { QueueName: queue, TicketId: lost });
    await ok(service, 'CreateServerBackfillTicket', {
      QueueName: queue,
      Members: [...redTeam(red.slice(1)), ...blueTeam(blue)],
      ServerDetails: serverDetails,
      GiveUpAfterSeconds: 600,
    });
  });

  it('refuses team ids the queue does not have and a region-rule queue without ServerDetails.Region', async () => {
    const queue = uniqueQueue('checks');
    await createQueue(teamQueue(queue));
    await fails(
      service,
      'CreateServerBackfillTicket',
      {
        QueueName: queue,
        Members: [{ ...player(uniquePlayer('g')), TeamId: 'green' }],
        ServerDetails: { Region: 'EastUS' },
        GiveUpAfterSeconds: 60,
      },
      'MatchmakingBadRequest',
    );
    await fails(
      service,
      'CreateServerBackfillTicket',
      { QueueName: queue, Members: [player(uniquePlayer('n'))], GiveUpAfterSeconds: 60 },
      'MatchmakingBadRequest',
    );
    const tooMany = Array.from({ length: 8 }, (_, i) => player(uniquePlayer(`full${i}`)));
    await fails(
      service,
      'CreateServerBackfillTicket',
      { QueueName: queue, Members: tooMany, ServerDetails: { Region: 'EastUS' }, GiveUpAfterSeconds: 60 },
      'MatchmakingNumberOfPlayersInTicketTooLarge',
    );
  });
});

describe('ownership', () => {
  it('refuses game-server calls without the title secret key, and player tokens on the game-server route', async () => {
    const queue = uniqueQueue('auth');
    await createQueue(duelQueue(queue));
    const request = { QueueName: queue, Creator: player('eve'), GiveUpAfterSeconds: 60 };
    expect(
      (await fails(service, 'CreateMatchmakingTicket', request, 'EntityTokenMissing', { none: true })).code,
    ).toBe(401);
    const serverRoute = (headers: Record<string, string>) =>
      fetch(`${service.url}/Match/CreateMatchmakingTicket`, {
        method: 'POST',
        headers,
        body: JSON.stringify(request),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as object }));
    expect(await serverRoute({ 'X-SecretKey': 'guess' })).toMatchObject({
      status: 401,
      body: { error: 'NotAuthenticated' },
    });
    // A valid player token is no game server's key: the answer points to the player route.
    const token = await service.playerTokens.mint('eve');
    expect(await serverRoute({ 'X-EntityToken': token })).toMatchObject({
      status: 401,
      body: {
        error: 'NotAuthenticated',
        errorMessage: expect.stringContaining('POST /Player/Match/CreateMatchmakingTicket'),
      },
    });
  });

  it('lets the gateway refuse missing, forged and expired player tokens before the function runs (401, as API Gateway does)', async () => {
    const queue = uniqueQueue('jwt');
    await createQueue(duelQueue(queue));
    const playerRoute = (headers: Record<string, string>) =>
      fetch(`${service.url}/Player/Match/CreateMatchmakingTicket`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ QueueName: queue, Creator: player('eve'), GiveUpAfterSeconds: 60 }),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as object,
        challenge: response.headers.get('www-authenticate'),
      }));
    const refused = (description: RegExp) => ({
      status: 401,
      body: { message: 'Unauthorized' },
      challenge: expect.stringMatching(description),
    });
    expect(await playerRoute({})).toEqual(refused(/no token in X-EntityToken/));
    // The title secret key opens no player route.
    expect(await playerRoute({ 'X-SecretKey': DEV_TITLE_SECRET_KEY })).toEqual(refused(/no token/));
    const stranger = await LocalPlayerTokenKeys.open(service.options.playerTokens);
    expect(await playerRoute({ 'X-EntityToken': await stranger.mint('eve') })).toEqual(
      refused(/no key of the issuer matches/),
    );
    const expired = await service.playerTokens.mint('eve', { ttlSeconds: 60, nowMs: Date.now() - 120_000 });
    expect(await playerRoute({ 'X-EntityToken': expired })).toEqual(refused(/expired/));
    const valid = await service.playerTokens.mint('eve');
    expect(await playerRoute({ 'X-EntityToken': `Bearer ${valid}` })).toMatchObject({ status: 200 });
    // Nothing was created by the refused calls: eve holds exactly the one ticket.
    const tickets = await ok<{ TicketIds: string[] }>(
      service,
      'ListMatchmakingTicketsForPlayer',
      { QueueName: queue, Entity: { Id: 'eve', Type: 'title_player_account' } },
      SERVER,
    );
    expect(tickets.TicketIds).toHaveLength(1);
  });

  it('rotates player-token keys by kid: both keys verify during the overlap, a removed key no longer does', async () => {
    const queue = uniqueQueue('rotate');
    await createQueue(duelQueue(queue));
    const list = (token: string) =>
      fetch(`${service.url}/Player/Match/ListMatchmakingTicketsForPlayer`, {
        method: 'POST',
        headers: { 'X-EntityToken': token },
        body: JSON.stringify({ QueueName: queue }),
      }).then((response) => response.status);
    const [oldKid] = service.playerTokens.kids.slice(-1);
    const newKid = await service.playerTokens.addKey();
    const signedByOld = await service.playerTokens.mint('frank', { kid: oldKid });
    const signedByNew = await service.playerTokens.mint('frank', { kid: newKid });
    expect([await list(signedByOld), await list(signedByNew)]).toEqual([200, 200]);
    service.playerTokens.removeKey(oldKid!);
    expect([await list(signedByOld), await list(signedByNew)]).toEqual([401, 200]);
  });

  it('keeps players to their own tickets and away from backfill tickets and queue admin', async () => {
    const queue = uniqueQueue('owner');
    await createQueue(teamQueue(queue));
    const [mallory, victim, teammate] = [
      uniquePlayer('mallory'),
      uniquePlayer('victim'),
      uniquePlayer('teammate'),
    ];

    // Creating a ticket for someone else.
    await fails(
      service,
      'CreateMatchmakingTicket',
      { QueueName: queue, Creator: player(victim), GiveUpAfterSeconds: 60 },
      'MatchmakingUnauthorized',
      asPlayer(mallory),
    );
    expect(
      await ok(service, 'ListMatchmakingTicketsForPlayer', { QueueName: queue, Entity: { Id: victim } }),
    ).toEqual({ TicketIds: [] });

    // Someone else's ticket: no reading, no cancelling, no listing, no cancel-all.
    const victimTicket = await createTicket(queue, victim, {
      latencies: [{ region: 'EastUS', latency: 10 }],
    });
    const before = await ticketOf(queue, victimTicket);
    await fails(
      service,
      'GetMatchmakingTicket',
      { QueueName: queue, TicketId: victimTicket, EscapeObject: false },
      'MatchmakingUnauthorized',
      asPlayer(mallory),
    );
    const refused = await fails(
      service,
      'CancelMatchmakingTicket',
      { QueueName: queue, TicketId: victimTicket },
      'MatchmakingUnauthorized',
      asPlayer(mallory),
    );
    expect(refused.errorCode).toBe(2056);
    await fails(
      service,
      'ListMatchmakingTicketsForPlayer',
      { QueueName: queue, Entity: { Id: victim } },
      'MatchmakingUnauthorized',
      asPlayer(mallory),
    );
    await fails(
      service,
      'CancelAllMatchmakingTicketsForPlayer',
      { QueueName: queue, Entity: { Id: victim } },
      'MatchmakingUnauthorized',
      asPlayer(mallory),
    );
    expect(await ticketOf(queue, victimTicket)).toEqual(before);

    // A backfill ticket the players are in: they can't see it or cancel it, by any call.
    const { TicketId: backfillId } = await ok<{ TicketId: string }>(service, 'CreateServerBackfillTicket', {
      QueueName: queue,
      Members: [mallory, teammate].map((id) => ({ ...player(id), TeamId: 'red' })),
      ServerDetails: { Region: 'EastUS' },
      GiveUpAfterSeconds: 600,
    });
    const backfillBefore = await backfillOf(queue, backfillId);
    const asMallory = asPlayer(mallory);
    await fails(
      service,
      'GetServerBackfillTicket',
      { QueueName: queue, TicketId: backfillId, EscapeObject: false },
      'MatchmakingUnauthorized',
      asMallory,
    );
    await fails(
      service,
      'CancelServerBackfillTicket',
      { QueueName: queue, TicketId: backfillId },
      'MatchmakingUnauthorized',
      asMallory,
    );
    await fails(
      service,
      'CancelAllServerBackfillTicketsForPlayer',
      { QueueName: queue, Entity: { Id: mallory } },
      'MatchmakingUnauthorized',
      asMallory,
    );
    await fails(
      service,
      'ListServerBackfillTicketsForPlayer',
      { QueueName: queue, Entity: { Id: mallory } },
      'MatchmakingUnauthorized',
      asMallory,
    );
    await fails(
      service,
      'GetMatchmakingTicket',
      { QueueName: queue, TicketId: backfillId, EscapeObject: false },
      'MatchmakingUnauthorized',
      asMallory,
    );
    await fails(
      service,
      'CancelMatchmakingTicket',
      { QueueName: queue, TicketId: backfillId },
      'MatchmakingUnauthorized',
      asMallory,
    );
    await fails(
      service,
      'CreateServerBackfillTicket',
      {
        QueueName: queue,
        Members: [player(mallory)],
        ServerDetails: { Region: 'EastUS' },
        GiveUpAfterSeconds: 60,
      },
      'MatchmakingUnauthorized',
      asMallory,
    );
    expect(await backfillOf(queue, backfillId)).toEqual(backfillBefore);
    // The server sees the kinds apart.
    await fails(
      service,
      'GetMatchmakingTicket',
      { QueueName: queue, TicketId: backfillId, EscapeObject: false },
      'MatchmakingRequestTypeMismatch',
    );

    // Queue administration is for the title.
    for (const [operation, request] of [
      ['SetMatchmakingQueue', { MatchmakingQueue: duelQueue(uniqueQueue('x')) }],
      ['GetMatchmakingQueue', { QueueName: queue }],
      ['ListMatchmakingQueues', {}],
      ['RemoveMatchmakingQueue', { QueueName: queue }],
    ] as const) {
      expect((await fails(service, operation, request, 'NotAuthorized', asMallory)).code).toBe(403);
    }
    await ok(service, 'GetMatchmakingQueue', { QueueName: queue });

    // Statistics: players see what the queue shows them.
    const stats = await ok<{ NumberOfPlayersMatching?: number }>(
      service,
      'GetQueueStatistics',
      { QueueName: queue },
      asMallory,
    );
    expect(stats.NumberOfPlayersMatching).toBe(1);
  });
});
