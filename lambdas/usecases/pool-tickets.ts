import type { PoolTicket } from '../engine/model';
import type { TicketRecord } from '../store/records';

/** A stored ticket as the engine sees it: the pass, and the explanations of waiting tickets. */
export function toPoolTicket(ticket: TicketRecord): PoolTicket {
  return {
    ticketId: ticket.ticketId,
    kind: ticket.kind,
    players: ticket.players,
    startTime: ticket.startTime,
    gameSessionId: ticket.gameSessionArn,
  };
}
