import { eventEntries } from '../dialects/event-entries';
import type { ArnScope } from '../dialects/gamelift/arns';
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

/** One PutEvents entry as a client sends it (AWS JSON: Time is epoch seconds). */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: number | string;
}

/** How many recent events a new watcher receives first. */
const HISTORY = 200;

/**
 * Local stand-in for EventBridge: prints each event and hands it to live watchers (the
 * gateway's `/_local/events` stream). Events arrive either straight from the matchmaker running
 * from sources (`publish`) or as PutEvents entries that a bundled matchmaker sent to the local
 * EventBridge endpoint (`deliverEntries`). Nothing is lost between them: it never fails.
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
    this.deliverEntries(
      events.flatMap((event) =>
        eventEntries(this.scope, event, this.source).map((entry) => ({
          ...entry,
          Time: entry.Time.toISOString(),
        })),
      ),
    );
    return { failed: [] };
  }

  /** Returns the envelope ids, in entry order (PutEvents' EventId). */
  deliverEntries(entries: readonly PutEventsEntry[]): string[] {
    return entries.map((entry) => {
      const detail = JSON.parse(entry.Detail ?? '{}') as {
        eventId?: string;
        type?: string;
        tickets?: { ticketId: string }[];
        QueueName?: string;
        TicketId?: string;
        Status?: string;
      };
      const time =
        typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date(entry.Time ?? Date.now());
      const envelope: LocalEventEnvelope = {
        version: '0',
        id: detail.eventId ?? crypto.randomUUID(),
        'detail-type': entry.DetailType ?? '',
        source: entry.Source ?? this.source,
        account: this.scope.accountId,
        time: time.toISOString(),
        region: this.scope.region,
        resources: entry.Resources ?? [],
        detail,
      };
      this.recent.push(envelope);
      if (this.recent.length > HISTORY) this.recent.shift();
      this.print(
        detail.Status
          ? `event PlayFab ${detail.Status} queue=${detail.QueueName} ticket=${detail.TicketId}`
          : `event ${detail.type} ${envelope.resources[0]?.split('/').pop() ?? ''} tickets=${(detail.tickets ?? []).map((t) => t.ticketId).join(',')}`,
      );
      for (const listener of this.listeners) listener(envelope);
      return envelope.id;
    });
  }

  watch(listener: EventListener): () => void {
    for (const envelope of this.recent) listener(envelope);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
