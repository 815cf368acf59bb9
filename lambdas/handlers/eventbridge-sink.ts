import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventEntries } from '../dialects/event-entries';
import type { ArnScope } from '../dialects/gamelift/arns';
import type { MatchmakingEvent } from '../store/records';
import type { EventSink } from '../usecases/event-sink';

/** PutEvents accepts at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;
/** Failed entries are retried this many times within one publish before they wait for the next pass. */
const ENTRY_RETRIES = 2;

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
    for (let start = 0; start < entries.length; start += PUT_EVENTS_BATCH) {
      let pending = entries.slice(start, start + PUT_EVENTS_BATCH);
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
    }
    return { failed: events.filter((event) => failed.has(event)) };
  }
}
