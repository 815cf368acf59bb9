import type { MatchmakingEvent } from '../store/records';
import { languageOf } from '../usecases/programs';
import type { ArnScope } from './gamelift/arns';
import { type FlexMatchEventEntry, toFlexMatchEventEntry } from './gamelift/events';
import { type PlayFabEventEntry, toPlayFabEventEntries } from './playfab/events';

export type EventEntry = FlexMatchEventEntry | PlayFabEventEntry;

/**
 * The EventBridge entries that report an event, in the dialect of its configuration: a
 * FlexMatch configuration's events in FlexMatch's shape (one entry per event), a PlayFab
 * queue's as PlayFab ticket status changes (one entry per ticket, none for acceptance).
 */
export function eventEntries(
  scope: ArnScope,
  event: MatchmakingEvent,
  source: string,
  eventBusName?: string,
): EventEntry[] {
  return languageOf(event.configurationName) === 'queue'
    ? toPlayFabEventEntries(event, source, eventBusName)
    : [toFlexMatchEventEntry(scope, event, source, eventBusName)];
}
