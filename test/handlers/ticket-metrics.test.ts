import { ticketMetrics } from '../../lambdas/handlers/ticket-metrics';
import { API_METRICS } from '../../lambdas/shared/metric-names';
import { emittedMetrics } from '../support/emf';
import { createHarness, type Harness } from '../support/matchmaker-harness';
import { type DialectDriver, gameLiftDriver, playFabDriver } from '../usecases/support';

/**
 * TicketsStarted and TicketsCancelled come from the ticket story, not from one dialect's
 * handler: a PlayFab ticket counts as a FlexMatch one does, each under its configuration.
 */
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  h.context.observer = ticketMetrics;
});
afterEach(() => h.destroy());

/** The value of metric `name` per configuration dimension, summed over the documents. */
function countsOf(documents: Array<Record<string, unknown>>, name: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const document of documents) {
    if (typeof document[name] !== 'number') continue;
    const configuration = String(document.configuration);
    counts[configuration] = (counts[configuration] ?? 0) + (document[name] as number);
  }
  return counts;
}

describe.each([
  ['GameLift', gameLiftDriver],
  ['PlayFab', playFabDriver],
] as const)('%s', (_name, makeDriver) => {
  let driver: DialectDriver;
  beforeEach(async () => {
    driver = makeDriver(h.context);
    await driver.setUp(600);
  });

  it('counts opened and cancelled tickets under their configuration', async () => {
    const documents = await emittedMetrics(async () => {
      const first = await driver.start([{ playerId: 'ann', skill: 10 }]);
      await driver.start([{ playerId: 'bob', skill: 10 }]);
      await driver.cancel(first);
      // Cancelling an ended ticket is a no-op, and counts nothing.
      await driver.cancel(first);
      await driver.backfill([{ playerId: 'cid', skill: 10, team: 'red' }]);
    });
    const configuration = driver.configurationName();
    expect(countsOf(documents, API_METRICS.ticketsStarted)).toEqual({ [configuration]: 3 });
    expect(countsOf(documents, API_METRICS.ticketsCancelled)).toEqual({ [configuration]: 1 });
  });

  it('counts nothing for a request that opens no ticket', async () => {
    const documents = await emittedMetrics(async () => {
      await driver.start([{ playerId: 'ann', skill: 10 }]);
      await expect(driver.start([{ playerId: 'ann', skill: 10 }])).rejects.toBeDefined();
    });
    expect(countsOf(documents, API_METRICS.ticketsStarted)).toEqual({ [driver.configurationName()]: 1 });
  });
});
