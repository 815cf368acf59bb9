import { randomUUID } from 'node:crypto';
import type { LocalService } from '../../../lambdas/local/service';
import { MAX_PENDING_INVITATIONS } from '../../../lambdas/store/tickets';
import { tableSnapshot } from '../../support/hostile';
import { startTestService } from '../../support/local-service';
import { asPlayer, fails, ok, player } from '../../support/playfab-client';

/**
 * Invitations (MembersToMatchWith) live exactly as long as their ticket, and one player can't
 * flood another's: issue 13 found them outliving cancelled tickets and unbounded per invitee.
 */
let service: LocalService;
const queueName = `invites-${randomUUID().slice(0, 8)}`;
const configurationName = `pf:${queueName}`;

beforeAll(async () => {
  service = await startTestService();
  await ok(service, 'SetMatchmakingQueue', {
    MatchmakingQueue: { Name: queueName, MinMatchSize: 2, MaxMatchSize: 4, ServerAllocationEnabled: false },
  });
});
afterAll(async () => {
  await service?.stop();
});

const uniquePlayer = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function invite(creator: string, invitees: string[]): Promise<string> {
  const { TicketId } = await ok<{ TicketId: string }>(
    service,
    'CreateMatchmakingTicket',
    {
      QueueName: queueName,
      GiveUpAfterSeconds: 600,
      Creator: player(creator),
      MembersToMatchWith: invitees.map((id) => ({ Id: id, Type: 'title_player_account' })),
    },
    asPlayer(creator),
  );
  return TicketId;
}

async function ticketsOf(playerId: string): Promise<string[]> {
  const { TicketIds } = await ok<{ TicketIds: string[] }>(
    service,
    'ListMatchmakingTicketsForPlayer',
    { QueueName: queueName },
    asPlayer(playerId),
  );
  return TicketIds;
}

/** The stored invitation item of a player in the queue, as the table holds it. */
async function storedInvitations(playerId: string): Promise<string | undefined> {
  const items = await tableSnapshot(service);
  return items.find(
    (item) => item.includes(`"PLAYER#${playerId}"`) && item.includes(`"INVITES#${configurationName}"`),
  );
}

describe('invitations', () => {
  it('end with their ticket when it is cancelled', async () => {
    const [creator, friend] = [uniquePlayer('creator'), uniquePlayer('friend')];
    const ticketId = await invite(creator, [friend]);
    expect(await ticketsOf(friend)).toEqual([ticketId]);
    expect(await storedInvitations(friend)).toContain(ticketId);

    await ok(
      service,
      'CancelMatchmakingTicket',
      { QueueName: queueName, TicketId: ticketId },
      asPlayer(creator),
    );

    expect(await storedInvitations(friend)).not.toContain(ticketId);
    expect(await ticketsOf(friend)).toEqual([]);
  });

  it('end for the invitee who joins, in the join itself', async () => {
    const [creator, first, second] = [uniquePlayer('creator'), uniquePlayer('first'), uniquePlayer('second')];
    const ticketId = await invite(creator, [first, second]);
    await ok(
      service,
      'JoinMatchmakingTicket',
      { QueueName: queueName, TicketId: ticketId, Member: player(first) },
      asPlayer(first),
    );
    expect(await storedInvitations(first)).not.toContain(ticketId);
    expect(await storedInvitations(second)).toContain(ticketId);
  });

  it(`are capped at ${MAX_PENDING_INVITATIONS} per invitee, and a genuine one fits once a flood ends`, async () => {
    const victim = uniquePlayer('victim');
    const flooders = Array.from({ length: MAX_PENDING_INVITATIONS }, () => uniquePlayer('flooder'));
    const floodTickets: string[] = [];
    for (const flooder of flooders) floodTickets.push(await invite(flooder, [victim]));

    const friend = uniquePlayer('friend');
    const before = await tableSnapshot(service);
    const refused = await fails(
      service,
      'CreateMatchmakingTicket',
      {
        QueueName: queueName,
        GiveUpAfterSeconds: 600,
        Creator: player(friend),
        MembersToMatchWith: [{ Id: victim }],
      },
      'MatchmakingBadRequest',
      asPlayer(friend),
    );
    expect(refused.errorMessage).toMatch(
      new RegExp(`${victim}.*${MAX_PENDING_INVITATIONS} pending invitations`),
    );
    expect(await tableSnapshot(service)).toEqual(before);
    expect((await ticketsOf(victim)).sort()).toEqual([...floodTickets].sort());

    await ok(
      service,
      'CancelMatchmakingTicket',
      { QueueName: queueName, TicketId: floodTickets[0] },
      asPlayer(flooders[0]!),
    );
    const genuine = await invite(friend, [victim]);
    expect(await ticketsOf(victim)).toContain(genuine);
  });
});
