import { flexMatchEventDetail } from '../../../lambdas/dialects/gamelift/events';
import type { MatchmakingEvent, MatchmakingEventType } from '../../../lambdas/store/records';

/**
 * The detail of each event type as FlexMatch's events reference describes it: the fields a
 * consumer written against FlexMatch reads, whatever ticket status or event caused them.
 */
const scope = { region: 'us-east-1', accountId: '123456789012' };

function event(type: MatchmakingEventType, extra: Partial<MatchmakingEvent> = {}): MatchmakingEvent {
  return {
    eventId: 'e-1',
    type,
    configurationName: 'ranked',
    time: Date.UTC(2026, 11, 3),
    tickets: [
      {
        ticketId: 't-1',
        startTime: Date.UTC(2026, 11, 3),
        players: [{ playerId: 'p-1', team: 'red' }, { playerId: 'p-2' }],
      },
    ],
    ...extra,
  };
}

const everyType: MatchmakingEventType[] = [
  'MatchmakingSearching',
  'PotentialMatchCreated',
  'AcceptMatch',
  'AcceptMatchCompleted',
  'MatchmakingSucceeded',
  'MatchmakingTimedOut',
  'MatchmakingCancelled',
  'MatchmakingFailed',
];

describe('FlexMatch event details', () => {
  it.each(everyType)('%s carries gameSessionInfo with the players it concerns', (type) => {
    expect(flexMatchEventDetail(scope, event(type)).gameSessionInfo).toEqual({
      players: [{ playerId: 'p-1', team: 'red' }, { playerId: 'p-2' }],
    });
  });

  it('names the game session in gameSessionInfo when the event knows it', () => {
    const arn = 'arn:aws:gamelift:us-east-1::gamesession/fleet-1/gs-1';
    expect(
      flexMatchEventDetail(scope, event('MatchmakingSucceeded', { gameSessionArn: arn })).gameSessionInfo,
    ).toEqual(expect.objectContaining({ gameSessionArn: arn }));
  });

  it.each([
    ['MatchmakingTimedOut', 'TIMED_OUT', 'TimedOut'],
    ['MatchmakingCancelled', 'CANCELLED', 'Cancelled'],
    ['MatchmakingFailed', 'FAILED', 'UNEXPECTED_ERROR'],
  ] as const)('%s gives the reason as the reference spells it (%s → %s)', (type, neutral, wire) => {
    expect(flexMatchEventDetail(scope, event(type, { reason: neutral, message: 'why' }))).toEqual(
      expect.objectContaining({ reason: wire, message: 'why' }),
    );
  });

  it('says NOT_AVAILABLE for an unknown wait estimate on MatchmakingSearching, and the estimate when known', () => {
    expect(flexMatchEventDetail(scope, event('MatchmakingSearching')).estimatedWaitMillis).toBe(
      'NOT_AVAILABLE',
    );
    expect(
      flexMatchEventDetail(scope, event('MatchmakingSearching', { estimatedWaitMillis: 4000 }))
        .estimatedWaitMillis,
    ).toBe(4000);
    expect(flexMatchEventDetail(scope, event('MatchmakingCancelled'))).not.toHaveProperty(
      'estimatedWaitMillis',
    );
  });
});
