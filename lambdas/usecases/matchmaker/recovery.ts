import { mapConcurrent } from '../../shared/concurrency';
import type { ConfigurationRecord, TicketRecord } from '../../store/records';
import { settleAcceptance } from '../acceptance';
import type { UseCaseContext } from '../context';

/** Reserved (PLACING) tickets older than this without a committed match go back to the pool. */
export const PLACING_RECOVERY_MS = 30_000;
/** Matches recovered or settled at once within one pass. */
const RECOVERY_CONCURRENCY = 8;

/**
 * Finishes or undoes multi-step match commits that a crash interrupted: a COMMITTED match's
 * tickets take their recorded final states; a match stuck RESERVING for PLACING_RECOVERY_MS is
 * abandoned (a conditional flip, so it can't also commit) and its tickets go back to SEARCHING.
 */
export async function recoverPlacing(
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
  // Matches share no ticket: each is recovered on its own, a few at once.
  await mapConcurrent([...byMatch], RECOVERY_CONCURRENCY, async ([matchId, tickets]) => {
    const match = matchId ? await context.store.getMatch(matchId) : undefined;
    if (match?.state === 'COMMITTED' && match.finalTickets) {
      await context.store.finishPlacing(tickets, match.finalTickets);
      recovered += tickets.length;
      return;
    }
    if (match?.state === 'RESERVING') {
      if (now - match.createdAt < PLACING_RECOVERY_MS) return;
      if (!(await context.store.abandonMatch(matchId))) return;
    }
    await context.store.releasePlacing(tickets);
    recovered += tickets.length;
  });
  return recovered;
}

/** Settles proposed matches whose acceptance deadline passed, or whose decision was not fully applied. */
export async function settleDueAcceptances(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  waiting: TicketRecord[],
  now: number,
): Promise<number> {
  let settled = 0;
  const matchIds = [...new Set(waiting.flatMap((t) => (t.matchId ? [t.matchId] : [])))];
  await mapConcurrent(matchIds, RECOVERY_CONCURRENCY, async (matchId) => {
    const match = await context.store.getMatch(matchId);
    if (match && (await settleAcceptance(context, configuration, match, now))) settled++;
  });
  return settled;
}
