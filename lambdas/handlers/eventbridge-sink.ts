import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ArnScope } from '../dialects/gamelift/arns';
import { toFlexMatchEventEntry } from '../dialects/gamelift/events';
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

/** Publishes FlexMatch-shaped events to an EventBridge bus, reporting entries that still failed. */
export class EventBridgeSink implements EventSink {
  constructor(private readonly options: EventBridgeSinkOptions) {}

  async publish(events: MatchmakingEvent[]): Promise<{ failed: MatchmakingEvent[] }> {
    const failed: MatchmakingEvent[] = [];
    for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
      let pending = events.slice(start, start + PUT_EVENTS_BATCH);
      for (let attempt = 0; pending.length > 0 && attempt <= ENTRY_RETRIES; attempt++) {
        try {
          const result = await this.options.client.send(
            new PutEventsCommand({
              Entries: pending.map((event) =>
                toFlexMatchEventEntry(
                  this.options.arnScope,
                  event,
                  this.options.source,
                  this.options.eventBusName,
                ),
              ),
            }),
          );
          // Entries come back in request order; an entry with an ErrorCode was not delivered.
          pending = pending.filter((_, index) => result.Entries?.[index]?.ErrorCode !== undefined);
        } catch {
          if (attempt === ENTRY_RETRIES) break;
        }
      }
      failed.push(...pending);
    }
    return { failed };
  }
}
