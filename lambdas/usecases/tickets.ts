import type { Player, TicketKind, TicketStatus } from '../engine/model';
import { isActiveStatus } from '../engine/model';
import type { QueueProgram } from '../engine/rules';
import { failure, notFound, SlotfillError } from '../shared/errors';
import { MAX_PLAYER_BYTES, MAX_TICKET_PLAYERS_BYTES, utf8Bytes } from '../shared/storage-limits';
import type { LockNamespace } from '../store/keys';
import type {
  ConfigurationRecord,
  MatchmakingEvent,
  RuleLanguage,
  TicketEntity,
  TicketRecord,
} from '../store/records';
import { MAX_LOCKED_PLAYERS } from '../store/tickets';
import { isOnTicket, type Principal, policy } from './access';
import { getConfigurationOrFail, TICKET_CONFIGURATION_MAX_AGE_MS } from './configurations';
import type { UseCaseContext } from './context';
import { ticketEndedEvent } from './events';
import { isQueueProgram, languageOf, programOf } from './programs';
import { withAdmission } from './rate-limits';
import { retryOnConflict } from './retry';
import { cancelledRuleMetrics, isSearchable, SAMPLED_PER_PARTITION_AT_CANCEL } from './rule-reports';

/**
 * The one ticket story of both dialects: open, join, read, list, cancel and expire tickets.
 * Backfill tickets open in backfill.ts and then follow the same story. Every check of who may
 * do what goes through the access policy; every failure is a neutral reason that each dialect
 * maps to its own error.
 */

/** The dialect's translation of its players into the engine's, once the configuration's rules are known. */
export type PlayersOf = (program: QueueProgram) => Player[];

/** Where a request names a ticket: by id, optionally within one configuration, rule language and kind. */
export interface TicketAddress {
  ticketId: string;
  configurationName?: string;
  /** GameLift names only tickets of rule-set configurations; a queue's ticket is not found there. */
  language?: RuleLanguage;
  /** The kind the call is for; a ticket of the other kind is refused (WrongTicketKind). */
  kind?: TicketKind;
}

export interface OpenTicketRequest {
  configurationName: string;
  /** Only configurations in this rule language are found. */
  language?: RuleLanguage;
  ticketId?: string;
  players: PlayersOf;
  /** Who opened the ticket; a player may open a ticket only as its creator. */
  creator?: TicketEntity;
  /** Players a game server submits together, all present: only a server may open such a ticket. */
  vouchedByServer?: boolean;
  /** Players who join later: the ticket waits for them (WAITING_FOR_PLAYERS). */
  invited?: TicketEntity[];
  /** The ticket's own timeout, instead of the configuration's. */
  timeoutSeconds?: number;
}

export async function configurationFor(
  context: UseCaseContext,
  configurationName: string,
  language: RuleLanguage | undefined,
  options: { maxAgeMs?: number } = {},
): Promise<ConfigurationRecord> {
  if (language !== undefined && languageOf(configurationName) !== language) {
    throw notFound(`Matchmaking configuration '${configurationName}' was not found.`, {
      resource: 'configuration',
    });
  }
  return getConfigurationOrFail(context, configurationName, options);
}

/** Opens a matchmaking ticket: its players are locked in the configuration, its invitees invited. */
export async function openTicket(
  context: UseCaseContext,
  principal: Principal,
  request: OpenTicketRequest,
): Promise<TicketRecord> {
  if (request.vouchedByServer) policy.requireServer(principal, 'Opening a ticket for a group of players');
  const configuration = await configurationFor(context, request.configurationName, request.language, {
    maxAgeMs: TICKET_CONFIGURATION_MAX_AGE_MS,
  });
  const program = await programOf(context, configuration);
  const players = request.players(program);
  policy.requireMayOpen(
    principal,
    request.creator?.id,
    players.map((p) => p.playerId),
  );
  const invited = (request.invited ?? []).filter((entity) => !players.some((p) => p.playerId === entity.id));
  checkDistinct([...players.map((p) => p.playerId), ...invited.map((entity) => entity.id)]);
  checkSize(program, players.length + invited.length, 'matchmaking');
  checkStorable(players);
  const ticket: TicketRecord = {
    ticketId: request.ticketId || context.newId(),
    kind: 'matchmaking',
    configurationName: configuration.name,
    status: invited.length > 0 ? 'WAITING_FOR_PLAYERS' : 'QUEUED',
    players,
    startTime: context.now(),
    version: 1,
    ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
    ...(request.creator ? { creator: request.creator } : {}),
    ...(invited.length > 0 ? { invited } : {}),
  };
  await withAdmission(
    context,
    {
      configurationName: configuration.name,
      playerIds: players.map((p) => p.playerId),
      openedTicketId: ticket.ticketId,
    },
    () => createWithLocks(context, ticket),
  );
  return ticket;
}

/**
 * Writes a new ticket with its locks and invitations. A lock or an invitation held by a ticket
 * that waited too long for its invitees is stale (nothing else ends such tickets): that ticket
 * is ended and the write tried once more.
 */
export async function createWithLocks(context: UseCaseContext, ticket: TicketRecord): Promise<void> {
  try {
    await context.store.createTicket(ticket);
    announceOpened(context, ticket);
  } catch (error) {
    const staleIds = await blockingTicketIds(context, ticket, error);
    let freed = false;
    for (const held of await context.store.getTickets(staleIds)) {
      if (waitedTooLong(context, held)) {
        await settleExpiry(context, held);
        freed = true;
      }
    }
    if (!freed) throw error;
    await context.store.createTicket(ticket);
    announceOpened(context, ticket);
  }
}

/** A new ticket is stored: counted, and handed to the matchmaker if it waits for nobody. */
export function announceOpened(context: UseCaseContext, ticket: TicketRecord): void {
  context.observer?.ticketStarted(ticket.configurationName);
  announceQueued(context, ticket);
}

/** Tells the matchmaker (when one listens) that a ticket waits for a pass. */
export function announceQueued(
  context: UseCaseContext,
  ticket: Pick<TicketRecord, 'status' | 'configurationName'>,
) {
  if (ticket.status === 'QUEUED') context.arrivals?.ticketQueued(ticket.configurationName);
}

/** The tickets whose locks or invitations refused a new ticket; rethrows any other failure. */
async function blockingTicketIds(
  context: UseCaseContext,
  ticket: TicketRecord,
  error: unknown,
): Promise<string[]> {
  if (error instanceof SlotfillError && error.reason === 'MembershipLimit') {
    const holders = (error.details.holders ?? []) as Array<{ ticketId?: string }>;
    return holders.flatMap((holder) => (holder.ticketId ? [holder.ticketId] : []));
  }
  if (error instanceof SlotfillError && error.reason === 'InvitationLimit') {
    const invitees = (error.details.invitees ?? []) as string[];
    const pending = await Promise.all(
      invitees.map((playerId) => context.store.invitations(ticket.configurationName, playerId)),
    );
    return pending.flat();
  }
  throw error;
}

/** Joins an invited player to a ticket; the last one to join releases the ticket to the matchmaker. */
export async function joinTicket(
  context: UseCaseContext,
  principal: Principal,
  request: { address: TicketAddress; playerId: string; player: PlayersOf },
): Promise<void> {
  const { playerId } = request;
  policy.requireSelf(principal, playerId, 'join');
  await retryOnConflict(async () => {
    const ticket = await readTicketAt(context, principal, request.address);
    if (isOnTicket(ticket, playerId)) {
      throw failure(
        'Conflict',
        'AlreadyJoined',
        `'${playerId}' has already joined ticket '${ticket.ticketId}'.`,
      );
    }
    if (!isActiveStatus(ticket.status)) throw alreadyEnded(ticket, 'join');
    const invited = ticket.invited ?? [];
    if (ticket.status !== 'WAITING_FOR_PLAYERS' || !invited.some((entity) => entity.id === playerId)) {
      throw failure(
        'Unauthorized',
        'NotOwner',
        `The caller is not allowed to join ticket '${ticket.ticketId}': '${playerId}' is not invited to it.`,
      );
    }
    const configuration = await getConfigurationOrFail(context, ticket.configurationName);
    const [joining] = request.player(await programOf(context, configuration));
    if (!joining) throw new SlotfillError('Internal', 'No player to join.');
    const players = [...ticket.players, joining];
    checkStorable(players);
    const everyoneJoined = invited.every((entity) => players.some((p) => p.playerId === entity.id));
    const after: TicketRecord = {
      ...ticket,
      players,
      status: everyoneJoined ? 'QUEUED' : 'WAITING_FOR_PLAYERS',
      version: ticket.version + 1,
    };
    await withAdmission(context, { configurationName: configuration.name, playerIds: [playerId] }, () =>
      context.store.joinTicket(ticket, after, playerId),
    );
    announceQueued(context, after);
  });
}

/** Reads one ticket the principal may see, settling an expired wait first. */
export async function readTicket(
  context: UseCaseContext,
  principal: Principal,
  address: TicketAddress,
): Promise<TicketRecord> {
  const ticket = await readTicketAt(context, principal, address);
  policy.requireMayRead(principal, ticket);
  return ticket;
}

/** Reads tickets by id (GameLift's DescribeMatchmaking): unknown ids and other languages' tickets are left out. */
export async function readTickets(
  context: UseCaseContext,
  ticketIds: string[],
  language: RuleLanguage,
): Promise<TicketRecord[]> {
  const found = await context.store.getTickets(ticketIds);
  return found.filter((ticket) => languageOf(ticket.configurationName) === language);
}

/**
 * Cancels a ticket and writes its MatchmakingCancelled event in the same transaction. A ticket
 * that already ended without a match (cancelled, timed out, failed) is returned unchanged, so
 * a caller can retry; a matched one is refused (AlreadyCompleted). Retries when the matchmaker
 * moves the ticket under it.
 */
export async function cancelTicket(
  context: UseCaseContext,
  principal: Principal,
  address: TicketAddress,
): Promise<TicketRecord> {
  return retryOnConflict(async () => {
    const ticket = await readTicketAt(context, principal, address);
    policy.requireMayCancel(principal, ticket);
    return cancelRead(context, ticket);
  });
}

async function cancelRead(context: UseCaseContext, ticket: TicketRecord): Promise<TicketRecord> {
  if (ticket.status === 'COMPLETED') throw alreadyEnded(ticket, 'cancel');
  if (!isActiveStatus(ticket.status)) return ticket;
  if (ticket.status === 'PLACING' && ticket.matchId) {
    // A large match past its commit point stands; its tickets are only being moved to COMPLETED.
    const match = await context.store.getMatch(ticket.matchId);
    if (match?.state === 'COMMITTED') {
      throw failure(
        'Conflict',
        'AlreadyCompleted',
        `Matchmaking ticket '${ticket.ticketId}' was just matched (match ${ticket.matchId}) and can no longer be stopped.`,
      );
    }
  }
  const configuration = (await context.store.getConfiguration(ticket.configurationName)) ?? {
    name: ticket.configurationName,
  };
  const ruleEvaluationMetrics = await cancelReport(context, configuration, ticket);
  const message = 'Cancelled by request.';
  const cancelled = await endTicket(context, ticket, 'CANCELLED', message, (ended, time) => [
    {
      ...ticketEndedEvent(configuration, ended, 'MatchmakingCancelled', time, 'CANCELLED', message),
      ...(ruleEvaluationMetrics ? { ruleEvaluationMetrics } : {}),
    },
  ]);
  context.observer?.ticketCancelled(ticket.configurationName);
  return cancelled;
}

/** Which rules kept a searching ticket from a match until it was cancelled (see rule-reports.ts). */
async function cancelReport(
  context: UseCaseContext,
  configuration: ConfigurationRecord | { name: string },
  ticket: TicketRecord,
): Promise<MatchmakingEvent['ruleEvaluationMetrics']> {
  // A configuration deleted meanwhile leaves no rules to report on.
  if (!('rules' in configuration) || !isSearchable(ticket)) return undefined;
  const [program, sample] = await Promise.all([
    programOf(context, configuration),
    context.store.samplePool(configuration.name, SAMPLED_PER_PARTITION_AT_CANCEL),
  ]);
  return cancelledRuleMetrics(program, sample, ticket, context.now());
}

export interface PlayerTicketsRequest {
  configurationName: string;
  /** Absent when a player asks about themselves. */
  playerId?: string;
  kind: TicketKind;
  action: string;
}

/**
 * The player's active ticket of a kind in the configuration (one at most: locks see to it),
 * followed, for matchmaking, by tickets that invited the player and wait for them to join.
 */
export async function listTicketsOfPlayer(
  context: UseCaseContext,
  principal: Principal,
  request: PlayerTicketsRequest,
): Promise<string[]> {
  const playerId = subjectOrFail(principal, request);
  const held = await heldActiveTicket(context, request, playerId);
  if (request.kind === 'backfill') return held ? [held.ticketId] : [];
  const invitedIds = await context.store.invitations(request.configurationName, playerId);
  const invited = await context.store.getTickets(invitedIds.filter((id) => id !== held?.ticketId));
  const waiting: string[] = [];
  for (const ticket of invited) {
    const current = await settleExpiry(context, ticket);
    const stillInvited =
      current.status === 'WAITING_FOR_PLAYERS' &&
      (current.invited ?? []).some((entity) => entity.id === playerId) &&
      !isOnTicket(current, playerId);
    if (stillInvited) waiting.push(current.ticketId);
  }
  return [...(held ? [held.ticketId] : []), ...waiting];
}

/** Cancels the player's active ticket of a kind in the configuration, if any (not a matched one). */
export async function cancelTicketsOfPlayer(
  context: UseCaseContext,
  principal: Principal,
  request: PlayerTicketsRequest,
): Promise<void> {
  const playerId = subjectOrFail(principal, request);
  await retryOnConflict(async () => {
    const held = await heldActiveTicket(context, request, playerId);
    if (held && held.status !== 'COMPLETED') await cancelRead(context, held);
  });
}

function subjectOrFail(principal: Principal, request: PlayerTicketsRequest): string {
  if (request.kind === 'backfill') policy.requireServer(principal, request.action);
  const playerId = policy.subjectOf(principal, request.playerId, request.action);
  if (playerId === undefined) {
    throw failure(
      'InvalidRequest',
      'Unsupported',
      `Entity is required when a game server calls ${request.action}.`,
    );
  }
  return playerId;
}

async function heldActiveTicket(
  context: UseCaseContext,
  request: PlayerTicketsRequest,
  playerId: string,
): Promise<TicketRecord | undefined> {
  const namespace: LockNamespace = request.kind === 'backfill' ? 'BACKFILL' : 'MATCHMAKING';
  const heldId = await context.store.heldTicket(namespace, request.configurationName, playerId);
  if (!heldId) return undefined;
  const [held] = await context.store.getTickets([heldId]);
  if (!held) return undefined;
  const current = await settleExpiry(context, held);
  return isActiveStatus(current.status) ? current : undefined;
}

/** The ticket at an address, or NotFound; the wrong kind is refused before anything else is told. */
async function readTicketAt(
  context: UseCaseContext,
  principal: Principal,
  address: TicketAddress,
): Promise<TicketRecord> {
  const [ticket] = await context.store.getTickets([address.ticketId]);
  const elsewhere =
    !ticket ||
    (address.configurationName !== undefined && ticket.configurationName !== address.configurationName) ||
    (address.language !== undefined && languageOf(ticket.configurationName) !== address.language);
  if (elsewhere) {
    throw notFound(`Matchmaking ticket '${address.ticketId}' was not found.`, { resource: 'ticket' });
  }
  if (address.kind !== undefined && ticket.kind !== address.kind) throw policy.wrongKind(principal, ticket);
  return settleExpiry(context, ticket);
}

/** A ticket waiting for invitees past its own timeout: the pass never sees it, so it ends when next touched. */
function waitedTooLong(context: UseCaseContext, ticket: TicketRecord): boolean {
  return (
    ticket.status === 'WAITING_FOR_PLAYERS' &&
    ticket.timeoutSeconds !== undefined &&
    context.now() - ticket.startTime >= ticket.timeoutSeconds * 1000
  );
}

/** Ends an expired waiting ticket (TIMED_OUT, with its event); returns the ticket as it now is. */
async function settleExpiry(context: UseCaseContext, ticket: TicketRecord): Promise<TicketRecord> {
  if (!waitedTooLong(context, ticket)) return ticket;
  const message = 'Not every invited player joined in time.';
  try {
    return await endTicket(context, ticket, 'TIMED_OUT', message, (ended, time) => [
      ticketEndedEvent(
        { name: ticket.configurationName },
        ended,
        'MatchmakingTimedOut',
        time,
        'TIMED_OUT',
        message,
      ),
    ]);
  } catch (error) {
    if (!(error instanceof SlotfillError && error.kind === 'Conflict')) throw error;
    const [current] = await context.store.getTickets([ticket.ticketId]);
    return current ?? ticket;
  }
}

function alreadyEnded(ticket: TicketRecord, action: string): SlotfillError {
  return failure(
    'Conflict',
    'AlreadyCompleted',
    `Can't ${action} ticket '${ticket.ticketId}': it has already ${ticket.status === 'COMPLETED' ? 'been matched' : 'ended'}.`,
  );
}

/**
 * Ends a ticket and writes the events describing its end in the same transaction; `events`
 * sees the ticket as it will be stored.
 */
export async function endTicket(
  context: UseCaseContext,
  ticket: TicketRecord,
  status: TicketStatus,
  statusMessage: string,
  events: (ended: TicketRecord, time: number) => MatchmakingEvent[] = () => [],
): Promise<TicketRecord> {
  const time = context.now();
  const ended: TicketRecord = {
    ...ticket,
    status,
    statusReason: status,
    statusMessage,
    endTime: time,
    version: ticket.version + 1,
  };
  return context.store.transitionTicket(
    ticket,
    {
      ticketId: ticket.ticketId,
      expectedVersion: ticket.version,
      status,
      statusReason: status,
      statusMessage,
      endTime: time,
    },
    events(ended, time),
  );
}

export function checkDistinct(playerIds: readonly string[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of playerIds) {
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  if (repeated.size > 0) {
    throw failure(
      'InvalidRequest',
      'DuplicatePlayers',
      `Each player may appear once per ticket; repeated PlayerId(s): ${[...repeated].join(', ')}.`,
    );
  }
}

/**
 * Players' data as one ticket item stores it: each player within MAX_PLAYER_BYTES, all of them
 * within MAX_TICKET_PLAYERS_BYTES (DynamoDB items end at 400 KB, and matches and events copy it).
 */
export function checkStorable(players: readonly Player[]): void {
  let total = 0;
  for (const player of players) {
    const own = utf8Bytes(JSON.stringify([player.attributes, player.latencyInMs, player.team ?? null]));
    if (own > MAX_PLAYER_BYTES) {
      throw failure(
        'InvalidRequest',
        'AttributesTooLarge',
        `The attributes of player '${player.playerId}' take ${own} bytes; slotfill stores at most ${MAX_PLAYER_BYTES} bytes of attributes, latencies and team per player. Send only the attributes the rules read.`,
      );
    }
    total += own + utf8Bytes(player.playerId);
  }
  if (total > MAX_TICKET_PLAYERS_BYTES) {
    throw failure(
      'InvalidRequest',
      'AttributesTooLarge',
      `The ticket's players take ${total} bytes with their attributes; slotfill stores at most ${MAX_TICKET_PLAYERS_BYTES} bytes of players per ticket. Send fewer players or smaller attributes.`,
    );
  }
}

/**
 * The most players one ticket may hold: a queue's MaxTicketSize and a match's worth less one
 * ticket (a match needs two), and what one store transaction can lock. Backfills of a game
 * session lock nothing per player.
 */
export function checkSize(program: QueueProgram, count: number, kind: TicketKind, locksPlayers = true): void {
  let limit = locksPlayers ? MAX_LOCKED_PLAYERS : Number.POSITIVE_INFINITY;
  if (isQueueProgram(program)) {
    const traits = program.playfab;
    const room = traits.maxMatchSize - 1;
    const sized =
      kind === 'backfill' || traits.maxTicketSize === undefined ? room : Math.min(room, traits.maxTicketSize);
    limit = Math.min(limit, sized);
  }
  if (count > limit) {
    throw failure(
      'InvalidRequest',
      'TooLarge',
      `The ticket has ${count} players; its configuration takes at most ${limit} per ${kind} ticket (a match must leave room for another ticket${
        limit === MAX_LOCKED_PLAYERS
          ? `, and slotfill holds at most ${MAX_LOCKED_PLAYERS} players per ticket`
          : ''
      }).`,
    );
  }
}
