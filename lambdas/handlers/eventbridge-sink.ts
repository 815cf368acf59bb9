import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventEntries } from '../dialects/event-entries';
import type { ArnScope } from '../dialects/gamelift/arns';
import { mapConcurrent } from '../shared/concurrency';
import type { MatchmakingEvent } from '../store/records';
import type { EventSink } from '../usecases/event-sink';

/** PutEvents accepts at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;
/** Failed entries are retried this many times within one publish before they wait for the next pass. */
const ENTRY_RETRIES = 2;
/**
 * PutEvents calls in flight at once. A pass can leave hundreds of events; one call after
 * another at ~20 ms each would make publishing, not matching, the slow part of a pass.
 * EventBridge does not order the events of separate calls anyway (consumers order by time).
 */
export const PUT_EVENTS_CONCURRENCY = 8;

export interface EventBridgeSinkOptions {
  client: EventBridgeClient;
  eventBusName: string;
  source: string;
  arnScope: ArnScope;
}

/**
 * Publishes events to an EventBridge bus in their configuration's dialect (see eventEntries),
 * reporting the events an entry of which still failed: they stay in the outbox and are sent
 * again (entries carry stable ids for de-duplication).
 */
export class EventBridgeSink implements EventSink {
  constructor(private readonly options: EventBridgeSinkOptions) {}

  async publish(events: MatchmakingEvent[]): Promise<{ failed: MatchmakingEvent[] }> {
    const { arnScope, source, eventBusName } = this.options;
    const entries = events.flatMap((event) =>
      eventEntries(arnScope, event, source, eventBusName).map((entry) => ({ event, entry })),
    );
    const failed = new Set<MatchmakingEvent>();
    const batches: Array<typeof entries> = [];
    for (let start = 0; start < entries.length; start += PUT_EVENTS_BATCH)
      batches.push(entries.slice(start, start + PUT_EVENTS_BATCH));
    await mapConcurrent(batches, PUT_EVENTS_CONCURRENCY, async (batch) => {
      let pending = batch;
      for (let attempt = 0; pending.length > 0 && attempt <= ENTRY_RETRIES; attempt++) {
        try {
          const result = await this.options.client.send(
            new PutEventsCommand({ Entries: pending.map(({ entry }) => entry) }),
          );
          // Entries come back in request order; an entry with an ErrorCode was not delivered.
          pending = pending.filter((_, index) => result.Entries?.[index]?.ErrorCode !== undefined);
        } catch {
          if (attempt === ENTRY_RETRIES) break;
        }
      }
      for (const { event } of pending) failed.add(event);
    });
    return { failed: events.filter((event) => failed.has(event)) };
  }
}
