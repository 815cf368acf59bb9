import {
  publishMatchmakerMetrics,
  recordTick,
  recordTickFailure,
} from '../../lambdas/handlers/matchmaker-metrics';
import { metrics } from '../../lambdas/shared/observability';
import type { TickReport } from '../../lambdas/usecases/matchmaker';
import { emittedMetrics } from '../support/emf';

const tick: TickReport = {
  passes: [
    {
      configurationName: 'duel',
      ticketsInPool: 7,
      movedToSearching: 2,
      timedOut: 1,
      failed: 0,
      matchesCommitted: 2,
      backfillsFilled: 1,
      matchesDropped: 1,
      placingRecovered: 0,
      acceptancesSettled: 0,
      durationMs: 42,
      playersWaiting: 9,
      timeToMatchSeconds: [3, 5, 8],
      timeToFillSeconds: [12],
      cutShort: false,
    },
  ],
  skipped: [],
  published: 4,
  publishFailures: 2,
};

describe('matchmaker metrics', () => {
  it('emits FlexMatch-style metrics per configuration, with every wait as a value for percentiles', async () => {
    const documents = await emittedMetrics(() => {
      recordTick(tick);
      publishMatchmakerMetrics();
      metrics.publishStoredMetrics();
    });
    const perConfiguration = documents.find((document) => document.configuration === 'duel');
    expect(perConfiguration).toMatchObject({
      CurrentTickets: 7,
      PlayersWaiting: 9,
      MatchesCreated: 2,
      BackfillsFilled: 1,
      TicketsCompleted: 4,
      TicketsTimedOut: 1,
      CommitConflicts: 1,
      PassDuration: 42,
      TimeToMatch: [3, 5, 8],
      TimeToFill: 12,
    });
    const aws = perConfiguration?._aws as
      | { CloudWatchMetrics: Array<{ Dimensions: string[][] }> }
      | undefined;
    const directive = aws?.CloudWatchMetrics[0];
    expect(directive?.Dimensions[0]).toEqual(expect.arrayContaining(['configuration', 'service']));
  });

  it('publishes nothing, and warns about nothing, for a configuration that did not pass this tick', async () => {
    // First a tick in which 'duel' passed, so its buffer exists; then one in which it did not.
    await emittedMetrics(() => {
      recordTick(tick);
      publishMatchmakerMetrics();
    });
    const warnings: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      warnings.push(String(chunk));
      return true;
    });
    let documents: Array<Record<string, unknown>> = [];
    try {
      documents = await emittedMetrics(() => {
        recordTick({ passes: [], publishFailures: 0 });
        publishMatchmakerMetrics();
      });
    } finally {
      stderr.mockRestore();
      // The shared buffer got this tick's PublishFailures: not the next test's business.
      metrics.clearMetrics();
    }
    expect(documents.filter((document) => document.configuration === 'duel')).toEqual([]);
    expect(warnings.join('')).not.toMatch(/No application metrics/);
  });

  it('keeps the alarms’ metrics across configurations in the shared buffer', async () => {
    const documents = await emittedMetrics(() => {
      recordTick(tick);
      recordTickFailure();
      metrics.publishStoredMetrics();
    });
    const shared = documents.find((document) => document.PublishFailures !== undefined);
    expect(shared).toMatchObject({ PublishFailures: 2, TickFailures: 1, TimeToMatch: [3, 5, 8] });
    expect(shared?.configuration).toBeUndefined();
  });
});
