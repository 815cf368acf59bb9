import type { MatchmakingEvent } from '../store/records';

/**
 * Where published events go: EventBridge in AWS, the console and a live HTTP stream locally.
 * Returns the events that could not be delivered, so they stay in the outbox for next time.
 */
export interface EventSink {
  publish(events: MatchmakingEvent[]): Promise<{ failed: MatchmakingEvent[] }>;
}
