import type { Player } from '../../lambdas/engine/model';
import type { TicketRecord } from '../../lambdas/store/records';
import { GAME_SERVER } from '../../lambdas/usecases/access';
import { openBackfill } from '../../lambdas/usecases/backfill';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import { cancelTicket, openTicket } from '../../lambdas/usecases/tickets';

/**
 * The ticket calls the GameLift dialect makes (StartMatchmaking, StartMatchBackfill,
 * StopMatchmaking), straight on the use cases, for suites that drive the matchmaker directly.
 */
export function startMatchmaking(
  context: UseCaseContext,
  request: { configurationName: string; ticketId?: string; players: Player[] },
): Promise<TicketRecord> {
  return openTicket(context, GAME_SERVER, {
    ...request,
    language: 'ruleSet',
    players: () => request.players,
  });
}

export function startBackfill(
  context: UseCaseContext,
  request: { configurationName: string; gameSessionArn: string; ticketId?: string; players: Player[] },
): Promise<TicketRecord> {
  return openBackfill(context, GAME_SERVER, {
    ...request,
    language: 'ruleSet',
    players: () => request.players,
  });
}

export function stopTicket(context: UseCaseContext, ticketId: string): Promise<TicketRecord> {
  return cancelTicket(context, GAME_SERVER, { ticketId, language: 'ruleSet' });
}
