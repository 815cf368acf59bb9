import { randomUUID } from 'node:crypto';
import { toAwsJsonError } from '../../lambdas/dialects/gamelift/errors';
import type { GameLiftContext } from '../../lambdas/dialects/gamelift/operations';
import { implementedOperations } from '../../lambdas/dialects/gamelift/operations';
import type { GameLiftOperation } from '../../lambdas/dialects/gamelift/schemas';
import { toPlayFabError } from '../../lambdas/dialects/playfab/envelope';
import { playFabOperations } from '../../lambdas/dialects/playfab/operations';
import type {
  OperationRequest,
  OperationResult,
  PlayFabOperation,
} from '../../lambdas/dialects/playfab/schemas';
import type { MatchmakingEvent, TicketRecord } from '../../lambdas/store/records';
import type { Principal } from '../../lambdas/usecases/access';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import { queueConfigurationName } from '../../lambdas/usecases/programs';

/**
 * Both dialects driven in-process, through their operation tables (the same code the HTTP
 * handlers call after parsing), on one use-case context. Each driver speaks its own wire
 * shapes; the scenarios compare what the neutral layers stored and published.
 */

export interface Member {
  playerId: string;
  skill: number;
  team?: string;
}

export interface DialectDriver {
  name: 'GameLift' | 'PlayFab';
  /** The configuration (FlexMatch) or queue (PlayFab) for 1v1 matches, with this timeout. */
  setUp(timeoutSeconds: number): Promise<string>;
  configurationName(): string;
  start(members: Member[]): Promise<string>;
  cancel(ticketId: string): Promise<void>;
  /** A backfill for a running game whose players are `members` (each with a team). */
  backfill(members: Member[]): Promise<string>;
  /** Reads a ticket by id; the wire error name when the call fails. */
  read(ticketId: string): Promise<{ ok: true } | { ok: false; error: string }>;
}

async function gameLift<Operation extends GameLiftOperation>(
  context: GameLiftContext,
  operation: Operation,
  input: object,
): Promise<Record<string, unknown>> {
  const implementation = implementedOperations[operation] as
    | ((c: GameLiftContext, i: unknown) => Promise<object>)
    | undefined;
  if (!implementation) throw new Error(`${operation} is not implemented`);
  return (await implementation(context, input)) as Record<string, unknown>;
}

async function playFab<Operation extends PlayFabOperation>(
  context: UseCaseContext,
  principal: Principal,
  operation: Operation,
  request: OperationRequest<Operation>,
): Promise<OperationResult<Operation>> {
  const implementation = playFabOperations[operation] as (
    c: UseCaseContext,
    p: Principal,
    r: OperationRequest<Operation>,
  ) => Promise<OperationResult<Operation>>;
  return implementation(context, principal, request);
}

const oneVersusOne = {
  ruleLanguageVersion: '1.0',
  playerAttributes: [{ name: 'skill', type: 'number', default: 10 }],
  teams: [
    { name: 'red', minPlayers: 1, maxPlayers: 1 },
    { name: 'blue', minPlayers: 1, maxPlayers: 1 },
  ],
};

export function gameLiftDriver(useCases: UseCaseContext): DialectDriver {
  const context: GameLiftContext = { useCases, arnScope: { region: 'us-east-1', accountId: '000000000000' } };
  let name = '';
  const wirePlayer = (m: Member) => ({
    PlayerId: m.playerId,
    PlayerAttributes: { skill: { N: m.skill } },
    LatencyInMs: { 'us-east-1': 30 },
    ...(m.team ? { Team: m.team } : {}),
  });
  return {
    name: 'GameLift',
    async setUp(timeoutSeconds) {
      const suffix = randomUUID().slice(0, 8);
      await gameLift(context, 'CreateMatchmakingRuleSet', {
        Name: `rules-${suffix}`,
        RuleSetBody: JSON.stringify(oneVersusOne),
      });
      name = `config-${suffix}`;
      await gameLift(context, 'CreateMatchmakingConfiguration', {
        Name: name,
        RuleSetName: `rules-${suffix}`,
        RequestTimeoutSeconds: timeoutSeconds,
        AcceptanceRequired: false,
      });
      return name;
    },
    configurationName: () => name,
    async start(members) {
      const output = await gameLift(context, 'StartMatchmaking', {
        ConfigurationName: name,
        Players: members.map(wirePlayer),
      });
      return String((output.MatchmakingTicket as { TicketId: string }).TicketId);
    },
    async cancel(ticketId) {
      await gameLift(context, 'StopMatchmaking', { TicketId: ticketId });
    },
    async backfill(members) {
      const output = await gameLift(context, 'StartMatchBackfill', {
        ConfigurationName: name,
        GameSessionArn: `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${randomUUID()}`,
        Players: members.map((m) => ({ ...wirePlayer(m), LatencyInMs: { 'us-east-1': 30 } })),
      });
      return String((output.MatchmakingTicket as { TicketId: string }).TicketId);
    },
    async read(ticketId) {
      try {
        const output = await gameLift(context, 'DescribeMatchmaking', { TicketIds: [ticketId] });
        return (output.TicketList as unknown[]).length === 1
          ? { ok: true }
          : { ok: false, error: 'not listed by DescribeMatchmaking' };
      } catch (error) {
        return { ok: false, error: toAwsJsonError(error).body.__type };
      }
    },
  };
}

export function playFabDriver(context: UseCaseContext): DialectDriver {
  const server: Principal = { kind: 'server' };
  let queue = '';
  let timeout = 0;
  const member = (m: Member) => ({
    Entity: { Id: m.playerId, Type: 'title_player_account' },
    Attributes: { DataObject: { skill: m.skill } },
  });
  return {
    name: 'PlayFab',
    async setUp(timeoutSeconds) {
      queue = `queue-${randomUUID().slice(0, 8)}`;
      timeout = timeoutSeconds;
      await playFab(context, server, 'SetMatchmakingQueue', {
        MatchmakingQueue: {
          Name: queue,
          MinMatchSize: 2,
          MaxMatchSize: 2,
          ServerAllocationEnabled: false,
          Teams: [
            { Name: 'red', MinTeamSize: 1, MaxTeamSize: 1 },
            { Name: 'blue', MinTeamSize: 1, MaxTeamSize: 1 },
          ],
        },
      } as OperationRequest<'SetMatchmakingQueue'>);
      return queueConfigurationName(queue);
    },
    configurationName: () => queueConfigurationName(queue),
    async start(members) {
      const result = await playFab(context, server, 'CreateServerMatchmakingTicket', {
        QueueName: queue,
        Members: members.map(member),
        GiveUpAfterSeconds: timeout,
      } as OperationRequest<'CreateServerMatchmakingTicket'>);
      return result.TicketId;
    },
    async cancel(ticketId) {
      await playFab(context, server, 'CancelMatchmakingTicket', { QueueName: queue, TicketId: ticketId });
    },
    async backfill(members) {
      const result = await playFab(context, server, 'CreateServerBackfillTicket', {
        QueueName: queue,
        Members: members.map((m) => ({ ...member(m), ...(m.team ? { TeamId: m.team } : {}) })),
        ServerDetails: { Region: 'us-east-1' },
        GiveUpAfterSeconds: timeout,
      } as OperationRequest<'CreateServerBackfillTicket'>);
      return result.TicketId;
    },
    async read(ticketId) {
      try {
        await playFab(context, server, 'GetMatchmakingTicket', {
          QueueName: queue,
          TicketId: ticketId,
          EscapeObject: false,
        } as OperationRequest<'GetMatchmakingTicket'>);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: toPlayFabError(error, 'GetMatchmakingTicket').error };
      }
    },
  };
}

/** A ticket as both dialects must store it: the neutral fields, players by id and team. */
export function neutralTicket(ticket: TicketRecord) {
  return {
    kind: ticket.kind,
    status: ticket.status,
    statusReason: ticket.statusReason,
    players: ticket.players.map((p) => ({ playerId: p.playerId, team: p.team })),
    version: ticket.version,
    matched: ticket.matchId !== undefined,
  };
}

/** An event as both dialects must publish it; ids, times and rule metrics differ by design. */
export function neutralEvent(event: MatchmakingEvent) {
  return {
    type: event.type,
    reason: event.reason,
    tickets: event.tickets.map((t) => t.players.map((p) => ({ playerId: p.playerId, team: p.team }))),
    // A new match's teams are the engine's free choice per program; a backfill's are not.
    backfillTeams: (event.matchmakerData?.backfillTicketId ? event.matchmakerData.teams : undefined)?.map(
      (team) => ({
        name: team.name,
        players: team.players.map((p) => p.playerId).sort(),
      }),
    ),
  };
}
