import type { QueueProgram } from '../../engine/rules';
import { failure, invalidRequest, SlotfillError } from '../../shared/errors';
import type { Principal } from '../../usecases/access';
import { openBackfill } from '../../usecases/backfill';
import type { UseCaseContext } from '../../usecases/context';
import * as matches from '../../usecases/matches';
import { isQueueProgram, queueConfigurationName } from '../../usecases/programs';
import * as queues from '../../usecases/queues';
import * as tickets from '../../usecases/tickets';
import { toEnginePlayer } from './players';
import { renderBackfillTicket, renderMatch, renderPlayerTicket } from './render';
import type {
  EntityKey,
  MatchmakingPlayer,
  MatchmakingPlayerWithTeamAssignment,
  OperationRequest,
  OperationResult,
  PlayFabOperation,
} from './schemas';

type OperationImplementation<Operation extends PlayFabOperation> = (
  context: UseCaseContext,
  principal: Principal,
  request: OperationRequest<Operation>,
) => Promise<OperationResult<Operation>>;

function notSupported(operation: string): never {
  throw failure(
    'InvalidRequest',
    'Unsupported',
    `${operation} is not available: slotfill has no PubSub service. Poll GetMatchmakingTicket for status changes.`,
  );
}

/** The queue program members are translated with; queues always compile to one. */
function queueProgram(program: QueueProgram) {
  if (!isQueueProgram(program)) throw new SlotfillError('Internal', 'A queue compiled to another language.');
  return program;
}

function playersOf(members: ReadonlyArray<MatchmakingPlayer>): tickets.PlayersOf {
  return (program) => members.map((member) => toEnginePlayer(member, queueProgram(program)));
}

function entityOf(key: EntityKey) {
  return key.Type === undefined ? { id: key.Id } : { id: key.Id, type: key.Type };
}

/**
 * A MembershipLimit names players by id; PlayFab lists them as entity keys, with the Type the
 * request gave. Adds those types so the envelope can render UsersExceedingMembershipLimit.
 */
async function withEntityTypes<T>(
  members: ReadonlyArray<{ Entity: EntityKey }>,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof SlotfillError && error.reason === 'MembershipLimit')) throw error;
    const entityTypes = Object.fromEntries(
      members.flatMap((m) => (m.Entity.Type === undefined ? [] : [[m.Entity.Id, m.Entity.Type]])),
    );
    throw new SlotfillError(error.kind, error.message, { ...error.details, entityTypes }, error.reason);
  }
}

/** QueueName is optional in the spec's Get/Remove requests, but a queue must be named. */
function requireQueueName(queueName: string | undefined): string {
  if (queueName === undefined) {
    throw invalidRequest('QueueName is required.', {
      fieldErrors: { QueueName: ['The QueueName field is required.'] },
    });
  }
  return queueName;
}

const address = (request: { QueueName: string; TicketId: string }, kind: 'matchmaking' | 'backfill') => ({
  ticketId: request.TicketId,
  configurationName: queueConfigurationName(request.QueueName),
  kind,
});

const forPlayer = (
  request: { QueueName: string; Entity?: EntityKey },
  kind: 'matchmaking' | 'backfill',
  action: string,
) => ({
  configurationName: queueConfigurationName(request.QueueName),
  ...(request.Entity ? { playerId: request.Entity.Id } : {}),
  kind,
  action,
});

/**
 * Every `/Match/*` call: each turns the validated request into a use-case call (a queue's
 * configuration is `pf:<QueueName>`) and the result into the spec's shape. Who may do what is
 * the use cases' access policy; this file only translates.
 */
export const playFabOperations: { [Operation in PlayFabOperation]: OperationImplementation<Operation> } = {
  SetMatchmakingQueue: async (context, principal, request) => {
    await queues.setQueue(context, principal, request.MatchmakingQueue);
    return {};
  },
  GetMatchmakingQueue: async (context, principal, request) => ({
    MatchmakingQueue: await queues.getQueue(context, principal, requireQueueName(request.QueueName)),
  }),
  ListMatchmakingQueues: async (context, principal) => ({
    MatchMakingQueues: await queues.listQueues(context, principal),
  }),
  RemoveMatchmakingQueue: async (context, principal, request) => {
    await queues.removeQueue(context, principal, requireQueueName(request.QueueName));
    return {};
  },

  CreateMatchmakingTicket: async (context, principal, request) => {
    const ticket = await withEntityTypes([request.Creator], () =>
      tickets.openTicket(context, principal, {
        configurationName: queueConfigurationName(request.QueueName),
        language: 'queue',
        players: playersOf([request.Creator]),
        creator: entityOf(request.Creator.Entity),
        invited: (request.MembersToMatchWith ?? []).map(entityOf),
        timeoutSeconds: request.GiveUpAfterSeconds,
      }),
    );
    return { TicketId: ticket.ticketId };
  },
  CreateServerMatchmakingTicket: async (context, principal, request) => {
    const [first] = request.Members;
    const ticket = await withEntityTypes(request.Members, () =>
      tickets.openTicket(context, principal, {
        configurationName: queueConfigurationName(request.QueueName),
        language: 'queue',
        players: playersOf(request.Members),
        vouchedByServer: true,
        // The ticket shows its first member as Creator.
        ...(first ? { creator: entityOf(first.Entity) } : {}),
        timeoutSeconds: request.GiveUpAfterSeconds,
      }),
    );
    return { TicketId: ticket.ticketId };
  },
  JoinMatchmakingTicket: async (context, principal, request) => {
    await withEntityTypes([request.Member], () =>
      tickets.joinTicket(context, principal, {
        address: address(request, 'matchmaking'),
        playerId: request.Member.Entity.Id,
        player: playersOf([request.Member]),
      }),
    );
    return {};
  },
  GetMatchmakingTicket: async (context, principal, request) => {
    const ticket = await tickets.readTicket(context, principal, address(request, 'matchmaking'));
    return renderPlayerTicket(ticket, request.QueueName, request.EscapeObject);
  },
  CancelMatchmakingTicket: async (context, principal, request) => {
    await tickets.cancelTicket(context, principal, address(request, 'matchmaking'));
    return {};
  },
  CancelAllMatchmakingTicketsForPlayer: async (context, principal, request) => {
    await tickets.cancelTicketsOfPlayer(
      context,
      principal,
      forPlayer(request, 'matchmaking', 'CancelAllMatchmakingTicketsForPlayer'),
    );
    return {};
  },
  ListMatchmakingTicketsForPlayer: async (context, principal, request) => ({
    TicketIds: await tickets.listTicketsOfPlayer(
      context,
      principal,
      forPlayer(request, 'matchmaking', 'ListMatchmakingTicketsForPlayer'),
    ),
  }),

  CreateServerBackfillTicket: async (context, principal, request) => {
    const serverRegion = request.ServerDetails?.Region;
    const members: ReadonlyArray<MatchmakingPlayerWithTeamAssignment> = request.Members;
    const ticket = await withEntityTypes(members, () =>
      openBackfill(context, principal, {
        configurationName: queueConfigurationName(request.QueueName),
        language: 'queue',
        players: (program) =>
          members.map((member) =>
            toEnginePlayer(member, queueProgram(program), { backfill: serverRegion ? { serverRegion } : {} }),
          ),
        serverDetails: request.ServerDetails ?? {},
        timeoutSeconds: request.GiveUpAfterSeconds,
      }),
    );
    return { TicketId: ticket.ticketId };
  },
  GetServerBackfillTicket: async (context, principal, request) => {
    const ticket = await tickets.readTicket(context, principal, address(request, 'backfill'));
    return renderBackfillTicket(ticket, request.QueueName, request.EscapeObject);
  },
  CancelServerBackfillTicket: async (context, principal, request) => {
    await tickets.cancelTicket(context, principal, address(request, 'backfill'));
    return {};
  },
  CancelAllServerBackfillTicketsForPlayer: async (context, principal, request) => {
    await tickets.cancelTicketsOfPlayer(
      context,
      principal,
      forPlayer(request, 'backfill', 'CancelAllServerBackfillTicketsForPlayer'),
    );
    return {};
  },
  ListServerBackfillTicketsForPlayer: async (context, principal, request) => ({
    TicketIds: await tickets.listTicketsOfPlayer(
      context,
      principal,
      forPlayer(request, 'backfill', 'ListServerBackfillTicketsForPlayer'),
    ),
  }),

  GetMatch: async (context, principal, request) => {
    const view = await matches.readMatch(context, principal, {
      configurationName: queueConfigurationName(request.QueueName),
      matchId: request.MatchId,
    });
    return renderMatch(view, {
      returnMemberAttributes: request.ReturnMemberAttributes,
      escapeObject: request.EscapeObject,
    });
  },
  GetQueueStatistics: async (context, principal, request) => {
    const statistics = await matches.poolStatistics(context, principal, {
      configurationName: queueConfigurationName(request.QueueName),
    });
    const { playersMatching, timeToMatch } = statistics;
    return {
      ...(playersMatching === undefined ? {} : { NumberOfPlayersMatching: playersMatching }),
      ...(timeToMatch
        ? {
            TimeToMatchStatisticsInSeconds: {
              Average: timeToMatch.average,
              Percentile50: timeToMatch.p50,
              Percentile90: timeToMatch.p90,
              Percentile99: timeToMatch.p99,
            },
          }
        : {}),
    };
  },

  SubscribeToMatchmakingResource: async () => notSupported('SubscribeToMatchmakingResource'),
  UnsubscribeFromMatchmakingResource: async () => notSupported('UnsubscribeFromMatchmakingResource'),
};
