import { invalidRequest, notFound, SlotfillError } from '../shared/errors';
import type {
  AcceptanceDecision,
  AcceptanceResponse,
  ConfigurationRecord,
  EventTicket,
  MatchmakingEvent,
  RuleLanguage,
  TicketRecord,
} from '../store/records';
import type { StoredMatch } from '../store/store';
import type { UseCaseContext } from './context';
import { eventId, eventTicket, searchingEvent, succeededEvent, ticketEndedEvent } from './events';
import { languageOf, programOf } from './programs';

export interface AcceptMatchRequest {
  ticketId: string;
  /** Only tickets of configurations in this rule language are found. */
  language?: RuleLanguage;
  playerIds: string[];
  response: AcceptanceResponse;
}

/**
 * Records players' answers to a proposed match. As soon as someone rejects, or every asked
 * player has accepted, the match is decided (once, conditionally) and its tickets move on.
 */
export async function acceptMatch(context: UseCaseContext, request: AcceptMatchRequest): Promise<void> {
  const [ticket] = await context.store.getTickets([request.ticketId]);
  if (
    !ticket ||
    (request.language !== undefined && languageOf(ticket.configurationName) !== request.language)
  )
    throw notFound(`Matchmaking ticket '${request.ticketId}' was not found.`, { resource: 'ticket' });
  if (ticket.status !== 'REQUIRES_ACCEPTANCE' || !ticket.matchId) {
    throw invalidRequest(
      `Matchmaking ticket '${request.ticketId}' is not waiting for acceptance (status ${ticket.status}).`,
    );
  }
  const match = await context.store.getMatch(ticket.matchId);
  const acceptance = match?.acceptance;
  if (!match || !acceptance)
    throw invalidRequest(`Matchmaking ticket '${request.ticketId}' has no match to accept.`);
  const onTicket = new Set(ticket.players.map((p) => p.playerId));
  const strangers = request.playerIds.filter((id) => !onTicket.has(id));
  if (strangers.length > 0) {
    throw invalidRequest(`Player(s) ${strangers.join(', ')} are not on ticket '${request.ticketId}'.`);
  }
  const required = new Set(acceptance.requiredPlayerIds);
  const notAsked = request.playerIds.filter((id) => !required.has(id));
  if (notAsked.length > 0) {
    throw invalidRequest(
      `Player(s) ${notAsked.join(', ')} are already in the game session; only joining players accept a backfill match.`,
    );
  }
  const now = context.now();
  const responses = Object.fromEntries(request.playerIds.map((id) => [id, request.response]));
  // Every ticket of the proposed match, with each player's answer so far (FlexMatch's AcceptMatch).
  const answersSoFar = { ...acceptance.responses, ...responses };
  const event: MatchmakingEvent = {
    eventId: eventId('AcceptMatch', ticket.ticketId, ...request.playerIds, request.response, now),
    type: 'AcceptMatch',
    configurationName: ticket.configurationName,
    time: now,
    matchId: match.matchId,
    tickets: (await context.store.getTickets(match.ticketIds)).map((t) =>
      withAnswers(eventTicket(t), answersSoFar),
    ),
  };
  try {
    await context.store.recordAcceptance(match.matchId, responses, now, event);
  } catch (error) {
    if (error instanceof SlotfillError && error.kind === 'Conflict') {
      throw invalidRequest(`The match for ticket '${request.ticketId}' is no longer waiting for acceptance.`);
    }
    throw error;
  }
  const configuration = await context.store.getConfiguration(ticket.configurationName);
  const updated = await context.store.getMatch(match.matchId);
  if (configuration && updated) await settleAcceptance(context, configuration, updated, now);
}

function withAnswers(ticket: EventTicket, responses: Record<string, AcceptanceResponse>): EventTicket {
  return {
    ...ticket,
    players: ticket.players.map((p) =>
      responses[p.playerId] === undefined ? p : { ...p, accepted: responses[p.playerId] === 'ACCEPT' },
    ),
  };
}

function decisionFor(match: StoredMatch, now: number): AcceptanceDecision | undefined {
  const acceptance = match.acceptance;
  if (!acceptance) return undefined;
  if (acceptance.decision) return acceptance.decision;
  const answers = acceptance.requiredPlayerIds.map((id) => acceptance.responses[id]);
  if (answers.includes('REJECT')) return 'Rejected';
  if (answers.every((answer) => answer === 'ACCEPT')) return 'Accepted';
  if (now >= acceptance.deadline) return 'TimedOut';
  return undefined;
}

/**
 * Decides a match awaiting acceptance if it can be decided now (all accepted, someone
 * rejected, or the deadline passed), then moves each of its tickets: all COMPLETED when
 * accepted; otherwise tickets with a player who did not accept are CANCELLED and the others go
 * back to SEARCHING. Safe to call repeatedly and from several passes: the decision is a
 * conditional write and each ticket move is conditioned on its version.
 */
export async function settleAcceptance(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  match: StoredMatch,
  now: number,
): Promise<boolean> {
  const acceptance = match.acceptance;
  const decision = decisionFor(match, now);
  if (!acceptance || !decision) return false;
  const tickets = await context.store.getTickets(match.ticketIds);
  if (!acceptance.decision) {
    const completedTime = now;
    const events: MatchmakingEvent[] = [
      {
        eventId: eventId('AcceptMatchCompleted', match.matchId),
        type: 'AcceptMatchCompleted',
        configurationName: configuration.name,
        time: now,
        matchId: match.matchId,
        acceptance: decision,
        tickets: tickets.map((t) => withAnswers(eventTicket(t), acceptance.responses)),
        ...(configuration.customEventData ? { customEventData: configuration.customEventData } : {}),
      },
    ];
    if (decision === 'Accepted') {
      const program = await programOf(context, configuration);
      events.push(
        succeededEvent(
          configuration,
          match,
          acceptance.completedTickets,
          completedTime,
          program.attributes.map((a) => a.name),
        ),
      );
    }
    await context.store.decideAcceptance(match.matchId, decision, events);
  }
  for (const ticket of tickets) {
    if (ticket.status !== 'REQUIRES_ACCEPTANCE' || ticket.matchId !== match.matchId) continue;
    await moveAfterDecision(context, configuration, match, ticket, decision, now).catch((error: unknown) => {
      // Moved meanwhile (e.g. stopped): nothing left to do for this ticket.
      if (!(error instanceof SlotfillError && error.kind === 'Conflict')) throw error;
    });
  }
  return true;
}

async function moveAfterDecision(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  match: StoredMatch,
  ticket: TicketRecord,
  decision: AcceptanceDecision,
  now: number,
): Promise<void> {
  const acceptance = match.acceptance!;
  if (decision === 'Accepted') {
    const completed = acceptance.completedTickets.find((t) => t.ticketId === ticket.ticketId);
    if (!completed) return;
    await context.store.replaceTickets([
      { before: ticket, after: { ...completed, version: ticket.version + 1 } },
    ]);
    return;
  }
  const required = new Set(acceptance.requiredPlayerIds);
  // After a rejection only the rejecting tickets end; after a time-out, every ticket with a silent player.
  const declined = ticket.players.some((p) => {
    if (!required.has(p.playerId)) return false;
    const answer = acceptance.responses[p.playerId];
    return decision === 'Rejected' ? answer === 'REJECT' : answer !== 'ACCEPT';
  });
  if (declined) {
    const message =
      decision === 'Rejected'
        ? 'A player on this ticket rejected the match.'
        : 'A player on this ticket did not accept the match in time.';
    const after: TicketRecord = {
      ...ticket,
      status: 'CANCELLED',
      statusReason: 'CANCELLED',
      statusMessage: message,
      endTime: now,
      version: ticket.version + 1,
    };
    await context.store.replaceTickets(
      [{ before: ticket, after }],
      ticketEndedEvent(configuration, after, 'MatchmakingCancelled', now, 'CANCELLED', message),
    );
    return;
  }
  // Back to the pool as it was: new players lose their proposed team, a backfill keeps its own.
  // FlexMatch reports the return to the search with MatchmakingSearching.
  const after: TicketRecord = {
    ...ticket,
    status: 'SEARCHING',
    matchId: undefined,
    statusMessage:
      decision === 'Rejected'
        ? 'The proposed match was rejected by a player of another ticket; searching again.'
        : 'The proposed match was not accepted in time by a player of another ticket; searching again.',
    players: ticket.players.map((p) => (ticket.kind === 'backfill' ? p : { ...p, team: undefined })),
    version: ticket.version + 1,
  };
  await context.store.replaceTickets(
    [{ before: ticket, after }],
    searchingEvent(configuration, [after], now, [`${ticket.ticketId}@${ticket.version}`, match.matchId]),
  );
}
