import type * as z from 'zod/mini';
import { invalidRequest } from '../../shared/errors';
import { acceptMatch } from '../../usecases/acceptance';
import { GAME_SERVER } from '../../usecases/access';
import { openBackfill } from '../../usecases/backfill';
import * as configurations from '../../usecases/configurations';
import type { UseCaseContext } from '../../usecases/context';
import { explainWaitingTicket } from '../../usecases/observation';
import * as ruleSets from '../../usecases/rule-sets';
import * as tickets from '../../usecases/tickets';
import { type ArnScope, nameFromNameOrArn } from './arns';
import { toEnginePlayer } from './players';
import { renderConfiguration, renderRuleSet, renderTicket } from './render';
import type { GameLiftOperation, operationInputSchemas } from './schemas';
import { renderWaitingReport } from './waiting-report';

export interface GameLiftContext {
  useCases: UseCaseContext;
  arnScope: ArnScope;
  /** slotfill's DescribeMatchmaking extension was asked for (waiting-report.ts). */
  explainWaiting?: boolean;
}

type InputOf<Operation extends GameLiftOperation> = z.infer<(typeof operationInputSchemas)[Operation]>;
type OperationImplementation<Operation extends GameLiftOperation> = (
  context: GameLiftContext,
  input: InputOf<Operation>,
) => Promise<object>;

/**
 * The FlexMatch operations slotfill answers: each translates the validated wire input into a
 * use-case request and the result back into FlexMatch's response shape.
 */
export const implementedOperations: {
  [Operation in GameLiftOperation]?: OperationImplementation<Operation>;
} = {
  ValidateMatchmakingRuleSet: async (_context, input) => {
    ruleSets.validateRuleSet(input.RuleSetBody);
    return { Valid: true };
  },

  CreateMatchmakingRuleSet: async (context, input) => {
    const record = await ruleSets.createRuleSet(context.useCases, {
      name: input.Name,
      ruleSetBody: input.RuleSetBody,
      tags: input.Tags?.map((t) => ({ key: t.Key, value: t.Value })),
    });
    return { RuleSet: renderRuleSet(context.arnScope, record) };
  },

  DescribeMatchmakingRuleSets: async (context, input) => {
    const page = await ruleSets.describeRuleSets(context.useCases, {
      names: input.Names?.map(nameFromNameOrArn),
      limit: input.Limit,
      nextToken: input.NextToken,
    });
    return {
      RuleSets: page.items.map((r) => renderRuleSet(context.arnScope, r)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },

  DeleteMatchmakingRuleSet: async (context, input) => {
    await ruleSets.deleteRuleSet(context.useCases, nameFromNameOrArn(input.Name));
    return {};
  },

  CreateMatchmakingConfiguration: async (context, input) => {
    const record = await configurations.createConfiguration(context.useCases, {
      ...configurationSettings(input),
      name: input.Name,
      ruleSetName: nameFromNameOrArn(input.RuleSetName),
      requestTimeoutSeconds: input.RequestTimeoutSeconds,
      acceptanceRequired: input.AcceptanceRequired,
      tags: input.Tags?.map((t) => ({ key: t.Key, value: t.Value })),
    });
    return { Configuration: renderConfiguration(context.arnScope, record) };
  },

  DescribeMatchmakingConfigurations: async (context, input) => {
    if (input.Names?.length && input.RuleSetName) {
      throw invalidRequest('Give either Names or RuleSetName, not both.');
    }
    const page = await configurations.describeConfigurations(context.useCases, {
      names: input.Names?.map(nameFromNameOrArn),
      ruleSetName: input.RuleSetName === undefined ? undefined : nameFromNameOrArn(input.RuleSetName),
      limit: input.Limit,
      nextToken: input.NextToken,
    });
    return {
      Configurations: page.items.map((c) => renderConfiguration(context.arnScope, c)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  },

  UpdateMatchmakingConfiguration: async (context, input) => {
    const record = await configurations.updateConfiguration(context.useCases, nameFromNameOrArn(input.Name), {
      ...configurationSettings(input),
      ruleSetName: input.RuleSetName === undefined ? undefined : nameFromNameOrArn(input.RuleSetName),
      requestTimeoutSeconds: input.RequestTimeoutSeconds,
      acceptanceRequired: input.AcceptanceRequired,
    });
    return { Configuration: renderConfiguration(context.arnScope, record) };
  },

  DeleteMatchmakingConfiguration: async (context, input) => {
    await configurations.deleteConfiguration(context.useCases, nameFromNameOrArn(input.Name));
    return {};
  },

  StartMatchmaking: async (context, input) => {
    const players = input.Players.map(toEnginePlayer);
    const ticket = await tickets.openTicket(context.useCases, GAME_SERVER, {
      configurationName: nameFromNameOrArn(input.ConfigurationName),
      language: 'ruleSet',
      ticketId: input.TicketId,
      players: () => players,
    });
    return { MatchmakingTicket: renderTicket(context.arnScope, ticket) };
  },

  // GameSessionArn is optional, as in the Smithy model (standalone FlexMatch has no GameLift
  // sessions): without it there is no per-session replacement and no session Region.
  StartMatchBackfill: async (context, input) => {
    const players = input.Players.map(toEnginePlayer);
    const ticket = await openBackfill(context.useCases, GAME_SERVER, {
      configurationName: nameFromNameOrArn(input.ConfigurationName),
      language: 'ruleSet',
      ...(input.GameSessionArn ? { gameSessionArn: input.GameSessionArn } : {}),
      ticketId: input.TicketId,
      players: () => players,
    });
    return { MatchmakingTicket: renderTicket(context.arnScope, ticket) };
  },

  DescribeMatchmaking: async (context, input) => {
    const found = await tickets.readTickets(context.useCases, input.TicketIds, 'ruleSet');
    if (!context.explainWaiting) return { TicketList: found.map((t) => renderTicket(context.arnScope, t)) };
    // slotfill's extension (X-Slotfill-Explain): why each waiting ticket still waits.
    return {
      TicketList: await Promise.all(
        found.map(async (ticket) => ({
          ...renderTicket(context.arnScope, ticket),
          ...(ticket.status === 'QUEUED' || ticket.status === 'SEARCHING'
            ? {
                SlotfillWaitingReport: renderWaitingReport(
                  await explainWaitingTicket(context.useCases, ticket.ticketId),
                ),
              }
            : {}),
        })),
      ),
    };
  },

  AcceptMatch: async (context, input) => {
    await acceptMatch(context.useCases, {
      ticketId: input.TicketId,
      language: 'ruleSet',
      playerIds: input.PlayerIds,
      response: input.AcceptanceType,
    });
    return {};
  },

  StopMatchmaking: async (context, input) => {
    await tickets.cancelTicket(context.useCases, GAME_SERVER, {
      ticketId: input.TicketId,
      language: 'ruleSet',
    });
    return {};
  },
};

/** The optional settings Create and Update share, in the use cases' terms. */
function configurationSettings(
  input: InputOf<'CreateMatchmakingConfiguration'> | InputOf<'UpdateMatchmakingConfiguration'>,
): configurations.ConfigurationChanges {
  return {
    description: input.Description,
    acceptanceTimeoutSeconds: input.AcceptanceTimeoutSeconds,
    additionalPlayerCount: input.AdditionalPlayerCount,
    customEventData: input.CustomEventData,
    gameProperties: input.GameProperties?.map((p) => ({ key: p.Key, value: p.Value })),
    gameSessionData: input.GameSessionData,
    backfillMode: input.BackfillMode,
    flexMatchMode: input.FlexMatchMode,
    gameSessionQueueArns: input.GameSessionQueueArns,
    notificationTarget: input.NotificationTarget,
  };
}
