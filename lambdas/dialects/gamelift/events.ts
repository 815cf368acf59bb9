import type { AttributeValue } from '../../engine/model';
import type { MatchmakingEvent } from '../../store/records';
import { type ArnScope, configurationArn } from './arns';

/** The EventBridge entry FlexMatch consumers expect: `GameLift Matchmaking Event` with FlexMatch's detail. */
export interface FlexMatchEventEntry {
  Source: string;
  DetailType: 'GameLift Matchmaking Event';
  Detail: string;
  Resources: string[];
  Time: Date;
  EventBusName?: string;
}

/** Matchmaker data carries attributes in GameLift's typed form, as game servers already parse it. */
function matchmakerAttribute(value: AttributeValue): { attributeType: string; valueAttribute: unknown } {
  switch (value.kind) {
    case 'string':
      return { attributeType: 'STRING', valueAttribute: value.value };
    case 'number':
      return { attributeType: 'DOUBLE', valueAttribute: value.value };
    case 'string_list':
      return { attributeType: 'STRING_LIST', valueAttribute: value.value };
    case 'string_number_map':
      return { attributeType: 'STRING_DOUBLE_MAP', valueAttribute: value.value };
  }
}

/**
 * The `reason` FlexMatch's events reference shows for each way a ticket ends; the records keep
 * the neutral ticket status that caused it.
 */
const WIRE_REASONS: Readonly<Record<string, string>> = {
  TIMED_OUT: 'TimedOut',
  CANCELLED: 'Cancelled',
  FAILED: 'UNEXPECTED_ERROR',
};

export function flexMatchEventDetail(scope: ArnScope, event: MatchmakingEvent): Record<string, unknown> {
  const arn = configurationArn(scope, event.configurationName);
  const players = event.tickets.flatMap((t) => t.players);
  return {
    eventId: event.eventId,
    type: event.type,
    tickets: event.tickets.map((ticket) => ({
      ticketId: ticket.ticketId,
      startTime: new Date(ticket.startTime).toISOString(),
      players: ticket.players,
    })),
    // The reference lists estimatedWaitMillis for MatchmakingSearching, NOT_AVAILABLE when unknown.
    ...(event.type === 'MatchmakingSearching'
      ? { estimatedWaitMillis: event.estimatedWaitMillis ?? 'NOT_AVAILABLE' }
      : {}),
    ...(event.matchId ? { matchId: event.matchId } : {}),
    // Every event type of the reference carries the players it concerns as gameSessionInfo.
    gameSessionInfo: {
      ...(event.gameSessionArn ? { gameSessionArn: event.gameSessionArn } : {}),
      players: players.map((p) => ({
        playerId: p.playerId,
        ...(p.team ? { team: p.team } : {}),
        ...(p.playerSessionId ? { playerSessionId: p.playerSessionId } : {}),
      })),
    },
    ...(event.ruleEvaluationMetrics ? { ruleEvaluationMetrics: event.ruleEvaluationMetrics } : {}),
    ...(event.acceptance ? { acceptance: event.acceptance } : {}),
    ...(event.acceptanceRequired === undefined ? {} : { acceptanceRequired: event.acceptanceRequired }),
    ...(event.acceptanceTimeout === undefined ? {} : { acceptanceTimeout: event.acceptanceTimeout }),
    ...(event.reason ? { reason: WIRE_REASONS[event.reason] ?? event.reason } : {}),
    ...(event.message ? { message: event.message } : {}),
    ...(event.customEventData ? { customEventData: event.customEventData } : {}),
    // Not in FlexMatch's event (there it reaches the game session): standalone game servers read
    // it here, as the JSON string a game session's MatchmakerData holds. slotfill backfills are
    // MANUAL, so autoBackfillTicketId, which names an automatic backfill, never applies.
    ...(event.matchmakerData
      ? {
          matchmakerData: JSON.stringify({
            matchId: event.matchId,
            matchmakingConfigurationArn: arn,
            teams: event.matchmakerData.teams.map((team) => ({
              name: team.name,
              players: team.players.map((p) => ({
                playerId: p.playerId,
                attributes: Object.fromEntries(
                  Object.entries(p.attributes).map(([name, value]) => [name, matchmakerAttribute(value)]),
                ),
              })),
            })),
            autoBackfillMode: 'MANUAL',
          }),
        }
      : {}),
  };
}

export function toFlexMatchEventEntry(
  scope: ArnScope,
  event: MatchmakingEvent,
  source: string,
  eventBusName?: string,
): FlexMatchEventEntry {
  return {
    Source: source,
    DetailType: 'GameLift Matchmaking Event',
    Detail: JSON.stringify(flexMatchEventDetail(scope, event)),
    Resources: [configurationArn(scope, event.configurationName)],
    Time: new Date(event.time),
    ...(eventBusName ? { EventBusName: eventBusName } : {}),
  };
}
