import type { ConfigurationRecord, TicketRecord } from '../../store/records';
import { settleAcceptance } from '../acceptance';
import type { UseCaseContext } from '../context';

/** Reserved (PLACING) tickets older than this without a committed match go back to the pool. */
export const PLACING_RECOVERY_MS = 30_000;

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
export async function settleDueAcceptances(
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
