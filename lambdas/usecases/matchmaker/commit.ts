import type { ProposedMatch } from '../../engine/matching';
import { SlotfillError } from '../../shared/errors';
import type { ConfigurationRecord, MatchmakingEvent, MatchRecord, TicketRecord } from '../../store/records';
import type { TicketChange } from '../../store/store';
import type { UseCaseContext } from '../context';
import { eventId, eventTicket, succeededEvent } from '../events';

/**
 * Commits one proposed match atomically against the ticket versions the pass read: every
 * ticket COMPLETED (or REQUIRES_ACCEPTANCE) with its team, the match, and its events. False
 * when a ticket moved on meanwhile: the match is dropped and its other tickets wait again.
 */
export async function commitProposedMatch(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  proposal: ProposedMatch,
  byId: Map<string, TicketRecord>,
  now: number,
  /** The rules' player attributes: the matchmaker data carries these only. */
  declaredAttributes: readonly string[],
): Promise<boolean> {
  const matchId = context.newId();
  const teamOf = new Map<string, string>();
  for (const team of proposal.teams)
    for (const player of team.players) teamOf.set(player.playerId, team.name);
  const backfill = proposal.backfillTicketId ? byId.get(proposal.backfillTicketId) : undefined;
  const gameSessionArn = backfill?.gameSessionArn;
  const newTickets = proposal.ticketIds.filter((id) => id !== proposal.backfillTicketId);
  const matchedPlayerSessions = gameSessionArn
    ? newTickets.flatMap((id) =>
        (byId.get(id)?.players ?? []).map((p) => ({
          playerId: p.playerId,
          playerSessionId: `psess-${context.newId()}`,
        })),
      )
    : [];
  const completed: TicketChange[] = [];
  for (const ticketId of proposal.ticketIds) {
    const before = byId.get(ticketId);
    if (!before) return false;
    const after: TicketRecord = {
      ...before,
      status: 'COMPLETED',
      statusReason: 'COMPLETED',
      statusMessage: undefined,
      endTime: now,
      matchId,
      players: before.players.map((p) => ({ ...p, team: teamOf.get(p.playerId) ?? p.team })),
      ...(gameSessionArn
        ? {
            connectionInfo: {
              gameSessionArn,
              // A joining ticket lists its own players' sessions (as FlexMatch does); the backfill
              // ticket lists every newcomer's. One full list per ticket would make a large backfill
              // match's stored final states grow with the square of its size, past DynamoDB's 400 KB.
              matchedPlayerSessions:
                ticketId === proposal.backfillTicketId
                  ? matchedPlayerSessions
                  : matchedPlayerSessions.filter((s) =>
                      before.players.some((p) => p.playerId === s.playerId),
                    ),
            },
          }
        : {}),
      version: before.version + 1,
    };
    completed.push({ before, after });
  }
  const requiresAcceptance = configuration.acceptanceRequired;
  const match: MatchRecord = {
    matchId,
    configurationName: configuration.name,
    createdAt: now,
    ticketIds: proposal.ticketIds,
    teams: proposal.teams,
    ...(proposal.backfillTicketId ? { backfillTicketId: proposal.backfillTicketId } : {}),
    ...(gameSessionArn ? { gameSessionArn } : {}),
    ...(requiresAcceptance
      ? {
          acceptance: {
            deadline: now + (configuration.acceptanceTimeoutSeconds ?? 0) * 1000,
            // In a backfill only the joining players are asked.
            requiredPlayerIds: newTickets.flatMap((id) =>
              (byId.get(id)?.players ?? []).map((p) => p.playerId),
            ),
            responses: {},
            completedTickets: completed.map((c) => c.after),
          },
        }
      : {}),
  };
  const ruleEvaluationMetrics = proposal.evaluation.rules.map((rule) => ({
    ruleName: rule.ruleName,
    passedCount: rule.passed ? 1 : 0,
    failedCount: rule.passed ? 0 : 1,
  }));
  const changes: TicketChange[] = requiresAcceptance
    ? completed.map(({ before, after }) => ({
        before,
        after: {
          ...before,
          status: 'REQUIRES_ACCEPTANCE',
          statusReason: undefined,
          statusMessage: undefined,
          matchId,
          players: after.players,
          version: before.version + 1,
        },
      }))
    : completed;
  const potential: MatchmakingEvent = {
    eventId: eventId('PotentialMatchCreated', matchId),
    type: 'PotentialMatchCreated',
    configurationName: configuration.name,
    time: now,
    matchId,
    tickets: changes.map((c) => eventTicket(c.after)),
    ...(configuration.customEventData ? { customEventData: configuration.customEventData } : {}),
    ...(gameSessionArn ? { gameSessionArn } : {}),
    acceptanceRequired: requiresAcceptance,
    ...(requiresAcceptance ? { acceptanceTimeout: configuration.acceptanceTimeoutSeconds } : {}),
    ruleEvaluationMetrics,
  };
  const events = [potential];
  if (!requiresAcceptance)
    events.push(
      succeededEvent(
        configuration,
        match,
        completed.map((c) => c.after),
        now,
        declaredAttributes,
      ),
    );
  try {
    await context.store.commitMatch({ match, tickets: changes, events });
    return true;
  } catch (error) {
    if (error instanceof SlotfillError && error.kind === 'Conflict') return false;
    throw error;
  }
}
