import {
  AcceptMatchCommand,
  CreateMatchmakingConfigurationCommand,
  CreateMatchmakingRuleSetCommand,
  DescribeMatchmakingCommand,
  type GameLiftClient,
  InvalidRequestException,
  type MatchmakingTicket,
  StartMatchBackfillCommand,
  StartMatchmakingCommand,
  StopMatchmakingCommand,
} from '@aws-sdk/client-gamelift';
import type { LocalEventEnvelope } from '../../../lambdas/local/local-event-sink';
import type { LocalService } from '../../../lambdas/local/service';
import { startGameLiftService, stopGameLiftService, uniqueName } from '../../support/local-service';
import { twoVersusTwoSkill } from '../../support/rule-sets';

const twoVersusTwo = twoVersusTwoSkill;

let service: LocalService;
let client: GameLiftClient;
const seen: LocalEventEnvelope[] = [];

beforeAll(async () => {
  ({ service, client } = await startGameLiftService(seen));
});
afterAll(() => stopGameLiftService({ service, client }));

async function configuration(
  options: {
    requestTimeoutSeconds?: number;
    customEventData?: string;
    acceptanceTimeoutSeconds?: number;
  } = {},
) {
  const name = uniqueName('config');
  const ruleSetName = uniqueName('rules');
  await client.send(new CreateMatchmakingRuleSetCommand({ Name: ruleSetName, RuleSetBody: twoVersusTwo }));
  await client.send(
    new CreateMatchmakingConfigurationCommand({
      Name: name,
      RuleSetName: ruleSetName,
      RequestTimeoutSeconds: options.requestTimeoutSeconds ?? 300,
      AcceptanceRequired: options.acceptanceTimeoutSeconds !== undefined,
      AcceptanceTimeoutSeconds: options.acceptanceTimeoutSeconds,
      CustomEventData: options.customEventData,
    }),
  );
  return name;
}

async function start(configurationName: string, skill = 10): Promise<MatchmakingTicket> {
  const response = await client.send(
    new StartMatchmakingCommand({
      ConfigurationName: configurationName,
      Players: [
        {
          PlayerId: uniqueName('p'),
          // `mood` is not declared by the rule set: matchmaker data leaves it out.
          PlayerAttributes: { skill: { N: skill }, mood: { S: 'calm' } },
          LatencyInMs: { 'us-east-1': 30 },
        },
      ],
    }),
  );
  return response.MatchmakingTicket!;
}

/** One new player (skill 11) starts matchmaking; two ticks later, the backfill and its ticket as they are. */
async function joinOne(configurationName: string, backfill: MatchmakingTicket) {
  const joiner = await start(configurationName, 11);
  await service.runMatchmakerTick();
  await service.runMatchmakerTick();
  const [backfillTicket, joinerTicket] = await describe_([backfill.TicketId!, joiner.TicketId!]);
  return { joiner, backfillTicket, joinerTicket };
}

/** A player already in the game that asks for backfill: on a team, skill 10. */
function inGame(playerId: string, team: string, latencyInMs?: Record<string, number>) {
  return { PlayerId: playerId, Team: team, PlayerAttributes: { skill: { N: 10 } }, LatencyInMs: latencyInMs };
}

/** Team → sorted player ids, from the matchmaker data of the ticket's MatchmakingSucceeded event. */
function matchmakerRosterFor(ticketId: string): Record<string, string[]> {
  const succeeded = eventsFor(ticketId).find(
    (e) => (e.detail as { type: string }).type === 'MatchmakingSucceeded',
  );
  const text = (succeeded?.detail as { matchmakerData?: string } | undefined)?.matchmakerData;
  const data = text
    ? (JSON.parse(text) as { teams: Array<{ name: string; players: Array<{ playerId: string }> }> })
    : undefined;
  return Object.fromEntries(
    (data?.teams ?? []).map((t) => [t.name, t.players.map((p) => p.playerId).sort()]),
  );
}

async function describe_(ids: string[]): Promise<MatchmakingTicket[]> {
  const response = await client.send(new DescribeMatchmakingCommand({ TicketIds: ids }));
  return response.TicketList!;
}

const eventsFor = (ticketId: string) =>
  seen.filter((e) =>
    (e.detail as { tickets: Array<{ ticketId: string }> }).tickets.some((t) => t.ticketId === ticketId),
  );
const typesFor = (ticketId: string) => eventsFor(ticketId).map((e) => (e.detail as { type: string }).type);

describe('the matchmaker through the official SDK', () => {
  it('forms a 2v2 match: tickets go SEARCHING then COMPLETED with teams, and the events say so', async () => {
    const name = await configuration({ customEventData: 'ranked-arena' });
    const tickets = await Promise.all([start(name), start(name), start(name), start(name)]);
    const ids = tickets.map((t) => t.TicketId!);
    await service.runMatchmakerTick();
    const done = await describe_(ids);
    expect(done.map((t) => t.Status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    const teams = done.flatMap((t) => t.Players!.map((p) => p.Team));
    expect(teams.filter((team) => team === 'red')).toHaveLength(2);
    expect(teams.filter((team) => team === 'blue')).toHaveLength(2);
    for (const id of ids) {
      expect(typesFor(id)).toEqual(['MatchmakingSearching', 'PotentialMatchCreated', 'MatchmakingSucceeded']);
    }
    const succeeded = eventsFor(ids[0]!).find(
      (e) => (e.detail as { type: string }).type === 'MatchmakingSucceeded',
    )!;
    expect(succeeded['detail-type']).toBe('GameLift Matchmaking Event');
    expect(succeeded.source).toBe('slotfill.matchmaking');
    expect(succeeded.resources).toEqual([
      `arn:aws:gamelift:us-east-1:000000000000:matchmakingconfiguration/${name}`,
    ]);
    const potential = eventsFor(ids[0]!).find(
      (e) => (e.detail as { type: string }).type === 'PotentialMatchCreated',
    )!;
    expect(potential.detail).toMatchObject({
      acceptanceRequired: false,
      ruleEvaluationMetrics: [{ ruleName: 'FairSkill', passedCount: 1, failedCount: 0 }],
    });
    expect(succeeded.detail).toMatchObject({
      customEventData: 'ranked-arena',
      matchId: (potential.detail as { matchId: string }).matchId,
    });
    // Matchmaker data for the game server: a JSON string, as a game session's MatchmakerData is.
    const data = JSON.parse((succeeded.detail as { matchmakerData: string }).matchmakerData) as {
      matchId: string;
      teams: Array<{ name: string; players: Array<{ playerId: string; attributes: object }> }>;
    };
    expect(data).toEqual({
      matchId: (potential.detail as { matchId: string }).matchId,
      matchmakingConfigurationArn: `arn:aws:gamelift:us-east-1:000000000000:matchmakingconfiguration/${name}`,
      teams: expect.any(Array),
      autoBackfillMode: 'MANUAL',
    });
    expect(data.teams.flatMap((team) => team.players.map((p) => p.attributes))).toEqual(
      Array(4).fill({ skill: { attributeType: 'DOUBLE', valueAttribute: 10 } }),
    );
    // A second tick finds nothing left to do and publishes nothing new for these tickets.
    await service.runMatchmakerTick();
    for (const id of ids) expect(typesFor(id)).toHaveLength(3);
  });

  it('fills a running game that lost a red player: the new player joins red with the session connection info', async () => {
    const name = await configuration();
    const gameSessionArn = `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${uniqueName('gs')}`;
    const red = uniqueName('red');
    const blueOne = uniqueName('blue');
    const blueTwo = uniqueName('blue');
    const backfill = await client.send(
      new StartMatchBackfillCommand({
        ConfigurationName: name,
        GameSessionArn: gameSessionArn,
        Players: [inGame(red, 'red', { 'us-east-1': 20 }), inGame(blueOne, 'blue'), inGame(blueTwo, 'blue')],
      }),
    );
    expect(backfill.MatchmakingTicket?.Status).toBe('QUEUED');
    const { joiner, backfillTicket, joinerTicket } = await joinOne(name, backfill.MatchmakingTicket!);
    expect(joinerTicket?.Status).toBe('COMPLETED');
    expect(joinerTicket?.Players?.[0]?.Team).toBe('red');
    expect(joinerTicket?.GameSessionConnectionInfo?.GameSessionArn).toBe(gameSessionArn);
    expect(joinerTicket?.GameSessionConnectionInfo?.MatchedPlayerSessions).toEqual([
      { PlayerId: joiner.Players![0]!.PlayerId, PlayerSessionId: expect.stringMatching(/^psess-/) },
    ]);
    expect(backfillTicket?.Status).toBe('COMPLETED');
    expect(Object.fromEntries(backfillTicket!.Players!.map((p) => [p.PlayerId, p.Team]))).toEqual({
      [red]: 'red',
      [blueOne]: 'blue',
      [blueTwo]: 'blue',
    });

    expect(matchmakerRosterFor(joiner.TicketId!)).toEqual({
      red: [red, joiner.Players![0]!.PlayerId!].sort(),
      blue: [blueOne, blueTwo].sort(),
    });
  });

  it('fills a game without a GameSessionArn (standalone FlexMatch): same teams and matchmaker data, no session info', async () => {
    const name = await configuration();
    const red = uniqueName('red');
    const blue = [uniqueName('blue'), uniqueName('blue')];
    const backfill = await client.send(
      new StartMatchBackfillCommand({
        ConfigurationName: name,
        Players: [
          inGame(red, 'red', { 'eu-west-1': 40 }),
          ...blue.map((playerId) => inGame(playerId, 'blue')),
        ],
      }),
    );
    expect(backfill.MatchmakingTicket?.Status).toBe('QUEUED');
    expect(backfill.MatchmakingTicket?.GameSessionConnectionInfo).toBeUndefined();
    const { joiner, backfillTicket, joinerTicket } = await joinOne(name, backfill.MatchmakingTicket!);
    expect([backfillTicket?.Status, joinerTicket?.Status]).toEqual(['COMPLETED', 'COMPLETED']);
    expect(joinerTicket?.Players?.[0]?.Team).toBe('red');
    expect(joinerTicket?.GameSessionConnectionInfo?.GameSessionArn).toBeUndefined();
    expect(matchmakerRosterFor(joiner.TicketId!)).toEqual({
      red: [red, joiner.Players![0]!.PlayerId!].sort(),
      blue: [...blue].sort(),
    });
  });

  it('refuses a backfill player without a Team, with or without a GameSessionArn', async () => {
    const name = await configuration();
    for (const session of [
      {},
      { GameSessionArn: `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${uniqueName('gs')}` },
    ]) {
      const attempt = client.send(
        new StartMatchBackfillCommand({
          ConfigurationName: name,
          ...session,
          Players: [{ PlayerId: uniqueName('p') }],
        }),
      );
      await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
      await expect(attempt).rejects.toThrow(/team/i);
    }
  });

  it('keeps one active backfill per game session: a new request cancels the old one', async () => {
    const name = await configuration();
    const gameSessionArn = `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${uniqueName('gs')}`;
    const request = () =>
      client.send(
        new StartMatchBackfillCommand({
          ConfigurationName: name,
          GameSessionArn: gameSessionArn,
          Players: [{ PlayerId: uniqueName('p'), Team: 'red' }],
        }),
      );
    const first = await request();
    const second = await request();
    const [old, current] = await describe_([
      first.MatchmakingTicket!.TicketId!,
      second.MatchmakingTicket!.TicketId!,
    ]);
    expect(old?.Status).toBe('CANCELLED');
    expect(old?.StatusMessage).toMatch(/newer backfill/);
    expect(current?.Status).toBe('QUEUED');
    await service.runMatchmakerTick();
    expect(typesFor(first.MatchmakingTicket!.TicketId!)).toEqual(['MatchmakingCancelled']);
  });

  it('never matches two backfill tickets with each other', async () => {
    const name = await configuration();
    const backfills = await Promise.all(
      ['red', 'blue'].map((team) =>
        client.send(
          new StartMatchBackfillCommand({
            ConfigurationName: name,
            GameSessionArn: `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${uniqueName('gs')}`,
            Players: [
              { PlayerId: uniqueName('p'), Team: team },
              { PlayerId: uniqueName('p'), Team: team },
            ],
          }),
        ),
      ),
    );
    await service.runMatchmakerTick();
    await service.runMatchmakerTick();
    const tickets = await describe_(backfills.map((b) => b.MatchmakingTicket!.TicketId!));
    expect(tickets.map((t) => t.Status)).toEqual(['SEARCHING', 'SEARCHING']);
  });

  it("refuses latency for a Region other than the game session's", async () => {
    const name = await configuration();
    const attempt = client.send(
      new StartMatchBackfillCommand({
        ConfigurationName: name,
        GameSessionArn: `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${uniqueName('gs')}`,
        Players: [{ PlayerId: uniqueName('p'), Team: 'red', LatencyInMs: { 'eu-west-1': 30 } }],
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(attempt).rejects.toThrow(/us-east-1/);
  });

  it('times tickets out after RequestTimeoutSeconds, with one MatchmakingTimedOut event', async () => {
    const name = await configuration({ requestTimeoutSeconds: 1 });
    const ticket = await start(name);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await service.runMatchmakerTick();
    const [timedOut] = await describe_([ticket.TicketId!]);
    expect(timedOut?.Status).toBe('TIMED_OUT');
    expect(typesFor(ticket.TicketId!)).toEqual(['MatchmakingTimedOut']);
    // As FlexMatch's events reference spells them.
    expect(eventsFor(ticket.TicketId!)[0]?.detail).toEqual(
      expect.objectContaining({ reason: 'TimedOut', message: 'Removed from matchmaking due to timing out.' }),
    );
    // The player's lock was released: a new ticket is accepted.
    await client.send(
      new StartMatchmakingCommand({
        ConfigurationName: name,
        Players: [{ PlayerId: ticket.Players![0]!.PlayerId! }],
      }),
    );
  });

  it('publishes MatchmakingCancelled for a stopped ticket, exactly once', async () => {
    const name = await configuration();
    const ticket = await start(name);
    await service.runMatchmakerTick();
    await client.send(new StopMatchmakingCommand({ TicketId: ticket.TicketId! }));
    await service.runMatchmakerTick();
    await service.runMatchmakerTick();
    expect(typesFor(ticket.TicketId!)).toEqual(['MatchmakingSearching', 'MatchmakingCancelled']);
    const [searching, cancelled] = eventsFor(ticket.TicketId!);
    expect(new Set([searching?.id, cancelled?.id]).size).toBe(2);
    expect(cancelled?.detail).toEqual(
      expect.objectContaining({
        reason: 'Cancelled',
        message: 'Cancelled by request.',
        gameSessionInfo: { players: [{ playerId: ticket.Players![0]!.PlayerId }] },
      }),
    );
    expect(searching?.detail).toEqual(expect.objectContaining({ estimatedWaitMillis: expect.anything() }));
  });
});

describe('acceptance through the official SDK', () => {
  const playerOf = (ticket: MatchmakingTicket) => ticket.Players![0]!.PlayerId!;
  const accept = (ticket: MatchmakingTicket, type: 'ACCEPT' | 'REJECT' = 'ACCEPT') =>
    client.send(
      new AcceptMatchCommand({
        TicketId: ticket.TicketId!,
        PlayerIds: [playerOf(ticket)],
        AcceptanceType: type,
      }),
    );

  async function proposedMatch(acceptanceTimeoutSeconds = 60) {
    const name = await configuration({ acceptanceTimeoutSeconds });
    const tickets = await Promise.all([start(name), start(name), start(name), start(name)]);
    await service.runMatchmakerTick();
    const proposed = await describe_(tickets.map((t) => t.TicketId!));
    expect(proposed.map((t) => t.Status)).toEqual(Array(4).fill('REQUIRES_ACCEPTANCE'));
    return { name, tickets };
  }

  it('completes the match once every player accepts, with the acceptance events in order', async () => {
    const { tickets } = await proposedMatch();
    const potential = eventsFor(tickets[0]!.TicketId!).find(
      (e) => (e.detail as { type: string }).type === 'PotentialMatchCreated',
    );
    expect(potential?.detail).toMatchObject({ acceptanceRequired: true, acceptanceTimeout: 60 });
    for (const ticket of tickets.slice(0, 3)) await accept(ticket);
    expect((await describe_([tickets[3]!.TicketId!]))[0]?.Status).toBe('REQUIRES_ACCEPTANCE');
    await accept(tickets[3]!);
    const done = await describe_(tickets.map((t) => t.TicketId!));
    expect(done.map((t) => t.Status)).toEqual(Array(4).fill('COMPLETED'));
    await service.runMatchmakerTick();
    // Each AcceptMatch lists every ticket of the match, so the last ticket sees all four answers.
    expect(typesFor(tickets[3]!.TicketId!)).toEqual([
      'MatchmakingSearching',
      'PotentialMatchCreated',
      'AcceptMatch',
      'AcceptMatch',
      'AcceptMatch',
      'AcceptMatch',
      'AcceptMatchCompleted',
      'MatchmakingSucceeded',
    ]);
    const third = eventsFor(tickets[3]!.TicketId!).filter(
      (e) => (e.detail as { type: string }).type === 'AcceptMatch',
    )[2]?.detail as { tickets: Array<{ ticketId: string; players: Array<{ accepted?: boolean }> }> };
    expect(Object.fromEntries(third.tickets.map((t) => [t.ticketId, t.players[0]?.accepted]))).toEqual(
      Object.fromEntries(tickets.map((t, index) => [t.TicketId, index < 3 ? true : undefined])),
    );
    const completed = eventsFor(tickets[0]!.TicketId!).find(
      (e) => (e.detail as { type: string }).type === 'AcceptMatchCompleted',
    );
    expect(completed?.detail).toMatchObject({ acceptance: 'Accepted' });
  });

  it('cancels the rejecting ticket and puts the others back to SEARCHING', async () => {
    const { name, tickets } = await proposedMatch();
    await accept(tickets[0]!);
    await accept(tickets[1]!, 'REJECT');
    const after = await describe_(tickets.map((t) => t.TicketId!));
    expect(after.map((t) => t.Status)).toEqual(['SEARCHING', 'CANCELLED', 'SEARCHING', 'SEARCHING']);
    expect(after[0]?.Players?.[0]?.Team).toBeUndefined();
    await service.runMatchmakerTick();
    const rejected = eventsFor(tickets[1]!.TicketId!).map(
      (e) => e.detail as { type: string; acceptance?: string },
    );
    expect(rejected.map((d) => d.type)).toContain('MatchmakingCancelled');
    expect(rejected.find((d) => d.type === 'AcceptMatchCompleted')?.acceptance).toBe('Rejected');
    // The tickets that go back to the search say so, in an event and in their status message.
    expect(typesFor(tickets[0]!.TicketId!).filter((type) => type === 'MatchmakingSearching')).toHaveLength(2);
    expect(after[0]?.StatusMessage).toMatch(/rejected by a player of another ticket/);
    // The rejecting player is free to queue again.
    await client.send(
      new StartMatchmakingCommand({
        ConfigurationName: name,
        Players: [{ PlayerId: playerOf(tickets[1]!) }],
      }),
    );
    // Answers after the decision are refused.
    await expect(accept(tickets[2]!)).rejects.toThrow(/not waiting for acceptance/);
  });

  it('treats silence past AcceptanceTimeoutSeconds as rejection', async () => {
    // Three seconds: the two answers must land inside the window even on a loaded machine.
    const { tickets } = await proposedMatch(3);
    await accept(tickets[0]!);
    await accept(tickets[1]!);
    await new Promise((resolve) => setTimeout(resolve, 3100));
    await service.runMatchmakerTick();
    const after = await describe_(tickets.map((t) => t.TicketId!));
    expect(after.map((t) => t.Status)).toEqual(['SEARCHING', 'SEARCHING', 'CANCELLED', 'CANCELLED']);
    const completed = eventsFor(tickets[2]!.TicketId!).find(
      (e) => (e.detail as { type: string }).type === 'AcceptMatchCompleted',
    );
    expect(completed?.detail).toMatchObject({ acceptance: 'TimedOut' });
  });

  it('asks only the joining players in a backfill, and refuses answers for others', async () => {
    const name = await configuration({ acceptanceTimeoutSeconds: 60 });
    const inGame = uniqueName('red');
    const gameSessionArn = `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${uniqueName('gs')}`;
    const backfill = await client.send(
      new StartMatchBackfillCommand({
        ConfigurationName: name,
        GameSessionArn: gameSessionArn,
        Players: [
          { PlayerId: inGame, Team: 'red', PlayerAttributes: { skill: { N: 10 } } },
          { PlayerId: uniqueName('blue'), Team: 'blue', PlayerAttributes: { skill: { N: 10 } } },
          { PlayerId: uniqueName('blue'), Team: 'blue', PlayerAttributes: { skill: { N: 10 } } },
        ],
      }),
    );
    const joiner = await start(name);
    await service.runMatchmakerTick();
    const backfillTicket = backfill.MatchmakingTicket!;
    expect((await describe_([joiner.TicketId!]))[0]?.Status).toBe('REQUIRES_ACCEPTANCE');
    await expect(
      client.send(
        new AcceptMatchCommand({
          TicketId: backfillTicket.TicketId!,
          PlayerIds: [inGame],
          AcceptanceType: 'ACCEPT',
        }),
      ),
    ).rejects.toThrow(/only joining players accept/);
    await accept(joiner);
    const [doneBackfill, doneJoiner] = await describe_([backfillTicket.TicketId!, joiner.TicketId!]);
    expect(doneJoiner?.Status).toBe('COMPLETED');
    expect(doneJoiner?.GameSessionConnectionInfo?.GameSessionArn).toBe(gameSessionArn);
    expect(doneBackfill?.Status).toBe('COMPLETED');
  });

  it('refuses AcceptMatch for a ticket that is not waiting for acceptance', async () => {
    const name = await configuration();
    const ticket = await start(name);
    await expect(accept(ticket)).rejects.toBeInstanceOf(InvalidRequestException);
  });
});
