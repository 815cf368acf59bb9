import { invalidRequest } from '../../shared/errors';
import * as matches from '../../usecases/playfab-matches';
import type { Caller, PlayFabUseCaseContext } from '../../usecases/playfab-queues';
import * as queues from '../../usecases/playfab-queues';
import * as tickets from '../../usecases/playfab-tickets';
import { renderBackfillTicket, renderMatch, renderPlayerTicket } from './render';
import type { OperationRequest, OperationResult, PlayFabOperation } from './schemas';

type OperationImplementation<Operation extends PlayFabOperation> = (
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: OperationRequest<Operation>,
) => Promise<OperationResult<Operation>>;

function notSupported(operation: string): never {
  throw invalidRequest(
    `${operation} is not available: slotfill has no PubSub service. Poll GetMatchmakingTicket for status changes.`,
    { playfabError: 'MatchmakingBadRequest' },
  );
}

/**
 * Every `/Match/*` call: each turns the validated request into a use-case call and the result
 * into the spec's shape. Ownership is checked by the use cases, which see the state it depends on.
 */
export const playFabOperations: { [Operation in PlayFabOperation]: OperationImplementation<Operation> } = {
  SetMatchmakingQueue: async (context, caller, request) => {
    await queues.setQueue(context, caller, request.MatchmakingQueue);
    return {};
  },
  GetMatchmakingQueue: async (context, caller, request) => ({
    MatchmakingQueue: await queues.getQueue(context, caller, request.QueueName),
  }),
  ListMatchmakingQueues: async (context, caller) => ({
    MatchMakingQueues: await queues.listQueues(context, caller),
  }),
  RemoveMatchmakingQueue: async (context, caller, request) => {
    await queues.removeQueue(context, caller, request.QueueName);
    return {};
  },

  CreateMatchmakingTicket: async (context, caller, request) => {
    const ticket = await tickets.createPlayerTicket(context, caller, {
      queueName: request.QueueName,
      creator: request.Creator,
      membersToMatchWith: request.MembersToMatchWith ?? [],
      giveUpAfterSeconds: request.GiveUpAfterSeconds,
    });
    return { TicketId: ticket.ticketId };
  },
  CreateServerMatchmakingTicket: async (context, caller, request) => {
    const ticket = await tickets.createServerTicket(context, caller, {
      queueName: request.QueueName,
      members: request.Members,
      giveUpAfterSeconds: request.GiveUpAfterSeconds,
    });
    return { TicketId: ticket.ticketId };
  },
  JoinMatchmakingTicket: async (context, caller, request) => {
    await tickets.joinTicket(context, caller, {
      queueName: request.QueueName,
      ticketId: request.TicketId,
      member: request.Member,
    });
    return {};
  },
  GetMatchmakingTicket: async (context, caller, request) => {
    const ticket = await tickets.getPlayerTicket(context, caller, {
      queueName: request.QueueName,
      ticketId: request.TicketId,
    });
    return renderPlayerTicket(ticket, request.QueueName, request.EscapeObject);
  },
  CancelMatchmakingTicket: async (context, caller, request) => {
    await tickets.cancelPlayerTicket(context, caller, {
      queueName: request.QueueName,
      ticketId: request.TicketId,
    });
    return {};
  },
  CancelAllMatchmakingTicketsForPlayer: async (context, caller, request) => {
    await tickets.cancelAllPlayerTickets(context, caller, {
      queueName: request.QueueName,
      entity: request.Entity,
    });
    return {};
  },
  ListMatchmakingTicketsForPlayer: async (context, caller, request) => ({
    TicketIds: await tickets.listPlayerTickets(context, caller, {
      queueName: request.QueueName,
      entity: request.Entity,
    }),
  }),

  CreateServerBackfillTicket: async (context, caller, request) => {
    const ticket = await tickets.createBackfillTicket(context, caller, {
      queueName: request.QueueName,
      members: request.Members,
      ...(request.ServerDetails ? { serverDetails: request.ServerDetails } : {}),
      giveUpAfterSeconds: request.GiveUpAfterSeconds,
    });
    return { TicketId: ticket.ticketId };
  },
  GetServerBackfillTicket: async (context, caller, request) => {
    const ticket = await tickets.getBackfillTicket(context, caller, {
      queueName: request.QueueName,
      ticketId: request.TicketId,
    });
    return renderBackfillTicket(ticket, request.QueueName, request.EscapeObject);
  },
  CancelServerBackfillTicket: async (context, caller, request) => {
    await tickets.cancelBackfillTicket(context, caller, {
      queueName: request.QueueName,
      ticketId: request.TicketId,
    });
    return {};
  },
  CancelAllServerBackfillTicketsForPlayer: async (context, caller, request) => {
    await tickets.cancelAllBackfillTickets(context, caller, {
      queueName: request.QueueName,
      entity: request.Entity,
    });
    return {};
  },
  ListServerBackfillTicketsForPlayer: async (context, caller, request) => ({
    TicketIds: await tickets.listBackfillTickets(context, caller, {
      queueName: request.QueueName,
      entity: request.Entity,
    }),
  }),

  GetMatch: async (context, caller, request) => {
    const view = await matches.getMatch(context, caller, {
      queueName: request.QueueName,
      matchId: request.MatchId,
    });
    return renderMatch(view, {
      returnMemberAttributes: request.ReturnMemberAttributes,
      escapeObject: request.EscapeObject,
    });
  },
  GetQueueStatistics: async (context, caller, request) => {
    const statistics = await matches.getQueueStatistics(context, caller, { queueName: request.QueueName });
    return statistics.numberOfPlayersMatching === undefined
      ? {}
      : { NumberOfPlayersMatching: statistics.numberOfPlayersMatching };
  },

  SubscribeToMatchmakingResource: async () => notSupported('SubscribeToMatchmakingResource'),
  UnsubscribeFromMatchmakingResource: async () => notSupported('UnsubscribeFromMatchmakingResource'),
};
