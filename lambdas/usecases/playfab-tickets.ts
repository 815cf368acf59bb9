import { toEnginePlayer } from '../dialects/playfab/players';
import type {
  EntityKey,
  MatchmakingPlayer,
  MatchmakingPlayerWithTeamAssignment,
  ServerDetails,
} from '../dialects/playfab/schemas';
import type { Player } from '../engine/model';
import { isActiveStatus } from '../engine/model';
import { invalidRequest, notFound, SlotfillError } from '../shared/errors';
import type { LockNamespace } from '../store/keys';
import { MAX_LOCKED_MEMBERS } from '../store/playfab-store';
import type { TicketEntity, TicketRecord } from '../store/records';
import {
  type Caller,
  type PlayFabQueue,
  type PlayFabUseCaseContext,
  queueOrFail,
  requireServer,
} from './playfab-queues';
import { endTicket } from './tickets';

/**
 * PlayFab tickets over the shared store. Player tickets are `matchmaking` tickets locked in the
 * MATCHMAKING namespace of `pf:<queue>` (one active ticket per player per queue); server backfill
 * tickets are `backfill` tickets locked in the BACKFILL namespace, a limit tracked apart from the
 * regular one (seed 004). Every check of who may do what lives here, next to the state it reads.
 */

/** How many times a cancel retries when the matchmaker moves the ticket under it. */
const CANCEL_ATTEMPTS = 5;

function badRequest(message: string): SlotfillError {
  return invalidRequest(message, { playfabError: 'MatchmakingBadRequest' });
}

function ticketNotFound(ticketId: string, queueName: string): SlotfillError {
  return notFound(`Ticket '${ticketId}' was not found in queue '${queueName}'.`, { resource: 'ticket' });
}

function notYours(what: string): SlotfillError {
  return new SlotfillError('Unauthorized', `The caller is not allowed to ${what}.`);
}

function isMember(ticket: TicketRecord, playerId: string): boolean {
  return ticket.players.some((player) => player.playerId === playerId);
}

/** The largest ticket this queue takes: its MaxTicketSize, a match's worth less one ticket, and the store's lock budget. */
function maxMembers(queue: PlayFabQueue, backfill: boolean): number {
  const traits = queue.program.playfab;
  // A match needs at least two tickets, so one ticket can fill at most the match less one player.
  const room = traits.maxMatchSize - 1;
  const sized = backfill || traits.maxTicketSize === undefined ? room : Math.min(room, traits.maxTicketSize);
  return Math.min(sized, MAX_LOCKED_MEMBERS);
}

function checkSize(queue: PlayFabQueue, count: number, backfill: boolean): void {
  const limit = maxMembers(queue, backfill);
  if (count > limit) {
    throw invalidRequest(
      `The ticket has ${count} members; queue '${queue.config.Name}' takes at most ${limit} per ${
        backfill ? 'backfill ' : ''
      }ticket (its match size leaves room for another ticket${
        limit === MAX_LOCKED_MEMBERS
          ? `, and slotfill holds at most ${MAX_LOCKED_MEMBERS} members per ticket`
          : ''
      }).`,
      { playfabError: 'MatchmakingNumberOfPlayersInTicketTooLarge' },
    );
  }
}

function checkDistinct(ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id))
      throw badRequest(`Entity '${id}' appears more than once in the ticket; list each player once.`);
    seen.add(id);
  }
}

function entityOf(key: EntityKey): TicketEntity {
  return key.Type === undefined ? { id: key.Id } : { id: key.Id, type: key.Type };
}

function entityTypes(members: ReadonlyArray<{ Entity: EntityKey }>): Map<string, string> {
  return new Map(members.flatMap((m) => (m.Entity.Type === undefined ? [] : [[m.Entity.Id, m.Entity.Type]])));
}

/** A WaitingForPlayers ticket past its GiveUpAfterSeconds: the pass never sees it, so it ends when next touched. */
function waitedTooLong(context: PlayFabUseCaseContext, ticket: TicketRecord): boolean {
  return (
    ticket.status === 'WAITING_FOR_PLAYERS' &&
    ticket.giveUpAfterSeconds !== undefined &&
    context.now() - ticket.startTime >= ticket.giveUpAfterSeconds * 1000
  );
}

/** Ends an expired WaitingForPlayers ticket (TIMED_OUT); returns the ticket as it now is. */
async function settleExpiry(context: PlayFabUseCaseContext, ticket: TicketRecord): Promise<TicketRecord> {
  if (!waitedTooLong(context, ticket)) return ticket;
  try {
    return await endTicket(
      context,
      ticket,
      'TIMED_OUT',
      'Not every member joined within GiveUpAfterSeconds.',
    );
  } catch (error) {
    if (!(error instanceof SlotfillError && error.kind === 'Conflict')) throw error;
    const [current] = await context.store.getTickets([ticket.ticketId]);
    return current ?? ticket;
  }
}

async function readTicket(
  context: PlayFabUseCaseContext,
  queue: PlayFabQueue,
  ticketId: string,
): Promise<TicketRecord> {
  const [ticket] = await context.store.getTickets([ticketId]);
  if (!ticket || ticket.configurationName !== queue.record.name)
    throw ticketNotFound(ticketId, queue.config.Name);
  return settleExpiry(context, ticket);
}

/**
 * Creates the ticket with its locks. A lock held by an expired WaitingForPlayers ticket is
 * stale (nothing else ends such tickets): that ticket is ended and the write tried once more.
 */
async function createWithLocks(
  context: PlayFabUseCaseContext,
  ticket: TicketRecord,
  namespace: LockNamespace,
  types: Map<string, string>,
): Promise<void> {
  try {
    await context.playfab.createTicket(ticket, namespace, types);
  } catch (error) {
    if (!(error instanceof SlotfillError && error.kind === 'LimitExceeded') || namespace !== 'MATCHMAKING')
      throw error;
    let freed = false;
    for (const player of ticket.players) {
      const heldId = await context.playfab.heldTicket(namespace, ticket.configurationName, player.playerId);
      const [held] = heldId ? await context.store.getTickets([heldId]) : [];
      if (held && waitedTooLong(context, held)) {
        await settleExpiry(context, held);
        freed = true;
      }
    }
    if (!freed) throw error;
    await context.playfab.createTicket(ticket, namespace, types);
  }
}

export interface CreatePlayerTicketRequest {
  queueName: string;
  creator: MatchmakingPlayer;
  membersToMatchWith: EntityKey[];
  giveUpAfterSeconds: number;
}

/** CreateMatchmakingTicket: the creator joins at once; invited members make it wait (WaitingForPlayers). */
export async function createPlayerTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: CreatePlayerTicketRequest,
): Promise<TicketRecord> {
  if (caller.kind === 'player' && request.creator.Entity.Id !== caller.playerId) {
    throw notYours(
      `create a ticket for '${request.creator.Entity.Id}': a player may only create tickets with themselves as Creator`,
    );
  }
  const queue = await queueOrFail(context, request.queueName);
  const invited = request.membersToMatchWith.filter((member) => member.Id !== request.creator.Entity.Id);
  checkDistinct([request.creator.Entity.Id, ...invited.map((member) => member.Id)]);
  checkSize(queue, 1 + invited.length, false);
  const ticket: TicketRecord = {
    ticketId: context.newId(),
    kind: 'matchmaking',
    configurationName: queue.record.name,
    status: invited.length > 0 ? 'WAITING_FOR_PLAYERS' : 'QUEUED',
    players: [toEnginePlayer(request.creator, queue.program)],
    startTime: context.now(),
    version: 1,
    giveUpAfterSeconds: request.giveUpAfterSeconds,
    creator: entityOf(request.creator.Entity),
    ...(invited.length > 0 ? { membersToMatchWith: invited.map(entityOf) } : {}),
  };
  await createWithLocks(context, ticket, 'MATCHMAKING', entityTypes([request.creator]));
  return ticket;
}

export interface CreateServerTicketRequest {
  queueName: string;
  members: MatchmakingPlayer[];
  giveUpAfterSeconds: number;
}

/** CreateServerMatchmakingTicket: a server submits players who are all present. */
export async function createServerTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: CreateServerTicketRequest,
): Promise<TicketRecord> {
  requireServer(caller, 'CreateServerMatchmakingTicket');
  const queue = await queueOrFail(context, request.queueName);
  checkDistinct(request.members.map((member) => member.Entity.Id));
  checkSize(queue, request.members.length, false);
  const [first] = request.members;
  const ticket: TicketRecord = {
    ticketId: context.newId(),
    kind: 'matchmaking',
    configurationName: queue.record.name,
    status: 'QUEUED',
    players: request.members.map((member) => toEnginePlayer(member, queue.program)),
    startTime: context.now(),
    version: 1,
    giveUpAfterSeconds: request.giveUpAfterSeconds,
    ...(first ? { creator: entityOf(first.Entity) } : {}),
  };
  await createWithLocks(context, ticket, 'MATCHMAKING', entityTypes(request.members));
  return ticket;
}

/** JoinMatchmakingTicket: an invited member joins; the last one to join releases the ticket to the matchmaker. */
export async function joinTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; ticketId: string; member: MatchmakingPlayer },
): Promise<void> {
  const memberId = request.member.Entity.Id;
  if (caller.kind === 'player' && memberId !== caller.playerId) {
    throw notYours(`join '${memberId}' to a ticket: a player may only join themselves`);
  }
  const queue = await queueOrFail(context, request.queueName);
  for (let attempt = 1; ; attempt++) {
    const ticket = await readTicket(context, queue, request.ticketId);
    if (ticket.kind !== 'matchmaking') throw requestTypeMismatch(caller, ticket);
    if (isMember(ticket, memberId)) {
      throw new SlotfillError('Conflict', `'${memberId}' has already joined ticket '${ticket.ticketId}'.`, {
        playfabError: 'MatchmakingAlreadyJoinedTicket',
      });
    }
    if (!isActiveStatus(ticket.status)) throw alreadyCompleted(ticket, 'join');
    const invited = ticket.membersToMatchWith ?? [];
    if (ticket.status !== 'WAITING_FOR_PLAYERS' || !invited.some((entity) => entity.id === memberId)) {
      throw notYours(`join ticket '${ticket.ticketId}': '${memberId}' is not one of its MembersToMatchWith`);
    }
    const players: Player[] = [...ticket.players, toEnginePlayer(request.member, queue.program)];
    const everyoneJoined = invited.every((entity) => players.some((player) => player.playerId === entity.id));
    const after: TicketRecord = {
      ...ticket,
      players,
      status: everyoneJoined ? 'QUEUED' : 'WAITING_FOR_PLAYERS',
      version: ticket.version + 1,
    };
    try {
      await context.playfab.joinTicket(ticket, after, {
        Id: memberId,
        ...(request.member.Entity.Type ? { Type: request.member.Entity.Type } : {}),
      });
      return;
    } catch (error) {
      const raced = error instanceof SlotfillError && error.kind === 'Conflict' && attempt < CANCEL_ATTEMPTS;
      if (!raced) throw error;
    }
  }
}

function alreadyCompleted(ticket: TicketRecord, action: string): SlotfillError {
  return new SlotfillError(
    'Conflict',
    `Can't ${action} ticket '${ticket.ticketId}': it has already ${ticket.status === 'COMPLETED' ? 'been matched' : 'ended'}.`,
    { playfabError: 'MatchmakingTicketAlreadyCompleted' },
  );
}

/**
 * A ticket of the other kind than the call expects. Players learn nothing about backfill
 * tickets (seed 004: users can't view them in any way), so they get the ownership refusal.
 */
function requestTypeMismatch(caller: Caller, ticket: TicketRecord): SlotfillError {
  if (caller.kind === 'player') return notYours(`access ticket '${ticket.ticketId}'`);
  const other = ticket.kind === 'backfill' ? 'a server backfill ticket' : 'a matchmaking ticket';
  return invalidRequest(
    `Ticket '${ticket.ticketId}' is ${other}; use the ${ticket.kind === 'backfill' ? '...ServerBackfillTicket' : '...MatchmakingTicket'} calls for it.`,
    {
      playfabError: 'MatchmakingRequestTypeMismatch',
    },
  );
}

/** GetMatchmakingTicket: a player reads only tickets they are in or invited to. */
export async function getPlayerTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; ticketId: string },
): Promise<TicketRecord> {
  const queue = await queueOrFail(context, request.queueName);
  const ticket = await readTicket(context, queue, request.ticketId);
  if (ticket.kind !== 'matchmaking') throw requestTypeMismatch(caller, ticket);
  if (caller.kind === 'player') {
    const invited = (ticket.membersToMatchWith ?? []).some((entity) => entity.id === caller.playerId);
    if (!isMember(ticket, caller.playerId) && !invited)
      throw notYours(`read ticket '${ticket.ticketId}': not a member`);
  }
  return ticket;
}

/**
 * Cancels an active ticket. Cancelling a cancelled (or timed-out) ticket changes nothing; a
 * matched one can't be cancelled (TicketAlreadyCompleted). Retries when the matchmaker races it.
 */
async function cancel(context: PlayFabUseCaseContext, ticket: TicketRecord): Promise<void> {
  let current = ticket;
  for (let attempt = 1; ; attempt++) {
    if (current.status === 'COMPLETED') throw alreadyCompleted(current, 'cancel');
    if (!isActiveStatus(current.status)) return;
    try {
      await endTicket(context, current, 'CANCELLED', 'Cancelled by request.');
      return;
    } catch (error) {
      const raced = error instanceof SlotfillError && error.kind === 'Conflict' && attempt < CANCEL_ATTEMPTS;
      if (!raced) throw error;
      const [reread] = await context.store.getTickets([current.ticketId]);
      if (!reread) return;
      current = reread;
    }
  }
}

/** CancelMatchmakingTicket: a player cancels only a ticket they have joined. */
export async function cancelPlayerTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; ticketId: string },
): Promise<void> {
  const queue = await queueOrFail(context, request.queueName);
  const ticket = await readTicket(context, queue, request.ticketId);
  if (ticket.kind !== 'matchmaking') throw requestTypeMismatch(caller, ticket);
  if (caller.kind === 'player' && !isMember(ticket, caller.playerId)) {
    throw notYours(`cancel ticket '${ticket.ticketId}': not a member`);
  }
  await cancel(context, ticket);
}

/** The entity a ...ForPlayer call is about: a player may only name themselves (and may omit it). */
function subjectOf(caller: Caller, entity: EntityKey | undefined, action: string): string {
  if (caller.kind === 'player') {
    if (entity !== undefined && entity.Id !== caller.playerId) throw notYours(`${action} for '${entity.Id}'`);
    return caller.playerId;
  }
  if (entity === undefined) throw badRequest(`Entity is required when a game server calls ${action}.`);
  return entity.Id;
}

async function heldActiveTicket(
  context: PlayFabUseCaseContext,
  queue: PlayFabQueue,
  namespace: LockNamespace,
  playerId: string,
): Promise<TicketRecord | undefined> {
  const heldId = await context.playfab.heldTicket(namespace, queue.record.name, playerId);
  if (!heldId) return undefined;
  const [held] = await context.store.getTickets([heldId]);
  if (!held) return undefined;
  const current = await settleExpiry(context, held);
  return isActiveStatus(current.status) ? current : undefined;
}

/** ListMatchmakingTicketsForPlayer: the player's active ticket in the queue (one at most). */
export async function listPlayerTickets(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; entity?: EntityKey },
): Promise<string[]> {
  const playerId = subjectOf(caller, request.entity, 'ListMatchmakingTicketsForPlayer');
  const queue = await queueOrFail(context, request.queueName);
  const held = await heldActiveTicket(context, queue, 'MATCHMAKING', playerId);
  // Tickets the player was invited to and has not joined yet: how an invitee finds what to join.
  const invitedIds = await context.playfab.invitations(queue.record.name, playerId);
  const invited = await context.store.getTickets(invitedIds.filter((id) => id !== held?.ticketId));
  const waiting: string[] = [];
  for (const ticket of invited) {
    const current = await settleExpiry(context, ticket);
    const stillInvited =
      current.status === 'WAITING_FOR_PLAYERS' &&
      (current.membersToMatchWith ?? []).some((entity) => entity.id === playerId) &&
      !current.players.some((player) => player.playerId === playerId);
    if (stillInvited) waiting.push(current.ticketId);
  }
  return [...(held ? [held.ticketId] : []), ...waiting];
}

/** CancelAllMatchmakingTicketsForPlayer. */
export async function cancelAllPlayerTickets(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; entity?: EntityKey },
): Promise<void> {
  const playerId = subjectOf(caller, request.entity, 'CancelAllMatchmakingTicketsForPlayer');
  const queue = await queueOrFail(context, request.queueName);
  const held = await heldActiveTicket(context, queue, 'MATCHMAKING', playerId);
  if (held && held.status !== 'COMPLETED') await cancel(context, held);
}

// ---- server backfill tickets ---------------------------------------------------------------

export interface CreateBackfillTicketRequest {
  queueName: string;
  members: MatchmakingPlayerWithTeamAssignment[];
  serverDetails?: ServerDetails;
  giveUpAfterSeconds: number;
}

/**
 * CreateServerBackfillTicket. Members keep their TeamId (members without one may go on any
 * team); the Region Selection rule uses ServerDetails.Region. Each member takes a BACKFILL lock
 * in the same transaction, so a user is in at most one backfill ticket per queue (2055 otherwise).
 */
export async function createBackfillTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: CreateBackfillTicketRequest,
): Promise<TicketRecord> {
  requireServer(caller, 'CreateServerBackfillTicket');
  const queue = await queueOrFail(context, request.queueName);
  checkDistinct(request.members.map((member) => member.Entity.Id));
  checkSize(queue, request.members.length, true);
  const teamNames = queue.program.playfab.teamNames;
  for (const member of request.members) {
    if (member.TeamId === undefined) continue;
    if (teamNames.length === 0) {
      throw badRequest(
        `Member '${member.Entity.Id}' has TeamId '${member.TeamId}', but queue '${queue.config.Name}' has no teams; omit TeamId.`,
      );
    }
    if (!teamNames.includes(member.TeamId)) {
      throw badRequest(
        `Member '${member.Entity.Id}' has TeamId '${member.TeamId}', which is not a team of queue '${queue.config.Name}' (${teamNames.join(', ')}).`,
      );
    }
  }
  const serverRegion = request.serverDetails?.Region;
  if (queue.config.RegionSelectionRule !== undefined && !serverRegion) {
    throw badRequest(
      `Queue '${queue.config.Name}' has a RegionSelectionRule: a backfill ticket must give ServerDetails.Region, the region the game is played in.`,
    );
  }
  const ticket: TicketRecord = {
    ticketId: context.newId(),
    kind: 'backfill',
    configurationName: queue.record.name,
    status: 'QUEUED',
    players: request.members.map((member) =>
      toEnginePlayer(member, queue.program, { backfill: serverRegion ? { serverRegion } : {} }),
    ),
    startTime: context.now(),
    version: 1,
    giveUpAfterSeconds: request.giveUpAfterSeconds,
    serverDetails: request.serverDetails ?? {},
    backfillLocks: true,
  };
  await createWithLocks(context, ticket, 'BACKFILL', entityTypes(request.members));
  return ticket;
}

async function readBackfillTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; ticketId: string },
  action: string,
): Promise<TicketRecord> {
  // Players can't view or touch backfill tickets at all, not even their own game's (seed 004).
  requireServer(caller, action);
  const queue = await queueOrFail(context, request.queueName);
  const ticket = await readTicket(context, queue, request.ticketId);
  if (ticket.kind !== 'backfill') throw requestTypeMismatch(caller, ticket);
  return ticket;
}

export function getBackfillTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; ticketId: string },
): Promise<TicketRecord> {
  return readBackfillTicket(context, caller, request, 'GetServerBackfillTicket');
}

export async function cancelBackfillTicket(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; ticketId: string },
): Promise<void> {
  await cancel(context, await readBackfillTicket(context, caller, request, 'CancelServerBackfillTicket'));
}

/** ListServerBackfillTicketsForPlayer: the backfill ticket holding the player in this queue, if any. */
export async function listBackfillTickets(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; entity: EntityKey },
): Promise<string[]> {
  requireServer(caller, 'ListServerBackfillTicketsForPlayer');
  const queue = await queueOrFail(context, request.queueName);
  const held = await heldActiveTicket(context, queue, 'BACKFILL', request.entity.Id);
  return held ? [held.ticketId] : [];
}

/** CancelAllServerBackfillTicketsForPlayer: frees players a crashed server left in a backfill ticket. */
export async function cancelAllBackfillTickets(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; entity: EntityKey },
): Promise<void> {
  requireServer(caller, 'CancelAllServerBackfillTicketsForPlayer');
  const queue = await queueOrFail(context, request.queueName);
  const held = await heldActiveTicket(context, queue, 'BACKFILL', request.entity.Id);
  if (held && held.status !== 'COMPLETED') await cancel(context, held);
}
