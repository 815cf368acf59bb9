import type { ArnScope } from '../dialects/gamelift/arns';
import { toFlexMatchEventEntry } from '../dialects/gamelift/events';
import type { MatchmakingEvent } from '../store/records';
import type { EventSink } from '../usecases/event-sink';

export type EventListener = (entry: LocalEventEnvelope) => void;

/** What EventBridge would deliver to a rule target, built locally from the same renderer. */
export interface LocalEventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** How many recent events a new watcher receives first. */
const HISTORY = 200;

/**
 * Local stand-in for EventBridge: prints each event and hands it to live watchers (the
 * gateway's `/_local/events` stream). Nothing is lost between them: it never fails.
 */
export class LocalEventSink implements EventSink {
  private readonly listeners = new Set<EventListener>();
  private readonly recent: LocalEventEnvelope[] = [];

  constructor(
    private readonly scope: ArnScope,
    private readonly source: string,
    private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  async publish(events: MatchmakingEvent[]): Promise<{ failed: MatchmakingEvent[] }> {
    for (const event of events) {
      const entry = toFlexMatchEventEntry(this.scope, event, this.source);
      const envelope: LocalEventEnvelope = {
        version: '0',
        id: event.eventId,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: this.scope.accountId,
        time: entry.Time.toISOString(),
        region: this.scope.region,
        resources: entry.Resources,
        detail: JSON.parse(entry.Detail),
      };
      this.recent.push(envelope);
      if (this.recent.length > HISTORY) this.recent.shift();
      this.print(
        `event ${event.type} ${event.configurationName} tickets=${event.tickets.map((t) => t.ticketId).join(',')}`,
      );
      for (const listener of this.listeners) listener(envelope);
    }
    return { failed: [] };
  }

  watch(listener: EventListener): () => void {
    for (const envelope of this.recent) listener(envelope);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
