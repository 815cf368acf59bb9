import { estimateWaitSeconds, type ProposedMatch, runMatchmakingPass } from '../engine/matching';
import type { PoolTicket, TicketStatus } from '../engine/model';
import { compileRuleSetBody, type QueueProgram } from '../engine/rules';
import { SlotfillError } from '../shared/errors';
import type { ConfigurationRecord, MatchmakingEvent, MatchRecord, TicketRecord } from '../store/records';
import { MAX_BATCH_TICKETS, type TicketChange } from '../store/store';
import { settleAcceptance } from './acceptance';
import type { UseCaseContext } from './context';
import type { EventSink } from './event-sink';
import { eventId, eventTicket, ticketEndedEvent } from './events';
import { playfabQueueProgram } from './playfab-queues';

export interface PassReport {
  configurationName: string;
  ticketsInPool: number;
  movedToSearching: number;
  timedOut: number;
  failed: number;
  matchesCommitted: number;
  backfillsFilled: number;
  /** Proposed matches dropped because a ticket changed after the pass read it. */
  matchesDropped: number;
  placingRecovered: number;
  /** Matches awaiting acceptance that this pass decided (timed out) or finished moving. */
  acceptancesSettled: number;
}

/** Reserved (PLACING) tickets older than this without a committed match go back to the pool. */
export const PLACING_RECOVERY_MS = 30_000;
/** Match commits in flight at once within one pass. */
export const COMMIT_CONCURRENCY = 8;
/** Attempts to move one batch of QUEUED tickets, each without the tickets that moved on. */
const MOVE_ATTEMPTS = 3;
/** Events read from the outbox per publish round. */
const OUTBOX_BATCH = 100;

/** Rule sets are immutable once created, so a compiled program can be kept for the process. */
const programCache = new Map<string, QueueProgram>();

async function programFor(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
): Promise<QueueProgram> {
  // PlayFab queues carry their rules and can be replaced (SetMatchmakingQueue): cached per version.
  if (configuration.dialect === 'playfab') return playfabQueueProgram(configuration);
  const cached = programCache.get(configuration.ruleSetName);
  if (cached) return cached;
  const [ruleSet] = await context.store.getRuleSets([configuration.ruleSetName]);
  if (!ruleSet) throw new SlotfillError('Internal', `Rule set '${configuration.ruleSetName}' is missing.`);
  const program = compileRuleSetBody(ruleSet.body);
  programCache.set(configuration.ruleSetName, program);
  return program;
}

/**
 * One matchmaking pass over one configuration: recover interrupted commits, time out old
 * tickets, move new tickets to SEARCHING, run the engine, and commit each proposed match
 * atomically against the versions the pass read. Every state change carries its events.
 */
export async function runPass(context: UseCaseContext, configurationName: string): Promise<PassReport> {
  const report: PassReport = {
    configurationName,
    ticketsInPool: 0,
    movedToSearching: 0,
    timedOut: 0,
    failed: 0,
    matchesCommitted: 0,
    backfillsFilled: 0,
    matchesDropped: 0,
    placingRecovered: 0,
    acceptancesSettled: 0,
  };
  const configuration = await context.store.getConfiguration(configurationName);
  if (!configuration) return report;
  const program = await programFor(context, configuration);
  const now = context.now();
  const pool = await context.store.readPool(configurationName, [
    'QUEUED',
    'SEARCHING',
    'PLACING',
    'REQUIRES_ACCEPTANCE',
  ]);
  report.ticketsInPool = pool.length;

  report.placingRecovered = await recoverPlacing(
    context,
    pool.filter((t) => t.status === 'PLACING'),
    now,
  );
  report.acceptancesSettled = await settleDueAcceptances(
    context,
    configuration,
    pool.filter((t) => t.status === 'REQUIRES_ACCEPTANCE'),
    now,
  );

  // A PlayFab ticket's GiveUpAfterSeconds overrides the configuration's timeout.
  const timeoutMs = (ticket: TicketRecord) =>
    (ticket.giveUpAfterSeconds ?? configuration.requestTimeoutSeconds) * 1000;
  const live: TicketRecord[] = [];
  for (const ticket of pool) {
    // A proposed match owns these until it is decided.
    if (ticket.status === 'PLACING' || ticket.status === 'REQUIRES_ACCEPTANCE') continue;
    if (now - ticket.startTime >= timeoutMs(ticket)) {
      if (
        await endQuietly(
          context,
          configuration,
          ticket,
          'TIMED_OUT',
          'MatchmakingTimedOut',
          'Timed out waiting for a match.',
        )
      ) {
        report.timedOut++;
      }
    } else {
      live.push(ticket);
    }
  }

  const queued = live.filter((t) => t.status === 'QUEUED');
  const searching = await moveToSearching(context, configuration, program, queued, live.length, now);
  // moveToSearching returns exactly the queued tickets it moved, in their new state.
  report.movedToSearching = searching.length;
  const current = [...live.filter((t) => t.status !== 'QUEUED'), ...searching];
  const byId = new Map(current.filter((t) => t.status === 'SEARCHING').map((t) => [t.ticketId, t]));

  const result = runMatchmakingPass(program, [...byId.values()].map(toPoolTicket), now);

  for (const invalid of result.invalidBackfills) {
    const ticket = byId.get(invalid.ticketId);
    if (
      ticket &&
      (await endQuietly(context, configuration, ticket, 'FAILED', 'MatchmakingFailed', invalid.reason))
    ) {
      report.failed++;
    }
  }
  // Proposed matches share no ticket, so their commits can't conflict with each other: a few
  // run at once, which bounds the pass by DynamoDB's latency rather than by the match count.
  let next = 0;
  const commitWorker = async () => {
    while (next < result.matches.length) {
      const match = result.matches[next++]!;
      if (await commitProposedMatch(context, configuration, match, byId, now)) {
        report.matchesCommitted++;
        if (match.backfillTicketId) report.backfillsFilled++;
      } else {
        report.matchesDropped++;
      }
    }
  };
  await Promise.all(Array.from({ length: COMMIT_CONCURRENCY }, commitWorker));
  return report;
}

function toPoolTicket(ticket: TicketRecord): PoolTicket {
  return {
    ticketId: ticket.ticketId,
    kind: ticket.kind,
    players: ticket.players,
    startTime: ticket.startTime,
    gameSessionId: ticket.gameSessionArn,
  };
}

/** Ends one ticket with its event; false when it changed under us (the next pass sees it again). */
async function endQuietly(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  ticket: TicketRecord,
  status: Extract<TicketStatus, 'TIMED_OUT' | 'FAILED'>,
  type: 'MatchmakingTimedOut' | 'MatchmakingFailed',
  message: string,
): Promise<boolean> {
  const time = context.now();
  const after: TicketRecord = {
    ...ticket,
    status,
    statusReason: status,
    statusMessage: message,
    endTime: time,
    version: ticket.version + 1,
  };
  try {
    await context.store.replaceTickets(
      [{ before: ticket, after }],
      ticketEndedEvent(configuration, after, type, time, status, message),
    );
    return true;
  } catch (error) {
    if (error instanceof SlotfillError && error.kind === 'Conflict') return false;
    throw error;
  }
}

async function moveToSearching(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  program: QueueProgram,
  queued: TicketRecord[],
  poolSize: number,
  now: number,
): Promise<TicketRecord[]> {
  const moved: TicketRecord[] = [];
  const waitingPlayers = queued.reduce((total, t) => total + t.players.length, 0);
  const recent = queued
    .filter((t) => now - t.startTime <= 60_000)
    .reduce((total, t) => total + t.players.length, 0);
  const estimate = estimateWaitSeconds(program, {
    waitingPlayers: Math.max(0, waitingPlayers + (poolSize - queued.length) - 1),
    arrivalsPerSecond: recent / 60,
  });
  for (let start = 0; start < queued.length; start += MAX_BATCH_TICKETS) {
    let batch = queued.slice(start, start + MAX_BATCH_TICKETS);
    // One ticket that moved on since the read (a stop, a racing pass) fails the whole batch. The
    // batch is read again and the unchanged tickets go without it: otherwise a pool where some
    // player always cancels during the pass would never move anyone and everyone times out.
    for (let attempt = 1; batch.length > 0; attempt++) {
      const changes: TicketChange[] = batch.map((before) => ({
        before,
        after: {
          ...before,
          status: 'SEARCHING',
          ...(estimate === undefined ? {} : { estimatedWaitTimeSeconds: Math.ceil(estimate) }),
          version: before.version + 1,
        },
      }));
      const event: MatchmakingEvent = {
        eventId: eventId('MatchmakingSearching', ...batch.map((t) => `${t.ticketId}@${t.version}`)),
        type: 'MatchmakingSearching',
        configurationName: configuration.name,
        time: now,
        tickets: changes.map((c) => eventTicket(c.after)),
        ...(configuration.customEventData ? { customEventData: configuration.customEventData } : {}),
        ...(estimate === undefined ? {} : { estimatedWaitMillis: Math.ceil(estimate * 1000) }),
      };
      try {
        await context.store.replaceTickets(changes, event);
        moved.push(...changes.map((c) => c.after));
        break;
      } catch (error) {
        if (!(error instanceof SlotfillError && error.kind === 'Conflict')) throw error;
        if (attempt >= MOVE_ATTEMPTS) break; // the rest wait for the next pass
        const reread = new Map(
          (await context.store.getTickets(batch.map((t) => t.ticketId))).map((t) => [t.ticketId, t]),
        );
        batch = batch.filter((t) => {
          const current = reread.get(t.ticketId);
          return current?.status === 'QUEUED' && current.version === t.version;
        });
      }
    }
  }
  return moved;
}

async function commitProposedMatch(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  proposal: ProposedMatch,
  byId: Map<string, TicketRecord>,
  now: number,
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

/** MatchmakingSucceeded, with the session's updated matchmaker data when the match was a backfill. */
export function succeededEvent(
  configuration: ConfigurationRecord,
  match: MatchRecord,
  tickets: TicketRecord[],
  time: number,
): MatchmakingEvent {
  const players = tickets.flatMap((t) => t.players);
  return {
    eventId: eventId('MatchmakingSucceeded', match.matchId),
    type: 'MatchmakingSucceeded',
    configurationName: configuration.name,
    time,
    matchId: match.matchId,
    tickets: tickets.map(eventTicket),
    ...(configuration.customEventData ? { customEventData: configuration.customEventData } : {}),
    ...(match.gameSessionArn ? { gameSessionArn: match.gameSessionArn } : {}),
    ...(match.backfillTicketId
      ? {
          matchmakerData: {
            backfillTicketId: match.backfillTicketId,
            teams: match.teams.map((team) => ({
              name: team.name,
              players: team.players.map((member) => ({
                playerId: member.playerId,
                attributes: players.find((p) => p.playerId === member.playerId)?.attributes ?? {},
              })),
            })),
          },
        }
      : {}),
  };
}

/**
 * Finishes or undoes multi-step match commits that a crash interrupted: a COMMITTED match's
 * tickets take their recorded final states; a match stuck RESERVING for PLACING_RECOVERY_MS is
 * abandoned (a conditional flip, so it can't also commit) and its tickets go back to SEARCHING.
 */
async function recoverPlacing(
  context: UseCaseContext,
  placing: TicketRecord[],
  now: number,
): Promise<number> {
  let recovered = 0;
  const byMatch = new Map<string, TicketRecord[]>();
  for (const ticket of placing) {
    const list = byMatch.get(ticket.matchId ?? '') ?? [];
    list.push(ticket);
    byMatch.set(ticket.matchId ?? '', list);
  }
  for (const [matchId, tickets] of byMatch) {
    const match = matchId ? await context.store.getMatch(matchId) : undefined;
    if (match?.state === 'COMMITTED' && match.finalTickets) {
      await context.store.finishPlacing(tickets, match.finalTickets);
      recovered += tickets.length;
      continue;
    }
    if (match?.state === 'RESERVING') {
      if (now - match.createdAt < PLACING_RECOVERY_MS) continue;
      if (!(await context.store.abandonMatch(matchId))) continue;
    }
    await context.store.releasePlacing(tickets);
    recovered += tickets.length;
  }
  return recovered;
}

/** Settles proposed matches whose acceptance deadline passed, or whose decision was not fully applied. */
async function settleDueAcceptances(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  waiting: TicketRecord[],
  now: number,
): Promise<number> {
  let settled = 0;
  const matchIds = [...new Set(waiting.flatMap((t) => (t.matchId ? [t.matchId] : [])))];
  for (const matchId of matchIds) {
    const match = await context.store.getMatch(matchId);
    if (match && (await settleAcceptance(context, configuration, match, now))) settled++;
  }
  return settled;
}

/** Publishes what the outbox holds for a configuration; undelivered events stay for next time. */
export async function publishOutbox(
  context: UseCaseContext,
  sink: EventSink,
  configurationName: string,
): Promise<{ published: number; failed: number }> {
  let published = 0;
  for (;;) {
    const events = await context.store.readOutbox(configurationName, OUTBOX_BATCH);
    if (events.length === 0) return { published, failed: 0 };
    const { failed } = await sink.publish(events);
    const failedIds = new Set(failed.map((e) => e.eventId));
    const delivered = events.filter((e) => !failedIds.has(e.eventId));
    await context.store.deleteOutbox(delivered);
    published += delivered.length;
    if (failed.length > 0) return { published, failed: failed.length };
  }
}

export interface TickReport {
  passes: PassReport[];
  /** Configurations another matchmaker invocation holds the lease for. */
  skipped: string[];
  published: number;
  publishFailures: number;
}

/**
 * One round over every configuration: take (or renew) its lease, run a pass, publish its
 * events. The lease only keeps invocations from duplicating work; every commit is conditioned
 * on ticket versions, so two passes over one configuration would still never double-match.
 */
export async function runMatchmakerTick(
  context: UseCaseContext,
  sink: EventSink,
  owner: string,
  leaseMs: number,
): Promise<TickReport> {
  const tick: TickReport = { passes: [], skipped: [], published: 0, publishFailures: 0 };
  for (const name of await context.store.listAllConfigurationNames()) {
    if (!(await context.store.acquireLease(name, owner, context.now(), leaseMs))) {
      tick.skipped.push(name);
      continue;
    }
    tick.passes.push(await runPass(context, name));
    const outcome = await publishOutbox(context, sink, name);
    tick.published += outcome.published;
    tick.publishFailures += outcome.failed;
  }
  return tick;
}
