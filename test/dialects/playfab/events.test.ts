import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { eventEntries } from '../../../lambdas/dialects/event-entries';
import { PLAYFAB_DETAIL_TYPE, toPlayFabEventEntries } from '../../../lambdas/dialects/playfab/events';
import { EventBridgeSink } from '../../../lambdas/handlers/eventbridge-sink';
import type { MatchmakingEvent, MatchmakingEventType } from '../../../lambdas/store/records';

const scope = { region: 'us-east-1', accountId: '123456789012' };

function queueEvent(type: MatchmakingEventType, extra: Partial<MatchmakingEvent> = {}): MatchmakingEvent {
  return {
    eventId: `e-${type}`,
    type,
    configurationName: 'pf:duel',
    time: Date.UTC(2026, 11, 3),
    tickets: [
      { ticketId: 't-1', startTime: 0, players: [{ playerId: 'alice', team: 'red' }] },
      { ticketId: 't-2', startTime: 0, players: [{ playerId: 'bob' }] },
    ],
    ...extra,
  };
}

const details = (event: MatchmakingEvent) =>
  toPlayFabEventEntries(event, 'slotfill.matchmaking').map(
    (entry) => JSON.parse(entry.Detail) as Record<string, unknown>,
  );

describe('PlayFab ticket events', () => {
  it('reports each ticket of a match as Matched, with the match id and members as PlayFab names them', () => {
    const entries = toPlayFabEventEntries(
      queueEvent('MatchmakingSucceeded', { matchId: 'm-1' }),
      'slotfill.matchmaking',
    );
    expect(entries.map((entry) => entry.DetailType)).toEqual([PLAYFAB_DETAIL_TYPE, PLAYFAB_DETAIL_TYPE]);
    expect(entries.map((entry) => JSON.parse(entry.Detail))).toEqual([
      {
        eventId: 'e-MatchmakingSucceeded/t-1',
        QueueName: 'duel',
        TicketId: 't-1',
        Status: 'Matched',
        MatchId: 'm-1',
        Members: [{ Entity: { Id: 'alice', Type: 'title_player_account' }, TeamId: 'red' }],
      },
      {
        eventId: 'e-MatchmakingSucceeded/t-2',
        QueueName: 'duel',
        TicketId: 't-2',
        Status: 'Matched',
        MatchId: 'm-1',
        Members: [{ Entity: { Id: 'bob', Type: 'title_player_account' } }],
      },
    ]);
  });

  it.each([
    ['MatchmakingSearching', 'WaitingForMatch', undefined],
    ['MatchmakingCancelled', 'Canceled', 'Requested'],
    ['MatchmakingTimedOut', 'Canceled', 'Timeout'],
    ['MatchmakingFailed', 'Canceled', 'Internal'],
  ] as const)('%s → Status %s, CancellationReasonString %s', (type, status, reason) => {
    for (const detail of details(queueEvent(type, { message: 'why' }))) {
      expect(detail.Status).toBe(status);
      expect(detail.CancellationReasonString).toBe(reason);
    }
  });

  it('has nothing to say about acceptance, which PlayFab queues never ask for', () => {
    for (const type of ['PotentialMatchCreated', 'AcceptMatch', 'AcceptMatchCompleted'] as const)
      expect(toPlayFabEventEntries(queueEvent(type), 'slotfill.matchmaking')).toEqual([]);
  });

  it('keeps FlexMatch configurations in the FlexMatch shape', () => {
    const flexMatch = eventEntries(
      scope,
      { ...queueEvent('MatchmakingSucceeded'), configurationName: 'ranked' },
      's',
    );
    expect(flexMatch.map((entry) => entry.DetailType)).toEqual(['GameLift Matchmaking Event']);
  });
});

describe('publishing PlayFab ticket events to EventBridge', () => {
  const eventBridge = mockClient(EventBridgeClient);
  afterEach(() => eventBridge.reset());

  it('sends at most ten entries per PutEvents and keeps only the events whose entries failed', async () => {
    const sent: PutEventsRequestEntry[][] = [];
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
      sent.push(input.Entries);
      return {
        FailedEntryCount: 0,
        Entries: input.Entries.map((entry) =>
          (JSON.parse(entry.Detail ?? '{}') as { eventId: string }).eventId === 'e-3/t-2'
            ? { ErrorCode: 'InternalFailure' }
            : { EventId: 'ok' },
        ),
      };
    });
    // Six events of two tickets each: twelve entries.
    const events = Array.from({ length: 6 }, (_, index) => ({
      ...queueEvent('MatchmakingSearching'),
      eventId: `e-${index}`,
    }));
    const sink = new EventBridgeSink({
      client: new EventBridgeClient({ region: 'us-east-1' }),
      eventBusName: 'bus',
      source: 'slotfill.matchmaking',
      arnScope: scope,
    });
    const { failed } = await sink.publish(events);
    expect(failed.map((event) => event.eventId)).toEqual(['e-3']);
    expect(Math.max(...sent.map((batch) => batch.length))).toBeLessThanOrEqual(10);
    const delivered = new Set(
      sent.flat().map((entry) => (JSON.parse(entry.Detail ?? '{}') as { eventId: string }).eventId),
    );
    expect(delivered.size).toBe(12);
  });
});
