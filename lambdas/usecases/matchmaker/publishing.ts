import type { UseCaseContext } from '../context';
import type { EventSink } from '../event-sink';

/** Events read from the outbox per publish round. */
const OUTBOX_BATCH = 100;

/** Publishes what the outbox holds for a configuration; undelivered events stay for next time. */
export async function publishOutbox(
  context: UseCaseContext,
  sink: EventSink,
  configurationName: string,
  /** Epoch ms (context's clock) after which no further round starts; the rest waits in the outbox. */
  deadline = Number.POSITIVE_INFINITY,
  /** The outbox shards to read; every one when absent. */
  shards?: readonly number[],
): Promise<{ published: number; failed: number }> {
  let published = 0;
  if (shards?.length === 0) return { published, failed: 0 };
  for (;;) {
    if (context.now() >= deadline) return { published, failed: 0 };
    const events = await context.store.readOutbox(configurationName, OUTBOX_BATCH, shards);
    if (events.length === 0) return { published, failed: 0 };
    const { failed } = await sink.publish(events);
    const failedIds = new Set(failed.map((e) => e.eventId));
    const delivered = events.filter((e) => !failedIds.has(e.eventId));
    await context.store.deleteOutbox(delivered);
    published += delivered.length;
    if (failed.length > 0) return { published, failed: failed.length };
    // Fewer than one shard's page in all: every shard was read to its end, no round is left.
    if (events.length < OUTBOX_BATCH) return { published, failed: 0 };
  }
}
